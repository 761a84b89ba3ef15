from dataclasses import dataclass

from yachi.core.events import DomainEvent


@dataclass(frozen=True)
class ChairsChanged(DomainEvent):
    """A clinic gained, lost or re-activated a chair: its capacity changed."""

    clinic_id: int
