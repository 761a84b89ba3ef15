"""What other contexts may use of patients."""

from yachi.patients.selectors import everyone_on
from yachi.patients.services import account_open

__all__ = [
    "account_open",
    "everyone_on",
]
