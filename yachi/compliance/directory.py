"""Who the people and clinics in the audit trail are, as the contexts that know them say.

The trail stores actors by id and clinics by public id; compliance, beneath accounts and
clinics, cannot look them up itself. Accounts registers how to name actors and find
one by mobile number (``register_actor_lookup``); clinics registers what a manager's
part of the trail is (``register_audit_scope``) and which role a staff member acted in
at a clinic (``register_acting_role``). Both register when their app loads.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActorLookup:
    # ``names(ids)``: {actor id: display name} for the ids it knows.
    names: Callable[[Iterable[int]], dict[int, str]]
    # ``by_phone(phone)``: the id of the user with this number, or None; raises
    # DomainError for a malformed number.
    by_phone: Callable[[str], int | None]


@dataclass(frozen=True)
class AuditScope:
    """The entries a manager may see: about these clinics, or done by these actors."""

    clinics: set[str] = field(default_factory=set)
    actors: set[int] = field(default_factory=set)


_actor_lookup: ActorLookup | None = None
_scopes: list[Callable] = []
_acting_role: Callable | None = None


def register_actor_lookup(*, names, by_phone) -> None:
    global _actor_lookup
    _actor_lookup = ActorLookup(names=names, by_phone=by_phone)


def register_audit_scope(scope: Callable) -> None:
    """``scope(user)`` returns an ``AuditScope`` for a manager."""
    if scope not in _scopes:
        _scopes.append(scope)


def register_acting_role(role: Callable) -> None:
    """``role(actor, clinic)``: the role ``actor`` holds at ``clinic`` (an object with a
    primary key, or a public id), "" for none."""
    global _acting_role
    _acting_role = role


def acting_role(actor, clinic) -> str:
    return _acting_role(actor, clinic) if _acting_role else ""


def actor_names(ids: Iterable[int]) -> dict[int, str]:
    return _actor_lookup.names(ids) if _actor_lookup else {}


def actor_by_phone(phone: str) -> int | None:
    return _actor_lookup.by_phone(phone) if _actor_lookup else None


def audit_scope(user) -> AuditScope:
    clinics, actors = set(), set()
    for scope in _scopes:
        part = scope(user)
        clinics |= part.clinics
        actors |= part.actors
    return AuditScope(clinics=clinics, actors=actors)
