"""What other contexts may use of patients."""

from yachi.patients.access import access_family_member_by_id, account_of, holder, own_holder
from yachi.patients.desk import register_desk_part
from yachi.patients.records.selectors import SharedNote, shared_notes_of_appointments
from yachi.patients.selectors import everyone_on
from yachi.patients.services import account_open, search_tokens_write
from yachi.patients.visits import register_visits

__all__ = [
    "SharedNote",
    "access_family_member_by_id",
    "account_of",
    "account_open",
    "everyone_on",
    "holder",
    "own_holder",
    "register_desk_part",
    "register_visits",
    "search_tokens_write",
    "shared_notes_of_appointments",
]
