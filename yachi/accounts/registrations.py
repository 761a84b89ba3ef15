"""What the contexts above accounts register with it when their app loads, so that
accounts never imports them.

- ``register_profile_part(part)``: ``part(user)`` returns fields of the ``/me`` profile
  (a patient's own record, a doctor's id, a staff member's clinics).
- ``register_roles_held(roles)``: ``roles(user)`` returns the clinic and chain roles a
  staff member holds anywhere (clinics knows them), so that the second factor follows
  whether they manage anything.
- ``register_patient_opener(opener)``: ``opener(user=..., name=..., rename=...)`` runs in
  the transaction that registers a patient user or finds one at the front desk, so the
  patient's own records exist from the start; ``rename`` says the user was just given
  ``name``.
"""

from collections.abc import Callable

_profile_parts: list[Callable] = []
_patient_openers: list[Callable] = []
_roles_held: list[Callable] = []


def register_profile_part(part: Callable) -> None:
    if part not in _profile_parts:
        _profile_parts.append(part)


def register_patient_opener(opener: Callable) -> None:
    if opener not in _patient_openers:
        _patient_openers.append(opener)


def register_roles_held(roles: Callable) -> None:
    if roles not in _roles_held:
        _roles_held.append(roles)


def roles_held(user) -> frozenset[str]:
    """The account's own role and every role its holder has at clinics and chains."""
    held = {user.role}
    for roles in _roles_held:
        held |= set(roles(user))
    return frozenset(held)


def profile_parts(user) -> dict:
    fields = {}
    for part in _profile_parts:
        fields.update(part(user))
    return fields


def patient_opened(*, user, name: str = "", rename: bool = False) -> None:
    for opener in _patient_openers:
        opener(user=user, name=name, rename=rename)
