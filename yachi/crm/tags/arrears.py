"""Money owed that other contexts know of, for the arrears tag.

Bills come from payments (``facts.gather``). A context above CRM that lends (financing's
instalments) registers ``read(patient_ids) -> [Owed]`` with ``register_arrears_source``:
each overdue amount counts like an unpaid bill dated on its due date, so the tag's
``days_overdue`` threshold counts from the day it fell due.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Owed:
    patient_id: int
    clinic_id: int
    due_at: datetime
    amount_fen: int


_sources: dict[str, Callable] = {}


def register_arrears_source(read: Callable, *, name: str | None = None) -> None:
    _sources[name or f"{read.__module__}.{read.__qualname__}"] = read


def owed(patient_ids=None) -> list[Owed]:
    found: list[Owed] = []
    for read in _sources.values():
        found.extend(read(patient_ids))
    return found
