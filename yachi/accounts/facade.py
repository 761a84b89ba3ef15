"""What other contexts may use of accounts."""

from yachi.accounts.names import NAME_NORMALIZER, NAME_PURPOSE, normalize_name
from yachi.accounts.privacy import account_erase, account_export
from yachi.accounts.selectors import patient_user_by_id, patient_user_by_phone

__all__ = [
    "NAME_NORMALIZER",
    "NAME_PURPOSE",
    "account_erase",
    "account_export",
    "normalize_name",
    "patient_user_by_id",
    "patient_user_by_phone",
]
