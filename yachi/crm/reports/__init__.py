"""The managers' dashboards (经营报表): figures of a clinic or the chain over a date
range, each drilling down to the patients, appointments or payments behind it, read
from the contexts below through their facades in a bounded number of queries, with
audited CSV and XLSX exports (ADR 0053)."""
