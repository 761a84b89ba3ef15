"""The conversation's doorbell on the channel layer (``yachi.core.realtime``): new logged
messages are announced with ``publish`` after commit, read receipts and typing go out as
transient messages with ``broadcast``."""

from django.db import transaction


def group_of(conversation) -> str:
    from yachi.core.realtime import group_name

    return group_name("conversation", conversation.public_id)


def announce_after_commit(conversation) -> None:
    """Every socket of the conversation reads its log after commit."""
    from yachi.core.realtime import publish

    group = group_of(conversation)
    transaction.on_commit(lambda: publish(group))


def broadcast_after_commit(conversation, message: dict) -> None:
    from yachi.core.realtime import broadcast

    group = group_of(conversation)
    transaction.on_commit(lambda: broadcast(group, message))
