"""What other contexts may use of patients."""

from yachi.patients.access import (
    access_family_member_by_id,
    account_of,
    desk_access,
    holder,
    own_holder,
    seen_at,
)
from yachi.patients.desk import desk_parts, register_desk_part
from yachi.patients.milestones import MILESTONES, Milestone, register_milestone_source
from yachi.patients.privacy.consents import consent_states
from yachi.patients.privacy.personal_data import register_record_source
from yachi.patients.records.selectors import SharedNote, shared_notes_of_appointments

# The managers' dashboards (CRM, ADR 0053).
from yachi.patients.reports import PatientCard, owners_of, patient_cards
from yachi.patients.selectors import (
    Person,
    everyone_on,
    patient_by_chart_number,
    patient_rows,
    patients_by_ids,
    patients_search,
    people_facts,
)
from yachi.patients.services import account_open, search_tokens_write
from yachi.patients.visits import register_visits

__all__ = [
    "MILESTONES",
    "Milestone",
    "PatientCard",
    "Person",
    "SharedNote",
    "access_family_member_by_id",
    "account_of",
    "account_open",
    "consent_states",
    "desk_access",
    "desk_parts",
    "everyone_on",
    "holder",
    "own_holder",
    "owners_of",
    "patient_by_chart_number",
    "patient_cards",
    "patient_rows",
    "patients_by_ids",
    "patients_search",
    "people_facts",
    "register_desk_part",
    "register_milestone_source",
    "register_record_source",
    "register_visits",
    "search_tokens_write",
    "seen_at",
    "shared_notes_of_appointments",
]
