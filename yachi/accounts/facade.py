"""What other contexts may use of accounts."""

from yachi.accounts.names import NAME_NORMALIZER, NAME_PURPOSE, normalize_name
from yachi.accounts.privacy import account_erase, account_export
from yachi.accounts.tokencache import forget_user as tokens_forget_user

__all__ = [
    "NAME_NORMALIZER",
    "NAME_PURPOSE",
    "account_erase",
    "account_export",
    "normalize_name",
    "tokens_forget_user",
]
