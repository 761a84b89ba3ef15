"""Return on ad spend per channel: conversions attributed by first or last touch, the
spend entered for the months in view, the cost per acquired patient (spend ÷ sign-ups)
and ROAS (revenue ÷ spend). Aggregated in the database: one query for conversions, one
for spend, one for channels, whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from yachi.growth.attribution.models import AdSpend, Channel, Conversion, ConversionKind

MODELS = ("first", "last")


@dataclass
class ChannelRow:
    channel: Channel
    signups: int = 0
    bookings: int = 0
    visits: int = 0
    revenue_fen: int = 0
    spend_fen: int = 0

    @property
    def cost_per_patient_fen(self) -> int | None:
        if not self.signups:
            return None
        return int((Decimal(self.spend_fen) / self.signups).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def roas(self) -> Decimal | None:
        if not self.spend_fen:
            return None
        return (Decimal(self.revenue_fen) / self.spend_fen).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Report:
    model: str
    first_month: date
    last_month: date
    rows: list[ChannelRow]
    months: list[date] = field(default_factory=list)
    # channel id → month → (signups, revenue_fen, spend_fen)
    monthly: dict = field(default_factory=dict)


def _months(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return months


def channel_report(*, model: str, first_month: date, last_month: date) -> Report:
    model = model if model in MODELS else "first"
    link = "first_link" if model == "first" else "last_link"
    end = date(last_month.year + last_month.month // 12, last_month.month % 12 + 1, 1)
    channels = {c.pk: c for c in Channel.objects.all()}
    rows = {pk: ChannelRow(channel) for pk, channel in channels.items()}
    monthly: dict = {pk: {} for pk in channels}
    conversions = (
        Conversion.objects.filter(**{f"{link}__isnull": False}, at__date__gte=first_month)
        .filter(at__date__lt=end)
        .annotate(month=TruncMonth("at"))
        .values(f"{link}__channel_id", "month")
        .annotate(
            signups=Count("pk", filter=Q(kind=ConversionKind.SIGNUP)),
            bookings=Count("pk", filter=Q(kind=ConversionKind.BOOKING)),
            visits=Count("pk", filter=Q(kind=ConversionKind.VISIT)),
            revenue=Sum("amount_fen", filter=Q(kind=ConversionKind.REVENUE)),
        )
    )
    for item in conversions:
        pk = item[f"{link}__channel_id"]
        row = rows[pk]
        row.signups += item["signups"]
        row.bookings += item["bookings"]
        row.visits += item["visits"]
        row.revenue_fen += item["revenue"] or 0
        month = item["month"].date() if hasattr(item["month"], "date") else item["month"]
        signups, revenue, spend = monthly[pk].get(month, (0, 0, 0))
        monthly[pk][month] = (signups + item["signups"], revenue + (item["revenue"] or 0), spend)
    for spend in AdSpend.objects.filter(month__gte=first_month, month__lte=last_month):
        rows[spend.channel_id].spend_fen += spend.amount_fen
        signups, revenue, total = monthly[spend.channel_id].get(spend.month, (0, 0, 0))
        monthly[spend.channel_id][spend.month] = (signups, revenue, total + spend.amount_fen)
    ordered = sorted(rows.values(), key=lambda r: (-r.revenue_fen, r.channel.name))
    return Report(
        model=model,
        first_month=first_month,
        last_month=last_month,
        rows=ordered,
        months=_months(first_month, last_month),
        monthly=monthly,
    )


def chart_data(report: Report) -> dict:
    """The chart's figures as plain data for ECharts (the shared include reads it)."""
    names = [row.channel.name for row in report.rows]
    return {
        "categories": names,
        "series": [
            {
                "name": "roas",
                "type": "bar",
                "data": [float(r.roas) if r.roas is not None else None for r in report.rows],
            },
            {
                "name": "cost",
                "type": "bar",
                "yAxisIndex": 1,
                "data": [
                    (r.cost_per_patient_fen / 100 if r.cost_per_patient_fen is not None else None)
                    for r in report.rows
                ],
            },
        ],
    }
