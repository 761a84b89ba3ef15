"""What other contexts may use of messaging."""

from yachi.messaging.services import cancel_pending, notify

__all__ = ["cancel_pending", "notify"]
