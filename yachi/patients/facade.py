"""What other contexts may use of patients."""

from yachi.patients.access import access_family_member_by_id, account_of, holder
from yachi.patients.privacy import family_erase, family_export
from yachi.patients.selectors import everyone_on, holder_of
from yachi.patients.services import account_open, holder_rename

__all__ = [
    "access_family_member_by_id",
    "account_of",
    "account_open",
    "everyone_on",
    "family_erase",
    "family_export",
    "holder",
    "holder_of",
    "holder_rename",
]
