"""What other contexts may use of accounts."""

from yachi.accounts.privacy import account_erase, account_export

__all__ = ["account_erase", "account_export"]
