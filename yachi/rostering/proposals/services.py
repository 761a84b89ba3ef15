"""Roster proposals: asking for one, computing its options (a job), and publishing one
option as the working hours booking uses — in one transaction, audited, refused while
it would leave a booked visit without its doctor (ADR 0056)."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.core.events import publish
from yachi.rostering.changes import OrphansAppointments, require_manager
from yachi.rostering.events import RosterChanged
from yachi.rostering.proposals import sources
from yachi.rostering.proposals.models import (
    LONGEST_HORIZON_WEEKS,
    ProposalStatus,
    PublishedDay,
    PublishedShift,
    RosterOption,
    RosterProposal,
)
from yachi.rostering.selectors import working_intervals

# A roster is planned for the coming weeks: from this week's Monday up to this far ahead.
FURTHEST_WEEKS_AHEAD = 8
MOST_CLINICS = 20


class NotReady(Conflict):
    code = "proposal_not_ready"
    default_message = _("This proposal is still being computed.")


def _check_request(*, clinic_list, week_start: date, weeks: int, today: date) -> None:
    if weeks < 1 or weeks > LONGEST_HORIZON_WEEKS:
        raise InvalidInput(_("Plan one or two weeks."), code="invalid_weeks")
    if week_start.weekday() != 0:
        raise InvalidInput(_("A roster week starts on a Monday."), code="not_a_monday")
    this_monday = today - timedelta(days=today.weekday())
    if week_start < this_monday:
        raise InvalidInput(_("Plan a week that has not passed."), code="week_passed")
    if week_start > this_monday + timedelta(weeks=FURTHEST_WEEKS_AHEAD):
        raise InvalidInput(
            _("Plan at most %(weeks)s weeks ahead.") % {"weeks": FURTHEST_WEEKS_AHEAD},
            code="too_far",
        )
    if not clinic_list:
        raise InvalidInput(_("Choose at least one clinic."), code="no_clinics")
    if len({c.timezone for c in clinic_list}) > 1:
        raise InvalidInput(_("Plan clinics of one time zone together."), code="time_zones")


def proposal_create(
    *, actor, clinic_list: list, week_start: date, weeks: int, operator: bool = False
) -> RosterProposal:
    """A proposal waiting to be computed, for clinics the actor manages (``operator``: asked
    on the server's command line, by whoever runs it, with no actor)."""
    if not operator:
        for clinic in clinic_list:
            require_manager(actor, clinic)
    zone = ZoneInfo(clinic_list[0].timezone) if clinic_list else timezone.get_current_timezone()
    _check_request(
        clinic_list=clinic_list,
        week_start=week_start,
        weeks=weeks,
        today=timezone.now().astimezone(zone).date(),
    )
    with transaction.atomic():
        proposal = RosterProposal.objects.create(
            week_start=week_start, weeks=weeks, created_by=actor
        )
        proposal.clinics.set(clinic_list)
        for clinic in clinic_list:
            audit_record(
                action=AuditAction.ROSTER_PROPOSED,
                actor=actor,
                object_type="roster_proposal",
                object_id=str(proposal.public_id),
                clinic=clinic,
                details={"week_start": week_start.isoformat(), "weeks": weeks},
            )
    return proposal


BUILT_PERCENT = 10


def progress_of(proposal: RosterProposal, now: datetime | None = None) -> int:
    """How far a proposal is, in percent: the optimizer stops at its time limit, so the
    share of that limit gone since it started is an honest estimate (never 100 % before
    the options are written)."""
    if proposal.status != ProposalStatus.RUNNING or proposal.progress < BUILT_PERCENT:
        return proposal.progress
    elapsed = ((now or timezone.now()) - proposal.started_at).total_seconds()
    share = elapsed / max(1, settings.YACHI_ROSTER_TIME_LIMIT_SECONDS)
    return min(99, BUILT_PERCENT + int((100 - BUILT_PERCENT) * share))


def proposal_compute(*, proposal: RosterProposal) -> RosterProposal:
    """Build the instance, run the optimizer and store its front as the options.

    The row says how far it is: 10 % once the instance is built, then the share of the
    optimizer's time limit gone (``progress_of``), 100 % with the options, written together
    when the front is complete."""
    from yachi.rostering.proposals.instance import instance_build
    from yachi.rostering.proposals.solving import front_of

    claimed = RosterProposal.objects.filter(pk=proposal.pk, status=ProposalStatus.QUEUED).update(
        status=ProposalStatus.RUNNING, progress=1, started_at=timezone.now()
    )
    if not claimed:
        proposal.refresh_from_db()
        return proposal  # computed (or being computed) by another worker
    clinic_list = list(proposal.clinics.order_by("pk"))
    zone = ZoneInfo(clinic_list[0].timezone)
    try:
        built = instance_build(
            clinic_list=clinic_list,
            week_start=proposal.week_start,
            weeks=proposal.weeks,
            today=proposal.created_at.astimezone(zone).date(),
        )
        RosterProposal.objects.filter(pk=proposal.pk).update(
            progress=BUILT_PERCENT, started_at=timezone.now()
        )
        options = front_of(built)
    except InvalidInput as exc:
        RosterProposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.FAILED, error=str(exc.message)[:200], progress=100
        )
        proposal.refresh_from_db()
        return proposal
    with transaction.atomic():
        RosterOption.objects.bulk_create(
            [
                RosterOption(
                    proposal=proposal,
                    position=position,
                    objectives=option["objectives"],
                    shifts=option["shifts"],
                    uncovered=option["uncovered"],
                )
                for position, option in enumerate(options)
            ]
        )
        RosterProposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.READY,
            progress=100,
            facts={"current": _current_facts(built.current), "demand": _demand_facts(built)},
        )
    proposal.refresh_from_db()
    return proposal


def _current_facts(current) -> list:
    return [
        {
            "doctor_id": doctor_id,
            "clinic_id": clinic_id,
            "date": day.isoformat(),
            "spans": [[low.isoformat(), high.isoformat()] for low, high in spans],
        }
        for (doctor_id, clinic_id, day), spans in sorted(current.items())
    ]


def _demand_facts(built) -> dict:
    minutes: dict[str, float] = defaultdict(float)
    for item in built.instance.demand:
        minutes[item.skill] += item.minutes
    return dict(minutes)


# --- publishing ------------------------------------------------------------------------


def _shift_rows(option: RosterOption, zone) -> list[dict]:
    rows = []
    for shift in option.shifts:
        start = datetime.fromisoformat(shift["start"]).astimezone(zone)
        end = datetime.fromisoformat(shift["end"]).astimezone(zone)
        rows.append({**shift, "start": start, "end": end})
    return rows


def _orphans(*, proposal, rows, clinic_list, zone) -> list:
    """Booked visits in the horizon (booked now: read under the lock) whose doctor the
    option does not keep there and then."""
    days = [proposal.week_start + timedelta(days=i) for i in range(7 * proposal.weeks)]
    low = datetime.combine(days[0], datetime.min.time(), tzinfo=zone)
    high = low + timedelta(days=len(days))
    spans: dict[tuple[int, int], list] = defaultdict(list)
    for row in rows:
        spans[(row["doctor_id"], row["clinic_id"])].append((row["start"], row["end"]))
    orphans = []
    for clinic in clinic_list:
        for visit in sources.booked(clinic_id=clinic.pk, start=max(low, timezone.now()), end=high):
            kept = spans.get((visit.doctor_id, clinic.pk), [])
            if not any(s <= visit.start and visit.end <= e for s, e in kept):
                orphans.append(visit)
    return orphans


def visit_out(visit) -> dict:
    return {
        "id": visit.id,
        "doctor": visit.doctor,
        "patient": visit.patient,
        "service": visit.service,
        "start": visit.start.isoformat(),
        "end": visit.end.isoformat(),
    }


def option_publish(*, actor, option: RosterOption) -> list[PublishedDay]:
    """The option's shifts become the working hours of its clinics on its dates.

    Under the proposal's row lock and booking's hold on new bookings, the visits booked
    now are checked again: any the option would leave without its doctor refuse the
    whole publication (``orphans_appointments``, with the list)."""
    proposal = option.proposal
    clinic_list = list(proposal.clinics.order_by("pk"))
    for clinic in clinic_list:
        require_manager(actor, clinic)
    zone = ZoneInfo(clinic_list[0].timezone)
    with transaction.atomic():
        locked = RosterProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != ProposalStatus.READY:
            raise NotReady()
        sources.hold_bookings()
        rows = _shift_rows(option, zone)
        orphans = _orphans(proposal=proposal, rows=rows, clinic_list=clinic_list, zone=zone)
        if orphans:
            raise OrphansAppointments(orphans)
        days = [proposal.week_start + timedelta(days=i) for i in range(7 * proposal.weeks)]
        clinic_ids = [c.pk for c in clinic_list]
        before = set(
            PublishedShift.objects.filter(
                day__clinic_id__in=clinic_ids, day__date__in=days
            ).values_list("doctor_id", flat=True)
        )
        PublishedDay.objects.filter(clinic_id__in=clinic_ids, date__in=days).delete()
        published = PublishedDay.objects.bulk_create(
            [PublishedDay(clinic_id=c, date=d, option=option) for c in clinic_ids for d in days]
        )
        by_key = {(p.clinic_id, p.date): p for p in published}
        PublishedShift.objects.bulk_create(
            [
                PublishedShift(
                    day=by_key[(row["clinic_id"], row["start"].date())],
                    doctor_id=row["doctor_id"],
                    chair_id=row["chair_id"],
                    start_time=row["start"].time(),
                    end_time=row["end"].time(),
                    emergency_minutes=row.get("emergency_minutes", 0),
                )
                for row in rows
            ]
        )
        RosterOption.objects.filter(pk=option.pk).update(
            published_at=timezone.now(), published_by=actor
        )
        doctors = before | {row["doctor_id"] for row in rows}
        for doctor_id in sorted(doctors):
            publish(RosterChanged(doctor_id=doctor_id))
        for clinic in clinic_list:
            audit_record(
                action=AuditAction.ROSTER_PUBLISHED,
                actor=actor,
                object_type="roster_option",
                object_id=str(option.public_id),
                clinic=clinic,
                details={
                    "proposal": str(proposal.public_id),
                    "week_start": proposal.week_start.isoformat(),
                    "weeks": proposal.weeks,
                    "shifts": sum(1 for row in rows if row["clinic_id"] == clinic.pk),
                    "objectives": option.objectives,
                },
            )
    option.refresh_from_db()
    return published


def published_hours(*, clinic, first_day: date, last_day: date) -> dict:
    """The working time booking now reads at ``clinic`` (for the page and the check)."""
    doctors = [d.pk for d in clinics.clinic_doctors(clinic=clinic)]
    return working_intervals(
        doctor_ids=doctors,
        clinic_id=clinic.pk,
        zone=ZoneInfo(clinic.timezone),
        first_day=first_day,
        last_day=last_day,
    )
