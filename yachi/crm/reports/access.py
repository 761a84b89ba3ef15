"""Who may see which figures (ADR 0053, with the chain roles of ADR 0026).

A clinic's figures are for those who manage it (its manager, a regional manager over
it, chain operations, an administrator). Figures of the whole chain are for the chain
roles: they cover the clinics those roles manage. Full mobile numbers in a list or an
export are for the clinic's own manager or front desk at every clinic the list covers;
anyone else (chain roles, administrators) sees them masked.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.dates import day_from_text
from yachi.core.errors import InvalidInput, NotFound, PermissionDenied
from yachi.core.roles import ChainRole, ClinicRole

# The longest range one view adds up: a year and a day, so that a leap year fits.
LONGEST_RANGE_DAYS = 366
DEFAULT_RANGE_DAYS = 30


@dataclass(frozen=True)
class ClinicRef:
    pk: int
    public_id: str
    name: str


@dataclass(frozen=True)
class Scope:
    """The clinics and days a dashboard adds up, as the viewer may see them."""

    clinics: tuple[ClinicRef, ...]
    chain_wide: bool
    first_day: date
    last_day: date
    zone: ZoneInfo
    full_phones: bool

    @property
    def clinic_ids(self) -> list[int]:
        return [c.pk for c in self.clinics]

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, datetime.min.time(), tzinfo=self.zone)

    @property
    def end(self) -> datetime:
        return datetime.combine(
            self.last_day + timedelta(days=1), datetime.min.time(), tzinfo=self.zone
        )

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def clinic_public_id(self) -> str:
        return "" if self.chain_wide else self.clinics[0].public_id


def _day(raw: str | None, default: date, field: str) -> date:
    if raw is None or not str(raw).strip():
        return default
    try:
        return day_from_text(str(raw).strip())
    except ValueError:
        raise InvalidInput(
            _("Enter the date as YYYY-MM-DD, e.g. 2026-03-01."), code="invalid_date", field=field
        ) from None


def date_range(raw_from: str | None, raw_to: str | None, *, today: date) -> tuple[date, date]:
    """The range asked for: both days included, the last 30 days by default; reversed or
    longer than a year refused."""
    last = _day(raw_to, today, "date_to")
    first = _day(raw_from, last - timedelta(days=DEFAULT_RANGE_DAYS - 1), "date_from")
    if first > last:
        raise InvalidInput(_("The start date is after the end date."), code="date_range_reversed")
    if (last - first).days + 1 > LONGEST_RANGE_DAYS:
        raise InvalidInput(
            _("Choose at most %(days)d days at once.") % {"days": LONGEST_RANGE_DAYS},
            code="date_range_too_long",
        )
    return first, last


def report_scope(*, actor, clinic_id: str | None, date_from=None, date_to=None) -> Scope:
    """The scope ``actor`` asked for, or a refusal: 404 for an unknown clinic, 403 for a
    clinic they do not manage or the chain without a chain role, 422 for bad dates."""
    known = clinics.standing(actor)
    if clinic_id:
        clinic = clinics.clinic_by_id(clinic_id)
        if clinics.Duty.MANAGE not in known.duties_at(clinic.pk):
            raise PermissionDenied(
                _("Only this clinic's managers may see its figures."), code="manage_forbidden"
            )
        chosen = [clinic]
        chain_wide = False
    else:
        if not (known.everywhere or known.held & set(ChainRole.values)):
            raise PermissionDenied(
                _("Figures of the whole chain are for chain operations; choose a clinic."),
                code="chain_forbidden",
            )
        where = known.clinics_where(clinics.Duty.MANAGE)
        chosen = [c for c in clinics.active_clinics() if where is None or c.pk in where]
        if not chosen:
            raise NotFound(_("Clinic not found."), code="clinic_not_found")
        chain_wide = True
    zone = ZoneInfo(chosen[0].timezone)
    first, last = date_range(date_from, date_to, today=timezone.now().astimezone(zone).date())
    desk_roles = {ClinicRole.MANAGER, ClinicRole.FRONT_DESK}
    full_phones = all(desk_roles & known.roles_at(c.pk) for c in chosen)
    return Scope(
        clinics=tuple(ClinicRef(c.pk, str(c.public_id), c.display_name) for c in chosen),
        chain_wide=chain_wide,
        first_day=first,
        last_day=last,
        zone=zone,
        full_phones=full_phones,
    )


def masked_phone(phone: str) -> str:
    """138****5678: enough to recognise a number one already has."""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "****" if phone else ""


def shown_phone(scope: Scope, phone: str) -> str:
    return phone if scope.full_phones else masked_phone(phone)
