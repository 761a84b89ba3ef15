"""The demand forecast in the JSON API (ADR 0054)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yachi.clinics import facade as clinics
from yachi.core.errors import InvalidInput
from yachi.core.schemas import InputSchema, IsoDate, Line, errors
from yachi.rostering.forecast import selectors

router = Router(tags=["rosters"])

# A year of history back, and the planning horizon ahead.
WEEKS_BACK = 52
WEEKS_AHEAD = 8


class ForecastQuery(InputSchema):
    clinic_id: Line
    week_start: IsoDate


class CellOut(Schema):
    date: str
    half_day: str
    skill: str
    forecast_minutes: float
    baseline_minutes: float
    actual_minutes: float | None


class BacktestOut(Schema):
    weeks: int
    mae: float
    mase: float
    baseline_mae: float
    baseline_mase: float


class ForecastOut(Schema):
    clinic_id: str
    week_start: str
    skills: list[str]
    half_days: list[str]
    cells: list[CellOut]
    backtest: BacktestOut | None
    make_up_days_pending: list[int] = Field(
        description="Years of this week whose make-up working days (调休) are not in the "
        "clinic's calendar: only the statutory days off are known until the State Council's "
        "arrangement is published and a manager enters it."
    )


def checked_week(week_start):
    """A Monday within a year back and the planning horizon ahead."""
    if week_start.weekday() != 0:
        raise InvalidInput(_("The week starts on a Monday."), code="not_a_monday")
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    if not (
        monday - timedelta(weeks=WEEKS_BACK) <= week_start <= monday + timedelta(weeks=WEEKS_AHEAD)
    ):
        raise InvalidInput(
            _("Choose a week within a year back and %(weeks)s weeks ahead.")
            % {"weeks": WEEKS_AHEAD},
            code="week_out_of_range",
        )
    return week_start


@router.get("/clinic/forecast", response={200: ForecastOut, **errors(401, 403, 404, 422)})
def clinic_forecast(request, query: Query[ForecastQuery]):
    """Managers and staff of the clinic: the week's forecast demand in minutes per skill
    and half-day, the seasonal naive baseline (the same half-day a week before) and, for
    days already past, the minutes booked; with the backtest's MAE and MASE."""
    clinic = clinics.staff_clinic_by_id(actor=request.user, clinic_id=query.clinic_id)
    clinics.require(request.user, clinic, clinics.Duty.SEE)
    week = selectors.week_forecast(clinic=clinic, week_start=checked_week(query.week_start))
    backtest = week.backtest
    last = week.week_start + timedelta(days=6)
    return {
        "clinic_id": str(clinic.public_id),
        "week_start": week.week_start.isoformat(),
        "skills": week.skills,
        "half_days": week.half_days,
        "cells": [
            {
                "date": cell.day.isoformat(),
                "half_day": cell.half_day,
                "skill": cell.skill,
                "forecast_minutes": cell.forecast,
                "baseline_minutes": cell.baseline,
                "actual_minutes": cell.actual,
            }
            for cell in week.cells
        ],
        "backtest": None
        if backtest is None
        else {
            "weeks": backtest.weeks,
            "mae": backtest.mae,
            "mase": backtest.mase,
            "baseline_mae": backtest.baseline_mae,
            "baseline_mase": backtest.baseline_mase,
        },
        "make_up_days_pending": [
            year
            for year in range(week.week_start.year, last.year + 1)
            if clinics.arrangement_pending(clinic=clinic, year=year)
        ],
    }
