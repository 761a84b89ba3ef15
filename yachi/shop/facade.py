"""What other contexts may use of the mall."""

from yachi.shop.selectors import delivery_addresses

__all__ = ["delivery_addresses"]
