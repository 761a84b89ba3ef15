"""The dashboards' part of the JSON API (ADR 0053)."""

from ninja import Field, Query, Router, Schema

from yachi.core.schemas import Line, errors
from yachi.crm.reports.access import report_scope
from yachi.crm.reports.figures import dashboard

router = Router(tags=["reports"])


class SummaryQuery(Schema):
    clinic_id: Line | None = Field(
        None, max_length=64, description="a clinic's id; left out: the whole chain (chain roles)"
    )
    date_from: Line | None = Field(
        None, max_length=32, description="first day, YYYY-MM-DD (default: 29 days before date_to)"
    )
    date_to: Line | None = Field(
        None, max_length=32, description="last day, YYYY-MM-DD, included (default: today)"
    )


class SummaryOut(Schema):
    clinic_ids: list[str] = Field(description="the clinics added up")
    date_from: str
    date_to: str
    revenue_fen: int = Field(description="received in the range minus refunds paid out in it")
    paid_fen: int = Field(description="received in the range")
    refunds_fen: int = Field(description="refunds paid out in the range")
    visits: int = Field(description="completed appointments that started in the range")
    appointments: int
    new_patients: int = Field(description="first completed visit at these clinics in the range")
    returning_patients: int
    no_shows: int
    no_show_rate: float | None = Field(description="no-shows ÷ appointments due; null: none due")
    cancellations: int
    cancellation_rate: float | None
    chair_utilisation: float | None = Field(description="booked chair minutes ÷ chair minutes")
    doctor_utilisation: float | None = Field(description="booked ÷ rostered working minutes")
    average_wait_minutes: float | None = Field(description="check-in to first call")
    coupons_issued: int
    coupons_redeemed: int
    coupon_conversion_rate: float | None
    nps: int | None = Field(description="−100 to 100; null: no survey source or no answers")
    nps_responses: int


@router.get("/clinic/reports/summary", response={200: SummaryOut, **errors(401, 403, 404, 422)})
def report_summary(request, query: Query[SummaryQuery]):
    """A clinic's figures (its managers; chain roles may leave out ``clinic_id`` for the
    whole chain) over at most 366 days, both ends included."""
    scope = report_scope(
        actor=request.user,
        clinic_id=query.clinic_id,
        date_from=query.date_from,
        date_to=query.date_to,
    )
    summary = dashboard(scope).summary
    return {
        "clinic_ids": [c.public_id for c in scope.clinics],
        "date_from": scope.first_day.isoformat(),
        "date_to": scope.last_day.isoformat(),
        **{k: v for k, v in summary.items() if k in SummaryOut.model_fields},
    }
