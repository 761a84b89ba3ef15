"""The dashboard's figures, computed from the rows the contexts below hand over
(``gather``) by plain code (``compute``): every figure keeps the rows it was counted
from, so that its list page shows exactly the patients, appointments or payments behind
it and the two can never disagree (ADR 0053).

Definitions (also shown on the page):

- revenue: the ledger's charges in the range minus its refunds in the range, for
  payments of these clinics (deposits, bills, mall orders, group-buy places);
- visits: completed appointments that started in the range;
- new patients: those whose first completed visit at these clinics is in the range;
  returning: the others with a completed visit in the range;
- repurchase rate of a service: of the patients who received it in the range, the share
  who had also received it in the 12 months before;
- no-show rate: no-shows ÷ appointments due (arrived, treated, completed or no-show);
  cancellation rate: cancellations ÷ all appointments starting in the range;
- chair utilisation: booked minutes (every appointment not cancelled) ÷ chair minutes
  (opening time × chairs in service); doctor utilisation: a doctor's booked minutes ÷ their
  rostered working minutes;
- waiting time: from check-in (or the appointment's time, when earlier) to the first call.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from yachi.booking import facade as booking
from yachi.clinics import facade as clinics
from yachi.crm.reports.access import Scope
from yachi.crm.reports.nps import NpsFigure, nps_between, nps_source_registered
from yachi.growth import facade as growth
from yachi.patients import facade as patients
from yachi.payments import facade as payments
from yachi.queueing import facade as queueing
from yachi.rostering import facade as rostering

COMPLETED = booking.AppointmentStatus.COMPLETED
CANCELLED = booking.AppointmentStatus.CANCELLED
NO_SHOW = booking.AppointmentStatus.NO_SHOW
DUE = {
    booking.AppointmentStatus.ARRIVED,
    booking.AppointmentStatus.IN_TREATMENT,
    COMPLETED,
    NO_SHOW,
}
REPURCHASE_WINDOW = timedelta(days=365)
# Keys of revenue that is for no treatment or no doctor.
NO_KEY = "-"


@dataclass
class Inputs:
    """What ``gather`` read: plain rows, nothing lazy."""

    scope: Scope
    appointments: list  # booking.AppointmentRow from a year before the range to its end
    first_visits: dict  # patient id → first completed visit
    money: list  # payments.MoneyRow
    bill_visits: dict  # appointment id → AppointmentRow (visits bills and deposits were for)
    deposit_visits: dict  # intent reference → AppointmentRow
    channels: dict  # payer user id → channel name
    owners: dict  # patient id → account holder's user id
    chair_minutes: dict  # clinic id → minutes
    working_minutes: dict  # (clinic id, doctor id) → minutes
    waits: list  # queueing.Wait
    coupons: list  # growth.CouponIssued
    campaigns: list  # growth.CampaignRow
    nps: NpsFigure | None
    nps_registered: bool
    names: dict
    # The sign-ups and bookings behind the campaigns' counts (growth.CampaignConversion),
    # and the appointments booked at these clinics among them, by public id.
    campaign_conversions: list = field(default_factory=list)
    campaign_bookings: dict = field(default_factory=dict)


def _campaign_bookings(ids, start, conversions) -> dict:
    """The appointments at these clinics that campaigns' bookings made, by public id:
    two queries, none when no booking came by a campaign."""
    wanted = {c.booking_public_id for c in conversions if c.booking_public_id}
    if not wanted:
        return {}
    found = {
        str(row.public_id): row.appointment_id
        for row in booking.visit_rows(clinic_ids=ids, created_from=start)
        if str(row.public_id) in wanted
    }
    rows = booking.appointments_by_pk(found.values())
    return {public_id: rows[pk] for public_id, pk in found.items() if pk in rows}


def gather(scope: Scope) -> Inputs:
    """Everything the dashboard needs, in a bounded number of queries (about twenty,
    whatever the number of clinics, days, patients and payments)."""
    ids = scope.clinic_ids
    start, end = scope.start, scope.end
    appointments = booking.appointments_between(
        clinic_ids=ids, start=start - REPURCHASE_WINDOW, end=end
    )
    money = payments.money_between(clinic_ids=ids, start=start, end=end)
    known = {a.pk: a for a in appointments}
    missing = {
        m.appointment_id for m in money if m.appointment_id and m.appointment_id not in known
    }
    bill_visits = {**known, **booking.appointments_by_pk(missing)} if missing else known
    deposit_visits = booking.appointments_of_deposits(
        m.reference for m in money if m.purpose == payments.Purpose.DEPOSIT
    )
    in_range = [a for a in appointments if a.start >= start]
    calendars = clinics.calendar_days_of_clinics(
        clinic_ids=ids, first_day=scope.first_day, last_day=scope.last_day
    )
    owners = patients.owners_of({a.patient_id for a in in_range})
    doctor_ids = (
        {a.doctor_id for a in in_range}
        | {v.doctor_id for v in bill_visits.values()}
        | {v.doctor_id for v in deposit_visits.values()}
    )
    working = rostering.working_minutes_of_clinics(
        clinic_zones={pk: scope.zone for pk in ids},
        first_day=scope.first_day,
        last_day=scope.last_day,
        calendars=calendars,
    )
    doctor_ids |= {doctor for _clinic, doctor in working}
    conversions = growth.campaign_conversions(start=start, end=end)
    return Inputs(
        scope=scope,
        appointments=appointments,
        first_visits=booking.first_visits(clinic_ids=ids, start=start, end=end),
        money=money,
        bill_visits=bill_visits,
        deposit_visits=deposit_visits,
        channels=growth.acquisition_channels(m.payer_id for m in money if m.payer_id),
        owners=owners,
        chair_minutes=clinics.chair_minutes_of_clinics(
            clinic_ids=ids, first_day=scope.first_day, last_day=scope.last_day, calendars=calendars
        ),
        working_minutes=working,
        waits=queueing.waits_of_clinics(
            clinic_ids=ids, first_day=scope.first_day, last_day=scope.last_day
        ),
        coupons=growth.coupons_issued(start=start, end=end, owner_ids=set(owners.values())),
        campaigns=growth.campaign_conversion(start=start, end=end),
        nps=nps_between(clinic_ids=ids, start=start, end=end),
        nps_registered=nps_source_registered(),
        names=clinics.names_of(clinic_ids=ids, doctor_ids=doctor_ids, service_clinic_ids=ids),
        campaign_conversions=conversions,
        campaign_bookings=_campaign_bookings(ids, start, conversions),
    )


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Breakdown:
    """One figure split by something (a service, a doctor): rows of key, label, value,
    and the rows behind each."""

    rows: list = field(default_factory=list)  # (key, label, value)
    behind: dict = field(default_factory=dict)  # key → list of rows


@dataclass
class Utilisation:
    key: str  # a doctor's or clinic's public id
    label: str
    booked_minutes: int
    available_minutes: int

    @property
    def rate(self) -> float | None:
        return rate(self.booked_minutes, self.available_minutes)


@dataclass
class Repurchase:
    code: str
    label: str
    patients: int
    repurchased: int
    behind: list  # (patient id, repurchased?)

    @property
    def rate(self) -> float | None:
        return rate(self.repurchased, self.patients)


@dataclass
class Dashboard:
    scope: Scope
    summary: dict
    behind: dict  # figure key → rows (appointments, patient ids, money rows, waits)
    months: list  # (label, new, returning)
    revenue_by: dict  # "service" | "doctor" | "clinic" | "channel" → Breakdown
    repurchase: list
    doctors: list  # Utilisation
    chairs: list  # Utilisation
    waits_by_doctor: list  # (label, count, average minutes)
    coupons: list
    campaigns: list
    nps: NpsFigure | None
    nps_note: str
    clinic_rates: list  # (label, due, no-shows, appointments, cancellations)
    names: dict = field(default_factory=dict)


def _service_label(names: dict, code: str) -> str:
    return names["services"].get(code, code)


def _revenue_breakdowns(data: Inputs) -> dict:
    names = data.names
    by: dict[str, dict[str, list]] = {
        k: defaultdict(list) for k in ("service", "doctor", "clinic", "channel")
    }
    labels: dict[str, dict[str, str]] = {k: {} for k in by}
    other_purposes = {
        payments.Purpose.SHOP_ORDER: _("Mall"),
        payments.Purpose.GROUP_BUY: _("Group-buy"),
    }
    for row in data.money:
        visit = data.deposit_visits.get(row.reference) or data.bill_visits.get(row.appointment_id)
        code = row.service_code or (visit.service_code if visit else "")
        if code:
            key, label = code, _service_label(names, code)
        elif row.purpose in other_purposes:
            key, label = row.purpose, str(other_purposes[row.purpose])
        else:
            key, label = NO_KEY, _("Other")
        by["service"][key].append(row)
        labels["service"][key] = label
        doctor = names["doctors"].get(visit.doctor_id) if visit else None
        key, label = (doctor[0], doctor[1]) if doctor else (NO_KEY, _("No visit"))
        by["doctor"][key].append(row)
        labels["doctor"][key] = label
        clinic = names["clinics"].get(row.clinic_id, ("", ""))
        by["clinic"][clinic[0]].append(row)
        labels["clinic"][clinic[0]] = clinic[1]
        channel = data.channels.get(row.payer_id)
        key, label = (channel, channel) if channel else (NO_KEY, _("No tracked link"))
        by["channel"][key].append(row)
        labels["channel"][key] = label
    result = {}
    for dimension, groups in by.items():
        rows = sorted(
            (
                (key, labels[dimension][key], sum(m.net_fen for m in items))
                for key, items in groups.items()
            ),
            key=lambda r: (r[0] == NO_KEY, -r[2], r[1]),
        )
        result[dimension] = Breakdown(rows=rows, behind=dict(groups))
    return result


def _repurchase(data: Inputs, in_range: list) -> list:
    received: dict[tuple[int, str], list[datetime]] = defaultdict(list)
    for a in data.appointments:
        if a.status == COMPLETED:
            received[(a.patient_id, a.service_code)].append(a.start)
    cohort: dict[str, dict[int, bool]] = defaultdict(dict)
    for a in in_range:
        if a.status != COMPLETED:
            continue
        earlier = any(
            a.start - REPURCHASE_WINDOW <= t < a.start
            for t in received[(a.patient_id, a.service_code)]
        )
        cohort[a.service_code][a.patient_id] = (
            cohort[a.service_code].get(a.patient_id, False) or earlier
        )
    rows = [
        Repurchase(
            code=code,
            label=_service_label(data.names, code),
            patients=len(people),
            repurchased=sum(people.values()),
            behind=sorted(people.items()),
        )
        for code, people in cohort.items()
    ]
    return sorted(rows, key=lambda r: (-r.patients, r.code))


def _months(scope: Scope, in_range: list, first_visits: dict) -> tuple[list, set, set]:
    new, returning = set(), set()
    per_month: dict[date, tuple[set, set]] = {}
    day = scope.first_day.replace(day=1)
    while day <= scope.last_day:
        per_month[day] = (set(), set())
        day = (day + timedelta(days=32)).replace(day=1)
    for a in in_range:
        if a.status != COMPLETED:
            continue
        month = a.start.astimezone(scope.zone).date().replace(day=1)
        first = first_visits.get(a.patient_id)
        is_new = first is not None and first >= scope.start
        (new if is_new else returning).add(a.patient_id)
        fresh, back = per_month[month]
        if is_new and first.astimezone(scope.zone).date().replace(day=1) == month:
            fresh.add(a.patient_id)
        elif a.patient_id not in fresh:
            back.add(a.patient_id)
    months = [(m.strftime("%Y-%m"), len(f), len(b)) for m, (f, b) in per_month.items()]
    return months, new, returning


@dataclass
class CouponRow:
    template: str
    issued: int
    redeemed: int

    @property
    def rate(self) -> float | None:
        return rate(self.redeemed, self.issued)


def _coupon_rows(coupons: list) -> list:
    rows: dict[str, CouponRow] = {}
    for coupon in coupons:
        row = rows.setdefault(coupon.template, CouponRow(coupon.template, 0, 0))
        row.issued += 1
        row.redeemed += coupon.redeemed_at is not None
    return sorted(rows.values(), key=lambda r: (-r.issued, r.template))


@dataclass
class CampaignFigure:
    """A tracked-link campaign: its visitors and sign-ups (the whole chain's: a link
    belongs to no clinic), and the bookings it brought at these clinics, each clinic's
    apart. ``key`` names its lists."""

    key: str
    channel: str
    campaign: str
    visitors: int
    signups: int
    bookings: int
    by_clinic: list  # (key of the clinic's list, clinic name, bookings)

    @property
    def rate(self) -> float | None:
        return rate(self.bookings, self.visitors)


def campaign_key(channel: str, campaign: str) -> str:
    return f"{channel}/{campaign}"


def _campaigns(data: Inputs, behind: dict) -> list:
    """The campaigns' figures, and the lists behind them into ``behind``: the bookings at
    these clinics (all, and each clinic's) and, for chain-wide views, the sign-ups."""
    names = data.names
    booked: dict[str, list] = defaultdict(list)
    signed: dict[str, list] = defaultdict(list)
    for c in data.campaign_conversions:
        key = campaign_key(c.channel, c.campaign)
        if c.kind == "signup":
            signed[key].append(c)
        elif c.booking_public_id in data.campaign_bookings:
            booked[key].append(data.campaign_bookings[c.booking_public_id])
    figures = []
    for row in data.campaigns:
        key = campaign_key(row.channel, row.campaign)
        visits = booked.get(key, [])
        behind[f"campaign_bookings:{key}"] = visits
        if data.scope.chain_wide:
            behind[f"campaign_signups:{key}"] = signed.get(key, [])
        per_clinic = []
        for clinic in data.scope.clinics:
            mine = [a for a in visits if a.clinic_id == clinic.pk]
            if not mine:
                continue
            public_id = names["clinics"][clinic.pk][0]
            behind[f"campaign_bookings:{key}@{public_id}"] = mine
            per_clinic.append((f"{key}@{public_id}", clinic.name, len(mine)))
        figures.append(
            CampaignFigure(
                key=key,
                channel=row.channel,
                campaign=row.campaign,
                visitors=row.visitors,
                signups=row.signups,
                bookings=len(visits),
                by_clinic=per_clinic,
            )
        )
    return figures


def compute(data: Inputs) -> Dashboard:
    scope, names = data.scope, data.names
    start = scope.start
    in_range = [a for a in data.appointments if a.start >= start]
    completed = [a for a in in_range if a.status == COMPLETED]
    due = [a for a in in_range if a.status in DUE]
    no_shows = [a for a in in_range if a.status == NO_SHOW]
    cancelled = [a for a in in_range if a.status == CANCELLED]
    booked = [a for a in in_range if a.status != CANCELLED]
    months, new, returning = _months(scope, in_range, data.first_visits)

    def minutes(a) -> int:
        return int((a.end - a.start).total_seconds() // 60)

    doctor_booked: dict[tuple[int, int], list] = defaultdict(list)
    clinic_booked: dict[int, list] = defaultdict(list)
    for a in booked:
        doctor_booked[(a.clinic_id, a.doctor_id)].append(a)
        if a.chair_id is not None:
            clinic_booked[a.clinic_id].append(a)
    doctors = []
    for key in set(doctor_booked) | set(data.working_minutes):
        clinic_id, doctor_id = key
        public_id, name = names["doctors"].get(doctor_id, ("", "?"))
        label = name if not scope.chain_wide else f"{name} · {names['clinics'][clinic_id][1]}"
        doctors.append(
            Utilisation(
                key=f"{public_id}:{names['clinics'][clinic_id][0]}",
                label=label,
                booked_minutes=sum(minutes(a) for a in doctor_booked.get(key, [])),
                available_minutes=data.working_minutes.get(key, 0),
            )
        )
    doctors.sort(key=lambda u: (-(u.rate or 0), u.label))
    chairs = [
        Utilisation(
            key=names["clinics"][c.pk][0],
            label=c.name,
            booked_minutes=sum(minutes(a) for a in clinic_booked.get(c.pk, [])),
            available_minutes=data.chair_minutes.get(c.pk, 0),
        )
        for c in scope.clinics
    ]
    by_doctor_wait: dict[int, list[float]] = defaultdict(list)
    for w in data.waits:
        by_doctor_wait[w.doctor_id].append(w.minutes)
    waits_by_doctor = sorted(
        (
            (
                names["doctors"].get(d, ("", "?"))[1],
                len(v),
                round(sum(v) / len(v), 1),
                names["doctors"].get(d, ("",))[0],
            )
            for d, v in by_doctor_wait.items()
        ),
        key=lambda r: -r[2],
    )
    clinic_rates = []
    clinic_lists = {}
    for c in scope.clinics:
        mine = [a for a in in_range if a.clinic_id == c.pk]
        key = names["clinics"][c.pk][0]
        # Each count of the table lists its appointments (``due:<clinic>``…).
        clinic_lists |= {
            f"due:{key}": [a for a in mine if a.status in DUE],
            f"no_shows:{key}": [a for a in mine if a.status == NO_SHOW],
            f"appointments:{key}": mine,
            f"cancellations:{key}": [a for a in mine if a.status == CANCELLED],
        }
        clinic_rates.append(
            (
                c.name,
                sum(a.status in DUE for a in mine),
                sum(a.status == NO_SHOW for a in mine),
                len(mine),
                sum(a.status == CANCELLED for a in mine),
                key,
            )
        )
    charged = sum(m.charged_fen for m in data.money)
    refunded = sum(m.refunded_fen for m in data.money)
    booked_minutes = sum(u.booked_minutes for u in chairs)
    chair_minutes = sum(u.available_minutes for u in chairs)
    doctor_booked_minutes = sum(u.booked_minutes for u in doctors if u.available_minutes)
    working = sum(u.available_minutes for u in doctors)
    wait_minutes = [w.minutes for w in data.waits]
    coupon_rows = _coupon_rows(data.coupons)
    issued = len(data.coupons)
    redeemed = sum(c.redeemed_at is not None for c in data.coupons)
    if not data.nps_registered:
        nps_note = _(
            "No satisfaction survey is connected yet: NPS appears here once surveys after "
            "visits collect scores."
        )
    elif data.nps is None or data.nps.score is None:
        nps_note = _("No patient answered the survey in this period.")
    else:
        nps_note = _("%(n)d answers: promoters (9–10) minus detractors (0–6), in points.") % {
            "n": data.nps.responses
        }
    summary = {
        "revenue_fen": charged - refunded,
        "paid_fen": charged,
        "refunds_fen": refunded,
        "visits": len(completed),
        "appointments": len(in_range),
        "new_patients": len(new),
        "returning_patients": len(returning),
        "no_shows": len(no_shows),
        "no_show_rate": rate(len(no_shows), len(due)),
        "cancellations": len(cancelled),
        "cancellation_rate": rate(len(cancelled), len(in_range)),
        "chair_utilisation": rate(booked_minutes, chair_minutes),
        "doctor_utilisation": rate(doctor_booked_minutes, working),
        "average_wait_minutes": round(sum(wait_minutes) / len(wait_minutes), 1)
        if wait_minutes
        else None,
        "waits": len(wait_minutes),
        "coupons_issued": issued,
        "coupons_redeemed": redeemed,
        "coupon_conversion_rate": rate(redeemed, issued),
        "nps": data.nps.score if data.nps else None,
        "nps_responses": data.nps.responses if data.nps else 0,
    }
    revenue_by = _revenue_breakdowns(data)
    behind = {
        "revenue": data.money,
        "refunds": [m for m in data.money if m.refunded_fen],
        "visits": completed,
        "appointments": in_range,
        "new_patients": sorted(new),
        "returning_patients": sorted(returning),
        "no_shows": no_shows,
        "cancellations": cancelled,
        "chair_booked": [a for a in booked if a.chair_id is not None],
        "doctor_booked": booked,
        "waits": data.waits,
        "nps": list(data.nps.patient_ids) if data.nps else [],
        "coupons": data.coupons,
        "coupons_redeemed": [c for c in data.coupons if c.redeemed_at is not None],
    }
    behind |= clinic_lists
    # Each coupon's issued and used, and each doctor's waits, list their rows too.
    for c in data.coupons:
        behind.setdefault(f"coupons:{c.template}", []).append(c)
        if c.redeemed_at is not None:
            behind.setdefault(f"coupons_redeemed:{c.template}", []).append(c)
    for w in data.waits:
        doctor = names["doctors"].get(w.doctor_id, ("",))[0]
        behind.setdefault(f"waits:{doctor}", []).append(w)
    for dimension, breakdown in revenue_by.items():
        for key, rows in breakdown.behind.items():
            behind[f"revenue_{dimension}:{key}"] = rows
    repurchase = _repurchase(data, in_range)
    for item in repurchase:
        behind[f"repurchase:{item.code}"] = item.behind
    clinic_keys = {names["clinics"][pk][0]: pk for pk in scope.clinic_ids}
    for key, rows in clinic_booked.items():
        behind[f"chair_booked:{names['clinics'][key][0]}"] = rows
    for u in doctors:
        doctor_public, clinic_public = u.key.split(":")
        pk = clinic_keys.get(clinic_public)
        behind[f"doctor_booked:{u.key}"] = [
            a
            for a in booked
            if a.clinic_id == pk and names["doctors"].get(a.doctor_id, ("",))[0] == doctor_public
        ]
    return Dashboard(
        scope=scope,
        summary=summary,
        behind=behind,
        months=months,
        revenue_by=revenue_by,
        repurchase=repurchase,
        doctors=doctors,
        chairs=chairs,
        waits_by_doctor=waits_by_doctor,
        coupons=coupon_rows,
        campaigns=_campaigns(data, behind),
        nps=data.nps,
        nps_note=nps_note,
        clinic_rates=clinic_rates,
        names=names,
    )


def dashboard(scope: Scope) -> Dashboard:
    return compute(gather(scope))
