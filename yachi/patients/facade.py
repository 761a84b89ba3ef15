"""What other contexts may use of patients."""

from yachi.patients.selectors import everyone_on
from yachi.patients.services import account_open
from yachi.patients.visits import register_visits

__all__ = [
    "account_open",
    "everyone_on",
    "register_visits",
]
