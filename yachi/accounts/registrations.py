"""What the contexts above accounts register with it when their app loads, so that
accounts never imports them.

- ``register_profile_part(part)``: ``part(user)`` returns fields of the ``/me`` profile
  (a patient's own record, a doctor's id, a staff member's clinics).
- ``register_patient_opener(opener)``: ``opener(user=..., name=..., rename=...)`` runs in
  the transaction that registers a patient user or finds one at the front desk, so the
  patient's own records exist from the start; ``rename`` says the user was just given
  ``name``.
"""

from collections.abc import Callable

_profile_parts: list[Callable] = []
_patient_openers: list[Callable] = []


def register_profile_part(part: Callable) -> None:
    if part not in _profile_parts:
        _profile_parts.append(part)


def register_patient_opener(opener: Callable) -> None:
    if opener not in _patient_openers:
        _patient_openers.append(opener)


def profile_parts(user) -> dict:
    fields = {}
    for part in _profile_parts:
        fields.update(part(user))
    return fields


def patient_opened(*, user, name: str = "", rename: bool = False) -> None:
    for opener in _patient_openers:
        opener(user=user, name=name, rename=rename)
