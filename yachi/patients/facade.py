"""What other contexts may use of patients."""

from yachi.patients.selectors import everyone_on, holder_of
from yachi.patients.services import account_open, holder_rename

__all__ = ["account_open", "everyone_on", "holder_of", "holder_rename"]
