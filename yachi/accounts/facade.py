"""What other contexts may use of accounts."""

from yachi.accounts.names import NAME_NORMALIZER, NAME_PURPOSE, normalize_name
from yachi.accounts.registrations import (
    register_patient_opener,
    register_profile_part,
    register_roles_held,
)
from yachi.accounts.selectors import (
    administrators,
    patient_user_by_id,
    patient_user_by_phone,
    user_id_by_phone,
    user_names,
)
from yachi.accounts.services import patient_user_ensure, user_rename

__all__ = [
    "NAME_NORMALIZER",
    "NAME_PURPOSE",
    "administrators",
    "normalize_name",
    "patient_user_by_id",
    "patient_user_by_phone",
    "patient_user_ensure",
    "register_patient_opener",
    "register_profile_part",
    "register_roles_held",
    "user_id_by_phone",
    "user_names",
    "user_rename",
]
