"""What other contexts may use of accounts."""

from yachi.accounts.names import NAME_NORMALIZER, NAME_PURPOSE, normalize_name
from yachi.accounts.privacy import account_erase, account_export
from yachi.accounts.selectors import patient_user_by_phone

__all__ = [
    "NAME_NORMALIZER",
    "NAME_PURPOSE",
    "account_erase",
    "account_export",
    "normalize_name",
    "patient_user_by_phone",
    "patient_user_ensure",
]


def patient_user_ensure(*, phone: str, name: str = ""):
    """The patient user with this phone, registered now if new (front-desk walk-ins)."""
    # accounts.services opens the family account through patients, whose models import
    # this facade: it is loaded on first use so that loading the models stays acyclic.
    from yachi.accounts.services import patient_user_ensure as ensure

    return ensure(phone=phone, name=name)
