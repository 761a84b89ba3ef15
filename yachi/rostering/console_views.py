"""Rosters in the clinic console: managers keep the weekly templates, leave and extra
shifts of their clinic's doctors, and its holiday calendar. A change that would leave
booked patients without their doctor is shown with those patients and waits for the
manager's confirmation."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError, InvalidInput
from yachi.core.models import as_public_id
from yachi.core.pages import staff_required
from yachi.rostering import changes
from yachi.rostering.choices import ExceptionKind, ShiftKind
from yachi.rostering.models import ShiftException, WeeklyShift

AHEAD_DAYS = 60


def _time(raw: str | None) -> time | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(_("Give times as HH:MM.")) from None


def _doctor(doctors, raw):
    doctor = next((d for d in doctors if str(d.public_id) == (raw or "")), None)
    if doctor is None:
        raise InvalidInput(_("Choose a doctor of this clinic."))
    return doctor


def _apply(request, clinic, doctors, confirm: bool):
    post = request.POST
    action = post.get("action", "")
    if action == "weekly_add":
        weekday = post.get("weekday", "")
        if weekday not in {str(day) for day in range(7)}:
            raise InvalidInput(_("Choose a weekday."))
        shift = WeeklyShift(
            doctor=_doctor(doctors, post.get("doctor")),
            clinic=clinic,
            weekday=int(weekday),
            start_time=_time(post.get("start")),
            end_time=_time(post.get("end")),
            kind=post.get("kind") or ShiftKind.REGULAR,
        )
        changes.weekly_shift_add(actor=request.user, clinic=clinic, shift=shift, confirm=confirm)
    elif action == "weekly_remove":
        shift = WeeklyShift.objects.filter(
            clinic=clinic, doctor__in=doctors, public_id=as_public_id(post.get("id"))
        ).first()
        if shift is None:
            raise InvalidInput(_("This shift is no longer in the roster."))
        changes.weekly_shift_remove(actor=request.user, clinic=clinic, shift=shift, confirm=confirm)
    elif action in ("leave_add", "extra_add"):
        day = day_param(post.get("day"))
        if day is None:
            raise InvalidInput(_("Choose a day."))
        exception = ShiftException(
            doctor=_doctor(doctors, post.get("doctor")),
            clinic=clinic,
            date=day,
            kind=ExceptionKind.LEAVE if action == "leave_add" else ExceptionKind.EXTRA,
            start_time=_time(post.get("start")),
            end_time=_time(post.get("end")),
            note=post.get("note", "").strip()[:200],
        )
        changes.exception_add(
            actor=request.user, clinic=clinic, exception=exception, confirm=confirm
        )
    elif action == "exception_remove":
        exception = ShiftException.objects.filter(
            doctor__in=doctors, public_id=as_public_id(post.get("id"))
        ).first()
        if exception is None:
            raise InvalidInput(_("This change is no longer in the roster."))
        changes.exception_remove(
            actor=request.user, clinic=clinic, exception=exception, confirm=confirm
        )
    else:
        raise InvalidInput(_("Unknown change."))


@staff_required
def roster_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    changes.require_manager(request.user, clinic)
    doctors = clinics.clinic_doctors(clinic=clinic)
    pending = None
    if request.method == "POST":
        try:
            _apply(request, clinic, doctors, confirm=request.POST.get("confirm") == "1")
        except changes.OrphansAppointments as exc:
            pending = {
                "visits": exc.visits,
                "fields": [(k, v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"],
                "message": exc.message,
            }
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The roster is saved."))
            return redirect("console:roster", clinic_id=clinic.public_id)
    today = timezone.localdate()
    weekly = (
        WeeklyShift.objects.filter(clinic=clinic, doctor__in=doctors)
        .select_related("doctor")
        .order_by("doctor__name", "weekday", "start_time")
    )
    exceptions = (
        ShiftException.objects.filter(
            doctor__in=doctors, date__gte=today, date__lte=today + timedelta(days=AHEAD_DAYS)
        )
        .select_related("doctor", "clinic")
        .order_by("date", "start_time")
    )
    return render(
        request,
        "rostering/console/roster.html",
        {
            "clinic": clinic,
            "section": "roster",
            "doctors": doctors,
            "weekly": weekly,
            "exceptions": exceptions,
            "weekdays": clinics.Weekday.choices,
            "pending": pending,
            "today": today,
        },
    )


@staff_required
def calendar_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    changes.require_manager(request.user, clinic)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, today.year - 1), today.year + 1)
    pending = None
    # Clinics of the chain this manager also manages: the published arrangement is one for all.
    chain = [
        c
        for c in clinics.staff_clinics(request.user)
        if c.chain_id == clinic.chain_id and clinics.may_manage(request.user, c)
    ]
    if request.method == "POST":
        post = request.POST
        try:
            action = post.get("action")
            if action == "seed":
                added = clinics.calendar_seed(clinic=clinic, years=(year,), actor=request.user)
                messages.success(request, _("%(count)s dates added.") % {"count": added})
            elif action == "arrangement":
                chosen = [c for c in chain if str(c.public_id) in post.getlist("clinics")]
                works_as = post.get("works_as", "")
                weekday = int(works_as) if works_as.isdigit() else clinics.Weekday.MONDAY
                written = clinics.arrangement_enter(
                    actor=request.user,
                    clinic_list=chosen or [clinic],
                    year=year,
                    days_off=_dated_lines(post.get("days_off", "")),
                    make_up=[
                        (day, weekday, name) for day, name in _dated_lines(post.get("make_up", ""))
                    ],
                )
                messages.success(request, _("%(count)s dates entered.") % {"count": written})
            else:
                day = day_param(post.get("day"))
                if day is None:
                    raise InvalidInput(_("Choose a day."))
                if action == "remove":
                    clinics.calendar_day_delete(actor=request.user, clinic=clinic, day=day)
                else:
                    kind = post.get("kind", "")
                    touched = _visits_on(clinic, day) if kind == clinics.DayKind.CLOSED else []
                    if touched and post.get("confirm") != "1":
                        raise changes.OrphansAppointments(touched)
                    works_as = post.get("works_as", "")
                    clinics.calendar_day_save(
                        actor=request.user,
                        clinic=clinic,
                        day=day,
                        kind=kind,
                        name=post.get("name", "")[:32],
                        works_as=int(works_as) if works_as.isdigit() else None,
                    )
                messages.success(request, _("The calendar is saved."))
        except changes.OrphansAppointments as exc:
            pending = {
                "visits": exc.visits,
                "fields": [(k, v) for k, v in post.items() if k != "csrfmiddlewaretoken"],
                "message": exc.message,
            }
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "rostering/console/calendar.html",
        {
            "clinic": clinic,
            "section": "roster",
            "year": year,
            "years": [today.year - 1, today.year, today.year + 1],
            "days": clinics.year_calendar(clinic=clinic, year=year),
            "kinds": clinics.DayKind.choices,
            "weekdays": clinics.Weekday.choices,
            "pending": pending,
            "chain": chain,
            "arrangement_pending": clinics.arrangement_pending(clinic=clinic, year=year),
        },
    )


MOST_ARRANGED_DATES = 40


def _dated_lines(text: str) -> list[tuple[date, str]]:
    """Lines of ``YYYY-MM-DD`` and an optional name (春节), as the notice lists them."""
    rows = []
    for line in text.splitlines():
        parts = line.strip().split(maxsplit=1)
        if not parts:
            continue
        day = day_param(parts[0])
        if day is None:
            raise InvalidInput(
                _("“%(line)s” does not start with a date (YYYY-MM-DD).")
                % {"line": line.strip()[:40]}
            )
        rows.append((day, parts[1] if len(parts) > 1 else ""))
    if len(rows) > MOST_ARRANGED_DATES:
        raise InvalidInput(_("Too many dates at once."))
    return rows


def _visits_on(clinic, day: date) -> list:
    doctors = clinics.clinic_doctors(clinic=clinic)
    zone = ZoneInfo(clinic.timezone)
    start = max(timezone.now(), datetime.combine(day, time.min, tzinfo=zone))
    return [
        visit
        for function in changes._booked_visits
        for visit in function(doctor_ids=[d.pk for d in doctors], clinic_id=clinic.pk, start=start)
        if visit.start.astimezone(zone).date() == day
    ]
