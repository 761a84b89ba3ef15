"""Roster proposals in the clinic console (managers): ask for one, watch it compute,
compare its options side by side (a table and a trade-off chart) with what each changes
from the current roster, and publish one; the sick-day repair (ADR 0056)."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.pages import htmx_partial, staff_required
from yachi.rostering.changes import OrphansAppointments, require_manager
from yachi.rostering.forecast.console_views import pending_years
from yachi.rostering.proposals import access, repair, services
from yachi.rostering.proposals.demand import part_at
from yachi.rostering.proposals.models import ProposalStatus, RosterProposal
from yachi.rostering.proposals.tasks import compute_proposal_job

PARTS = {"morning": _("morning"), "afternoon": _("afternoon"), "evening": _("evening")}
LISTED = 10


def _clinic(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    require_manager(request.user, clinic)
    return clinic


def _next_monday(today: date) -> date:
    return today + timedelta(days=7 - today.weekday())


@staff_required
def proposals_page(request, clinic_id):
    clinic = _clinic(request, clinic_id)
    zone = ZoneInfo(clinic.timezone)
    today = timezone.now().astimezone(zone).date()
    # Clinics of the chain this manager also manages: planned together, they share doctors.
    chain_clinics = [
        c
        for c in clinics.staff_clinics(request.user)
        if c.chain_id == clinic.chain_id and clinics.may_manage(request.user, c)
    ]
    if request.method == "POST":
        post = request.POST
        chosen = [c for c in chain_clinics if str(c.public_id) in post.getlist("clinics")]
        if clinic not in chosen:
            chosen.insert(0, clinic)
        try:
            week_start = day_param(post.get("week_start"))
            if week_start is None:
                raise InvalidInput(_("Choose the Monday the roster starts on."))
            weeks = int(post.get("weeks") or 1) if (post.get("weeks") or "1") in "12" else 0
            with transaction.atomic():
                proposal = services.proposal_create(
                    actor=request.user, clinic_list=chosen, week_start=week_start, weeks=weeks
                )
                transaction.on_commit(lambda: compute_proposal_job(proposal.pk))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(
                "console:roster_proposal",
                clinic_id=clinic.public_id,
                proposal_id=proposal.public_id,
            )
    proposals = [
        p
        for p in RosterProposal.objects.filter(clinics=clinic).prefetch_related("clinics")[:LISTED]
        if all(clinics.may_manage(request.user, c) for c in p.clinics.all())
    ]
    return render(
        request,
        "rostering/console/proposals.html",
        {
            "clinic": clinic,
            "section": "roster",
            "proposals": proposals,
            "chain_clinics": chain_clinics,
            "next_monday": _next_monday(today),
            "manager": True,
            "arrangement_pending_years": pending_years(
                clinic, today, today + timedelta(weeks=services.FURTHEST_WEEKS_AHEAD + 1)
            ),
        },
    )


def _slots(shifts, zone) -> set[tuple[int, int, date, str]]:
    """A roster as the set of (doctor, clinic, date, half-day) it works."""
    result = set()
    for doctor_id, clinic_id, start, end in shifts:
        low, high = start.astimezone(zone), end.astimezone(zone)
        moment = low
        while moment < high:
            result.add((doctor_id, clinic_id, moment.date(), part_at(moment.time())))
            moment += timedelta(minutes=30)
    return result


def _current(proposal, zone) -> set:
    shifts = []
    for item in proposal.facts.get("current", []):
        for low, high in item["spans"]:
            shifts.append(
                (
                    item["doctor_id"],
                    item["clinic_id"],
                    datetime.fromisoformat(low),
                    datetime.fromisoformat(high),
                )
            )
    return _slots(shifts, zone)


def _option_rows(proposal, options, zone):
    """Each option with its objectives, hours and what it changes from the current roster."""
    current = _current(proposal, zone)
    names = clinics.roster_names(
        doctor_ids={s["doctor_id"] for o in options for s in o.shifts}
        | {item[0] for item in current},
        clinic_ids={c.pk for c in proposal.clinics.all()},
        chair_ids={s["chair_id"] for o in options for s in o.shifts if s["chair_id"]},
    )

    def label(slot):
        doctor_id, clinic_id, day, part = slot
        return {
            "doctor": names["doctor"].get(doctor_id, ("", "?"))[1],
            "clinic": names["clinic"].get(clinic_id, ("", "?"))[1],
            "day": day,
            "part": PARTS[part],
        }

    rows = []
    for index, option in enumerate(options, start=1):
        shifts = [
            (
                s["doctor_id"],
                s["clinic_id"],
                datetime.fromisoformat(s["start"]),
                datetime.fromisoformat(s["end"]),
            )
            for s in option.shifts
        ]
        proposed = _slots(shifts, zone)
        added = sorted(proposed - current, key=lambda s: (s[2], s[3], s[0]))
        removed = sorted(current - proposed, key=lambda s: (s[2], s[3], s[0]))
        hours = sum((end - start).total_seconds() for _d, _c, start, end in shifts) / 3600
        by_day = defaultdict(list)
        for s in sorted(option.shifts, key=lambda s: s["start"]):
            start = datetime.fromisoformat(s["start"]).astimezone(zone)
            end = datetime.fromisoformat(s["end"]).astimezone(zone)
            by_day[start.date()].append(
                {
                    "doctor": names["doctor"].get(s["doctor_id"], ("", "?"))[1],
                    "clinic": names["clinic"].get(s["clinic_id"], ("", "?"))[1],
                    "chair": names["chair"].get(s["chair_id"], ("", ""))[1],
                    "start": start,
                    "end": end,
                    "emergency": s.get("emergency_minutes", 0),
                }
            )
        rows.append(
            {
                "option": option,
                "label": _("Option %(number)s") % {"number": index},
                "objectives": option.objectives,
                "hours": round(hours, 1),
                "added": [label(s) for s in added],
                "removed": [label(s) for s in removed],
                "days": sorted(by_day.items()),
            }
        )
    return rows


def _chart(rows) -> dict:
    def series(name, label, axis=0, kind="bar"):
        return {
            "name": name,
            "label": label,
            "type": kind,
            "yAxisIndex": axis,
            "data": [row["objectives"][name] for row in rows],
        }

    return {
        "categories": [row["label"] for row in rows],
        "axes": [{"name": _("minutes")}, {"name": _("hours / count"), "secondary": True}],
        "series": [
            series("unmet_demand_minutes", _("Unmet demand (weighted minutes)")),
            series("emergency_buffer_minutes", _("Emergency buffer (minutes)")),
            series("imbalance_hours", _("Workload imbalance (hours)"), 1, "line"),
            series("overtime_hours", _("Overtime (hours)"), 1, "line"),
            series("preference_violations", _("Preferences not met"), 1, "line"),
        ],
    }


@staff_required
def proposal_page(request, clinic_id, proposal_id):
    clinic = _clinic(request, clinic_id)
    proposal = access.access_proposal_by_id(actor=request.user, proposal_id=proposal_id)
    zone = ZoneInfo(clinic.timezone)
    context = {
        "clinic": clinic,
        "section": "roster",
        "proposal": proposal,
        "progress": services.progress_of(proposal),
    }
    computing = proposal.status in (ProposalStatus.QUEUED, ProposalStatus.RUNNING)
    if getattr(request, "htmx", None) and not computing:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # computed: the whole page shows the options
        return response
    if proposal.status == ProposalStatus.READY:
        options = list(proposal.options.all())
        rows = _option_rows(proposal, options, zone)
        context.update(rows=rows, chart=_chart(rows), demand=proposal.facts.get("demand", {}))
        context["published"] = next((r for r in rows if r["option"].published_at), None)
    template = htmx_partial(
        request,
        "rostering/partials/proposal_progress.html",
        "rostering/console/proposal.html",
        target="proposal-progress",
    )
    return render(request, template, context)


@staff_required
@require_POST
def publish_action(request, clinic_id, proposal_id, option_id):
    clinic = _clinic(request, clinic_id)
    option = access.access_option_by_id(
        actor=request.user, proposal_id=proposal_id, option_id=option_id
    )
    try:
        services.option_publish(actor=request.user, option=option)
    except OrphansAppointments as exc:
        proposal = option.proposal
        rows = _option_rows(proposal, list(proposal.options.all()), ZoneInfo(clinic.timezone))
        return render(
            request,
            "rostering/console/proposal.html",
            {
                "clinic": clinic,
                "section": "roster",
                "proposal": proposal,
                "rows": rows,
                "chart": _chart(rows),
                "orphans": {"visits": exc.visits, "message": exc.message},
            },
            status=409,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The roster is published: patients can book its hours."))
    return redirect("console:roster_proposal", clinic_id=clinic.public_id, proposal_id=proposal_id)


@staff_required
def sick_page(request, clinic_id):
    """A doctor calls in sick: the smallest change that covers their booked patients."""
    clinic = _clinic(request, clinic_id)
    doctors = clinics.clinic_doctors(clinic=clinic)
    zone = ZoneInfo(clinic.timezone)
    today = timezone.now().astimezone(zone).date()
    context = {"clinic": clinic, "section": "roster", "doctors": doctors, "today": today}
    source = request.POST if request.method == "POST" else request.GET
    doctor = next((d for d in doctors if str(d.public_id) == source.get("doctor", "")), None)
    day = day_param(source.get("day")) if source.get("day") else None
    if doctor is not None and day is not None:
        try:
            if request.method == "POST":
                plan = repair.sick_day_apply(
                    actor=request.user, clinic=clinic, doctor=doctor, day=day
                )
                messages.success(
                    request,
                    _(
                        "The sick day is recorded: %(covered)s patients handed to a colleague "
                        "and told, %(asked)s asked to choose another time."
                    )
                    % {"covered": len(plan.handovers), "asked": len(plan.to_move)},
                )
                context["applied"] = True
            else:
                plan = repair.sick_day_plan(clinic=clinic, doctor=doctor, day=day)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            context.update(plan=plan, doctor=doctor, day=day)
    return render(request, "rostering/console/sick.html", context)
