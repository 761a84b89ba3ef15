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
- ``register_sign_in_step(step)``: ``step(sign_in)`` runs after a patient logged in or
  signed up (a ``SignIn``: whether the account is new, the invite code and the device
  signals the app or page sent, where the request came from) and returns fields for the
  login's answer (``{"invite": {...}}``). A step that fails is logged; the login stands.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

_profile_parts: list[Callable] = []
_patient_openers: list[Callable] = []
_roles_held: list[Callable] = []
_sign_in_steps: list[Callable] = []


@dataclass(frozen=True)
class SignIn:
    user: object
    new_account: bool
    method: str
    invite_code: str = ""
    # What the app or the login page says of the device (install id, model, screen…).
    device: dict = field(default_factory=dict)
    ip: str | None = None
    user_agent: str = ""
    accept_language: str = ""


def register_sign_in_step(step: Callable) -> None:
    if step not in _sign_in_steps:
        _sign_in_steps.append(step)


def signed_in(sign_in: SignIn) -> dict:
    fields: dict = {}
    for step in _sign_in_steps:
        try:
            fields.update(step(sign_in) or {})
        except Exception:
            logger.exception("sign-in step %s failed", getattr(step, "__qualname__", step))
    return fields


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
