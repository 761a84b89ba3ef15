"""The front desk's page of a patient: contact, family, visits, messages, and the parts
that contexts above patients tell (bills and balance from payments, coupons and points
from growth), each registered with ``register_desk_part`` in its ``AppConfig.ready``.

Nothing clinical is on it: the chart (病历) stays with doctors (``records.access``).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DeskPart:
    key: str
    order: int
    # Rendered with the dict ``read`` returns, as ``part``.
    template: str
    # (*, user, clinic_ids) -> dict: what the account holder ``user`` has at these
    # clinics (every clinic for ``None``).
    read: Callable


_parts: dict[str, DeskPart] = {}


def register_desk_part(*, key: str, order: int, template: str, read: Callable) -> None:
    _parts[key] = DeskPart(key=key, order=order, template=template, read=read)


def desk_parts(*, user, clinic_ids: set[int] | None) -> list[dict]:
    return [
        {"template": part.template, "part": part.read(user=user, clinic_ids=clinic_ids)}
        for part in sorted(_parts.values(), key=lambda p: p.order)
    ]
