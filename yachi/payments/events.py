from dataclasses import dataclass

from yachi.core.events import DomainEvent


@dataclass(frozen=True)
class BillPaid(DomainEvent):
    """A treatment bill was paid (announced after the payment's transaction commits)."""

    bill_reference: str
    payer_id: int
    # The appointment the bill is for (its internal id), when it is for one.
    appointment_id: int | None = None
