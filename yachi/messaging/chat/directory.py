"""What chat needs to know of clinics, families and appointments, told by those contexts
when their apps load.

Messaging stands beneath clinics, patients and booking (they send notifications through
it), so chat cannot import them. Each registers the reads chat asks of it here, as
booking registers its visits with patients: clinics who may answer a clinic's
conversations and whom they may be handed to, patients who is on a caller's family
account, booking the family's appointments at a clinic that a message can show as a card.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Member:
    """A person on a family account: ``pk`` and ``public_id`` of the patient row."""

    pk: int
    public_id: object
    name: str


@dataclass(frozen=True)
class Colleague:
    """Someone a conversation can be handed to: a user working at the clinic."""

    user_id: int
    public_id: object
    name: str
    role: str  # the role's name, as the console shows it


@dataclass(frozen=True)
class Card:
    """An appointment as a message shows it."""

    pk: int
    public_id: object
    patient_id: int
    clinic_id: int
    patient: str
    service: str
    doctor: str
    start: datetime
    status: str
    status_label: str


@dataclass(frozen=True)
class Clinics:
    # (public_id) -> the active clinic or None (a patient opening a conversation)
    clinic_by_public_id: Callable
    # () -> the active clinics, by name (whom a patient can write to)
    clinics_open: Callable
    # (pks) -> {pk: clinic} (names for lists)
    clinics_by_pk: Callable
    # (user, clinic_pk, duty) -> whether the user holds the duty ("see", "desk") there
    may: Callable
    # (user, duty) -> the clinic pks where the user holds the duty, None for every clinic
    clinics_where: Callable
    # (user_pks) -> {pk: name}: how staff appear (a doctor by the doctor's name)
    staff_names: Callable
    # (clinic_pk) -> [Colleague]: the front desk, managers and doctors of the clinic
    colleagues: Callable


@dataclass(frozen=True)
class Families:
    # (user, patient_public_id or None) -> the Member on the user's family account (its
    # holder for None), or None
    member_of: Callable
    # (user) -> [Member] on the user's family account, the holder first
    members_of: Callable
    # (patient_pks) -> {pk: name}
    names: Callable


@dataclass(frozen=True)
class Appointments:
    # (public_id, patient_pks, clinic_pk) -> the Card of that appointment when it is of
    # one of these people at that clinic, else None
    card_of: Callable
    # (pks) -> {pk: Card}
    cards: Callable
    # (patient_pks, clinic_pk) -> [Card]: their appointments to come there, soonest first
    upcoming: Callable


_registered: dict[str, object] = {}


def register_chat_clinics(**functions) -> None:
    _registered["clinics"] = Clinics(**functions)


def register_chat_families(**functions) -> None:
    _registered["families"] = Families(**functions)


def register_chat_appointments(**functions) -> None:
    _registered["appointments"] = Appointments(**functions)


class _Port:
    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attribute):
        found = _registered.get(self._name)
        if found is None:
            raise RuntimeError(f"nothing has registered chat's {self._name}")
        return getattr(found, attribute)


clinics: Clinics = _Port("clinics")  # type: ignore[assignment]
families: Families = _Port("families")  # type: ignore[assignment]
appointments: Appointments = _Port("appointments")  # type: ignore[assignment]
