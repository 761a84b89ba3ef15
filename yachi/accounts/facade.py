"""What other contexts may use of accounts."""

from yachi.accounts.names import NAME_NORMALIZER, NAME_PURPOSE, normalize_name
from yachi.accounts.registrations import (
    SignIn,
    register_patient_opener,
    register_profile_part,
    register_roles_held,
    register_sign_in_step,
)
from yachi.accounts.selectors import (
    administrators,
    patient_user_by_id,
    patient_user_by_phone,
    user_id_by_phone,
    user_names,
    users_by_ids,
)
from yachi.accounts.services import patient_user_ensure, token_user_loaded, user_rename

__all__ = [
    "NAME_NORMALIZER",
    "NAME_PURPOSE",
    "SignIn",
    "administrators",
    "normalize_name",
    "patient_user_by_id",
    "patient_user_by_phone",
    "patient_user_ensure",
    "register_patient_opener",
    "register_profile_part",
    "register_roles_held",
    "register_sign_in_step",
    "token_user_loaded",
    "user_id_by_phone",
    "user_names",
    "user_rename",
    "users_by_ids",
]
