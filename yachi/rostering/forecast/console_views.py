"""The demand forecast in the console: a week's forecast against what was booked, with
the seasonal naive baseline and the backtest's error (ADR 0054)."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yachi.clinics import facade as clinics
from yachi.core.dates import day_param
from yachi.core.errors import DomainError
from yachi.core.pages import staff_required
from yachi.rostering.forecast import selectors
from yachi.rostering.forecast.api import checked_week
from yachi.rostering.forecast.model import AFTERNOON, EVENING, MORNING


def _half_day_names() -> dict[str, str]:
    return {MORNING: _("Morning"), AFTERNOON: _("Afternoon"), EVENING: _("Evening")}


def _chart(week, names) -> dict:
    """Per half-day of the week, all skills together: booked, forecast, baseline."""
    keys = [(cell.day, cell.half_day) for cell in week.cells]
    slots = list(dict.fromkeys(keys))
    totals = {slot: [0.0, 0.0, 0.0, False] for slot in slots}
    for cell in week.cells:
        row = totals[(cell.day, cell.half_day)]
        row[0] += cell.forecast
        row[1] += cell.baseline
        if cell.actual is not None:
            row[2] += cell.actual
            row[3] = True
    weekdays = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    return {
        "categories": [f"{weekdays[day.weekday()]} {names[half]}" for day, half in slots],
        "series": [
            {
                "name": _("Booked"),
                "type": "bar",
                "data": [round(totals[s][2]) if totals[s][3] else None for s in slots],
            },
            {"name": _("Forecast"), "type": "line", "data": [round(totals[s][0]) for s in slots]},
            {
                "name": _("Same half-day last week"),
                "type": "line",
                "data": [round(totals[s][1]) for s in slots],
            },
        ],
        "axes": [{"name": _("Minutes")}],
    }


def pending_years(clinic, first_day, last_day) -> list[int]:
    """Years of the dates shown whose make-up working days the clinic does not know yet."""
    return [
        year
        for year in range(first_day.year, last_day.year + 1)
        if clinics.arrangement_pending(clinic=clinic, year=year)
    ]


@staff_required
def forecast_page(request, clinic_id):
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    try:
        week_start = day_param(request.GET.get("week"), default=this_monday)
        week_start -= timedelta(days=week_start.weekday())
        checked_week(week_start)
    except DomainError as exc:
        messages.error(request, exc.message)
        week_start = this_monday
    week = selectors.week_forecast(clinic=clinic, week_start=week_start)
    names = _half_day_names()
    skill_names = dict(clinics.Skill.choices)
    by_skill = {skill: [0.0, 0.0, 0.0, False] for skill in week.skills}
    for cell in week.cells:
        row = by_skill[cell.skill]
        row[0] += cell.forecast
        row[1] += cell.baseline
        if cell.actual is not None:
            row[2] += cell.actual
            row[3] = True
    rows = [
        {
            "skill": skill_names.get(skill, skill),
            "forecast": round(values[0]),
            "baseline": round(values[1]),
            "actual": round(values[2]) if values[3] else None,
        }
        for skill, values in by_skill.items()
    ]
    return render(
        request,
        "rostering/console/forecast/week.html",
        {
            "clinic": clinic,
            "section": "forecast",
            "week_start": week_start,
            "week_end": week_start + timedelta(days=6),
            "previous": week_start - timedelta(weeks=1),
            "next": week_start + timedelta(weeks=1),
            "chart": _chart(week, names),
            "rows": rows,
            "backtest": week.backtest,
            "manager": clinics.may_manage(request.user, clinic),
            "arrangement_pending_years": pending_years(
                clinic, week_start, week_start + timedelta(days=6)
            ),
        },
    )
