"""Domain events, delivered after the transaction that caused them commits.

A context announces a state change with ``publish(SomethingHappened(...))`` inside its
service; other contexts follow it with ``@subscribe(SomethingHappened)``. Handlers run
only once the change is durable, so they never see a rolled-back state, and a failing
handler is logged without undoing the change that was already committed. A handler
that has slow or remote work to do schedules a job instead of doing it inline.
"""

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)

_handlers: dict[type, list[Callable]] = defaultdict(list)


@dataclass(frozen=True)
class DomainEvent:
    """Base class: events are immutable records of something that happened."""


def subscribe(event_type: type[DomainEvent]):
    def register(handler: Callable) -> Callable:
        if handler not in _handlers[event_type]:
            _handlers[event_type].append(handler)
        return handler

    return register


def publish(event: DomainEvent) -> None:
    transaction.on_commit(lambda: _dispatch(event))


def _dispatch(event: DomainEvent) -> None:
    for handler in list(_handlers[type(event)]):
        try:
            handler(event)
        except Exception:
            logger.exception("event handler %s failed for %r", handler.__qualname__, event)
