"""The list behind each figure (ADR 0053): the figure's own rows, as a table of the
patients, appointments or payments it counted. Names and numbers are opened only for
the rows shown (a page) or exported, and the read is audited by the caller."""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yachi.accounts import facade as accounts
from yachi.booking import facade as booking
from yachi.core.errors import NotFound
from yachi.crm.reports.access import shown_phone
from yachi.crm.reports.figures import Dashboard
from yachi.growth import facade as growth
from yachi.patients import facade as patients
from yachi.payments import facade as payments
from yachi.queueing import facade as queueing

# What each figure is called on its list page (the key's own part, e.g. a service, is
# named from the dashboard's rows).
TITLES = {
    "revenue": gettext_lazy("Revenue"),
    "refunds": gettext_lazy("Refunds"),
    "visits": gettext_lazy("Completed visits"),
    "appointments": gettext_lazy("Appointments"),
    "new_patients": gettext_lazy("New patients"),
    "returning_patients": gettext_lazy("Returning patients"),
    "no_shows": gettext_lazy("No-shows"),
    "cancellations": gettext_lazy("Cancellations"),
    "chair_booked": gettext_lazy("Booked chair time"),
    "doctor_booked": gettext_lazy("Booked doctor time"),
    "waits": gettext_lazy("Waiting times"),
    "nps": gettext_lazy("Survey answers"),
    "coupons": gettext_lazy("Coupons issued"),
    "coupons_redeemed": gettext_lazy("Coupons used"),
    "revenue_service": gettext_lazy("Revenue by service"),
    "revenue_doctor": gettext_lazy("Revenue by doctor"),
    "revenue_clinic": gettext_lazy("Revenue by clinic"),
    "revenue_channel": gettext_lazy("Revenue by channel"),
    "repurchase": gettext_lazy("Repurchase"),
    "due": gettext_lazy("Appointments due"),
    "campaign_bookings": gettext_lazy("Bookings from a campaign"),
    "campaign_signups": gettext_lazy("Sign-ups from a campaign"),
}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]  # cells: text or numbers (fen shown as yuan text)
    total: int
    kind: str  # "appointments" | "patients" | "payments" | "waits"
    patient_column: int | None = None  # the column naming the patient, linked to their page
    links: list = field(default_factory=list)  # per row: the patient's desk page, or ""

    @property
    def lines(self) -> list:
        return list(zip(self.rows, self.links or [""] * len(self.rows), strict=True))


def title_of(dashboard: Dashboard, figure: str) -> str:
    base, _sep, key = figure.partition(":")
    title = str(TITLES.get(base, figure))
    if not key:
        return title
    labels = {}
    for dimension, breakdown in dashboard.revenue_by.items():
        if base == f"revenue_{dimension}":
            labels = {k: label for k, label, _value in breakdown.rows}
    if base == "repurchase":
        labels = {r.code: r.label for r in dashboard.repurchase}
    if base == "doctor_booked":
        labels = {u.key: u.label for u in dashboard.doctors}
    if base == "chair_booked":
        labels = {u.key: u.label for u in dashboard.chairs}
    if base in ("coupons", "coupons_redeemed"):
        labels = {c.template: c.template for c in dashboard.coupons}
    if base == "waits":
        labels = {key: name for name, _count, _minutes, key in dashboard.waits_by_doctor}
    if base in ("due", "no_shows", "appointments", "cancellations"):
        labels = {key: name for name, *_counts, key in dashboard.clinic_rates}
    if base in ("campaign_bookings", "campaign_signups"):
        for c in dashboard.campaigns:
            labels[c.key] = f"{c.channel} · {c.campaign}"
            for clinic_key, clinic_name, _count in c.by_clinic:
                labels[clinic_key] = f"{c.channel} · {c.campaign} · {clinic_name}"
    return f"{title} · {labels.get(key, key)}"


def rows_behind(dashboard: Dashboard, figure: str) -> list:
    if figure not in dashboard.behind:
        raise NotFound(_("This figure has no list."), code="figure_not_found")
    return dashboard.behind[figure]


def _yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


def _local(moment: datetime | None, dashboard: Dashboard) -> str:
    if moment is None:
        return ""
    return formats.date_format(moment.astimezone(dashboard.scope.zone), "Y-m-d H:i")


def _kind(rows: list) -> str:
    if not rows:
        return "empty"
    first = rows[0]
    if isinstance(first, booking.AppointmentRow):
        return "appointments"
    if isinstance(first, payments.MoneyRow):
        return "payments"
    if isinstance(first, queueing.Wait):
        return "waits"
    if isinstance(first, growth.CouponIssued):
        return "coupons"
    if isinstance(first, growth.CampaignConversion):
        return "signups"
    if isinstance(first, tuple):
        return "repurchase"
    return "patients"


def table(dashboard: Dashboard, figure: str, rows: list, *, total: int) -> Table:
    """``rows``: the slice of ``rows_behind`` to show or export; ``total``: all of them."""
    scope, names = dashboard.scope, dashboard.names
    kind = _kind(rows)
    title = title_of(dashboard, figure)

    def cards(ids):
        return patients.patient_cards(ids)

    def person(card) -> list:
        if card is None:
            return ["", ""]
        return [card.name, shown_phone(scope, card.phone)]

    clinic_name = {pk: name for pk, (_public, name) in names["clinics"].items()}
    doctor_name = {pk: name for pk, (_public, name) in names["doctors"].items()}
    if kind == "appointments":
        found = cards(a.patient_id for a in rows)
        statuses = dict(booking.AppointmentStatus.choices)
        headers = [
            _("Time"),
            _("Clinic"),
            _("Doctor"),
            _("Service"),
            _("Patient"),
            _("Mobile number"),
            _("Status"),
        ]
        body = [
            [
                _local(a.start, dashboard),
                clinic_name.get(a.clinic_id, ""),
                doctor_name.get(a.doctor_id, ""),
                names["services"].get(a.service_code, a.service_code),
                *person(found.get(a.patient_id)),
                str(statuses.get(a.status, a.status)),
            ]
            for a in rows
        ]
    elif kind == "payments":
        payers = accounts.user_names(m.payer_id for m in rows if m.payer_id)
        purposes = dict(payments.Purpose.choices)
        headers = [
            _("Time"),
            _("Clinic"),
            _("Trade number"),
            _("Paid for"),
            _("Payment description"),
            _("Payer"),
            _("Received (yuan)"),
            _("Refunded (yuan)"),
            _("Net (yuan)"),
        ]
        body = [
            [
                _local(m.first_at, dashboard),
                clinic_name.get(m.clinic_id, ""),
                m.out_trade_no,
                str(purposes.get(m.purpose, m.purpose)),
                m.description,
                payers.get(m.payer_id, ""),
                _yuan(m.charged_fen),
                _yuan(m.refunded_fen),
                _yuan(m.net_fen),
            ]
            for m in rows
        ]
    elif kind == "waits":
        found = cards(w.patient_id for w in rows)
        headers = [
            _("Date"),
            _("Clinic"),
            _("Doctor"),
            _("Patient"),
            _("Mobile number"),
            _("Minutes waited"),
        ]
        body = [
            [
                w.day.isoformat(),
                clinic_name.get(w.clinic_id, ""),
                doctor_name.get(w.doctor_id, ""),
                *person(found.get(w.patient_id)),
                round(w.minutes, 1),
            ]
            for w in rows
        ]
    elif kind == "coupons":
        holders = accounts.user_names(c.owner_id for c in rows)
        headers = [_("Issued at"), _("Coupon"), _("Holder"), _("Used at")]
        body = [
            [
                _local(c.issued_at, dashboard),
                c.template,
                holders.get(c.owner_id, ""),
                _local(c.redeemed_at, dashboard) if c.redeemed_at else _("No"),
            ]
            for c in rows
        ]
    elif kind == "signups":
        people = accounts.user_names(c.user_id for c in rows)
        headers = [_("Signed up at"), _("Channel"), _("Campaign"), _("Account holder")]
        body = [
            [_local(c.at, dashboard), c.channel, c.campaign, people.get(c.user_id, "")]
            for c in rows
        ]
    elif kind == "repurchase":
        found = cards(pk for pk, _again in rows)
        headers = [_("Patient"), _("Mobile number"), _("Also in the 12 months before")]
        body = [[*person(found.get(pk)), _("Yes") if again else _("No")] for pk, again in rows]
    elif kind == "patients":
        found = cards(rows)
        headers = [_("Patient"), _("Mobile number")]
        body = [person(found.get(pk)) for pk in rows]
    else:  # nothing behind the figure
        found, headers, body = {}, [_("Patient"), _("Mobile number")], []
    people = {
        "appointments": lambda: [a.patient_id for a in rows],
        "waits": lambda: [w.patient_id for w in rows],
        "repurchase": lambda: [pk for pk, _again in rows],
        "patients": lambda: list(rows),
    }.get(kind)
    links, column = [], None
    if people is not None:
        column = headers.index(_("Patient"))
        links = [
            reverse("console:patient_desk", args=[found[pk].public_id]) if pk in found else ""
            for pk in people()
        ]
    return Table(
        title=title,
        headers=headers,
        rows=body,
        total=total,
        kind=kind,
        patient_column=column,
        links=links,
    )
