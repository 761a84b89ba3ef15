"""What a person may do at a clinic: the one place that answers it (ADR 0026).

A staff member's roles belong to their places at clinics, not to their account:

- a doctor at the clinics of ``Doctor.clinics``;
- front desk or manager at the clinics of their ``StaffMembership``s (one role each);
- a regional manager over the clinics of a ``ChainAssignment``, chain operations over
  every clinic of its chain.

Each role grants *duties* at the clinics it covers, and every check in the project asks
for a duty at a clinic (``may``, ``require``) or for the clinics where a duty is held
(``clinics_where``); none reads a role itself. An administrator of the installation
holds every duty everywhere but a doctor's.

Nothing is remembered between calls: a user object may outlive a request (the token
cache keeps them), and a role taken away must count at once. Each answer is one query.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import CharField, F, Value
from django.utils.translation import gettext as _

from yachi.clinics.models import Clinic, StaffMembership
from yachi.core.errors import PermissionDenied
from yachi.core.roles import ChainRole, ClinicRole, Role


class Duty(StrEnum):
    SEE = "see"  # open the clinic's pages: calendar, booking at the desk, saturation, patients
    TREAT = "treat"  # a doctor's work: charts, clinical notes, emergencies
    DESK = "desk"  # the front desk's work: till, bills, refunds, mall orders and stock, absences
    MANAGE = "manage"  # rosters, the clinic calendar, flash sales, the audit trail, coupons


DUTIES: dict[str, frozenset[Duty]] = {
    ClinicRole.DOCTOR: frozenset({Duty.SEE, Duty.TREAT}),
    ClinicRole.FRONT_DESK: frozenset({Duty.SEE, Duty.DESK}),
    ClinicRole.MANAGER: frozenset({Duty.SEE, Duty.DESK, Duty.MANAGE}),
    ChainRole.REGIONAL_MANAGER: frozenset({Duty.SEE, Duty.DESK, Duty.MANAGE}),
    ChainRole.CHAIN_OPERATIONS: frozenset({Duty.SEE, Duty.DESK, Duty.MANAGE}),
}
ADMIN_DUTIES = frozenset({Duty.SEE, Duty.DESK, Duty.MANAGE})

# The role a clinic is shown with in the sidebar when a person holds several there.
PRECEDENCE = (
    ChainRole.CHAIN_OPERATIONS,
    ChainRole.REGIONAL_MANAGER,
    ClinicRole.MANAGER,
    ClinicRole.FRONT_DESK,
    ClinicRole.DOCTOR,
)

_REFUSALS = {
    Duty.SEE: lambda: _("You do not work at this clinic."),
    Duty.TREAT: lambda: _("Clinical records are for doctors only."),
    Duty.DESK: lambda: _("This is the front desk's and managers' work at this clinic."),
    Duty.MANAGE: lambda: _("Only this clinic's managers may do this."),
}


@dataclass(frozen=True)
class Standing:
    """The roles a person holds, per clinic (by primary key)."""

    everywhere: bool = False  # an administrator of the installation
    at: dict[int, frozenset[str]] = field(default_factory=dict)

    def roles_at(self, clinic_id: int) -> frozenset[str]:
        return self.at.get(clinic_id, frozenset())

    def duties_at(self, clinic_id: int) -> frozenset[Duty]:
        duties = ADMIN_DUTIES if self.everywhere else frozenset()
        for role in self.roles_at(clinic_id):
            duties |= DUTIES[role]
        return duties

    def clinics_where(self, duty: Duty) -> set[int] | None:
        if self.everywhere and duty in ADMIN_DUTIES:
            return None
        return {pk for pk, roles in self.at.items() if any(duty in DUTIES[r] for r in roles)}

    @property
    def held(self) -> frozenset[str]:
        return frozenset().union(*self.at.values()) if self.at else frozenset()


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def standing(user, *, clinic_id: int | None = None) -> Standing:
    """Every role ``user`` holds (at ``clinic_id`` alone, when given), in one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Standing()
    if user.role not in (Role.STAFF, Role.ADMIN):
        return Standing()
    here = {"pk": clinic_id} if clinic_id is not None else {}
    parts = [
        StaffMembership.objects.filter(user=user, **({"clinic_id": clinic_id} if here else {}))
        .values_list("clinic_id", "role")
        .order_by(),
        Clinic.objects.filter(doctors__user=user, **here)
        .values_list("pk", _text(ClinicRole.DOCTOR))
        .order_by(),
        # A regional manager covers the clinics listed, of the assignment's own chain only.
        Clinic.objects.filter(
            regional_assignments__user=user,
            regional_assignments__role=ChainRole.REGIONAL_MANAGER,
            regional_assignments__chain=F("chain"),
            **here,
        )
        .values_list("pk", _text(ChainRole.REGIONAL_MANAGER))
        .order_by(),
        Clinic.objects.filter(
            chain__assignments__user=user,
            chain__assignments__role=ChainRole.CHAIN_OPERATIONS,
            **here,
        )
        .values_list("pk", _text(ChainRole.CHAIN_OPERATIONS))
        .order_by(),
    ]
    at: dict[int, set[str]] = {}
    for pk, role in parts[0].union(*parts[1:], all=True):
        at.setdefault(pk, set()).add(role)
    return Standing(
        everywhere=user.role == Role.ADMIN,
        at={pk: frozenset(roles) for pk, roles in at.items()},
    )


def _pk(clinic) -> int:
    """A clinic, or its primary key; no clinic at all (a chain-wide payment) is one where
    only an administrator holds duties."""
    if clinic is None:
        return 0
    return clinic if isinstance(clinic, int) else clinic.pk


def roles_at(user, clinic) -> frozenset[str]:
    """Every role ``user`` holds at ``clinic`` (a doctor who also manages it holds two)."""
    return standing(user, clinic_id=_pk(clinic)).roles_at(_pk(clinic))


def principal(roles) -> str | None:
    return next((role for role in PRECEDENCE if role in roles), None)


def role_at(user, clinic) -> str | None:
    """The role ``user`` is shown with at ``clinic``: the widest of those held there;
    ``"admin"`` for an administrator who holds none; None for a stranger to it."""
    roles = roles_at(user, clinic)
    if not roles and getattr(user, "role", None) == Role.ADMIN:
        return Role.ADMIN
    return principal(roles)


def may(user, clinic, duty: Duty) -> bool:
    return duty in standing(user, clinic_id=_pk(clinic)).duties_at(_pk(clinic))


def may_manage(user, clinic) -> bool:
    return may(user, clinic, Duty.MANAGE)


def require(user, clinic, duty: Duty, message: str | None = None) -> None:
    """Refuse (403) unless ``user`` holds ``duty`` at ``clinic``."""
    if not may(user, clinic, duty):
        raise PermissionDenied(message or _REFUSALS[duty](), code=f"{duty}_forbidden")


def clinics_where(user, duty: Duty) -> set[int] | None:
    """The clinics (primary keys) where ``user`` holds ``duty``; None means every clinic."""
    return standing(user).clinics_where(duty)


def anywhere(user, duty: Duty) -> bool:
    """Whether ``user`` holds ``duty`` at some clinic: chain-wide pages (the mall's
    catalogue, coupon templates, reconciliation) are for those who manage somewhere."""
    where = clinics_where(user, duty)
    return where is None or bool(where)


def require_anywhere(user, duty: Duty, message: str | None = None) -> None:
    if not anywhere(user, duty):
        raise PermissionDenied(message or _REFUSALS[duty](), code=f"{duty}_forbidden")


def held_roles(user) -> frozenset[str]:
    """Every clinic and chain role ``user`` holds anywhere (the second factor asks)."""
    return standing(user).held


def clinics_with_roles(user, *, known: Standing | None = None) -> list[tuple[Clinic, str]]:
    """The clinics ``user`` works at, by name, each with the role shown for it there
    (``known``: the user's standing everywhere, when the caller has read it already)."""
    mine = known if known is not None else standing(user)
    if mine.everywhere:
        clinics = list(Clinic.objects.select_related("chain").order_by("name"))
    else:
        clinics = list(
            Clinic.objects.filter(pk__in=mine.at).select_related("chain").order_by("name")
        )
    return [(clinic, principal(mine.roles_at(clinic.pk)) or Role.ADMIN) for clinic in clinics]
