"""CRM: what the clinic knows of its patients and does with it — patient tags with their
reasons, the patient 360 page, satisfaction and complaints, no-show risk, segments and
campaigns, the repurchase playbook and the managers' dashboards. It reads the contexts
below it through their facades and owns only what it computes and what staff add."""
