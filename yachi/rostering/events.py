from dataclasses import dataclass

from yachi.core.events import DomainEvent


@dataclass(frozen=True)
class RosterChanged(DomainEvent):
    """A doctor's working time changed; ``day`` is None when every day may be affected."""

    doctor_id: int
    day: object = None
