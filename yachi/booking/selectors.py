"""Reads of the booking context: availability, the saturation grid, appointment lists."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from yachi.accounts import facade as accounts
from yachi.booking import cache
from yachi.booking.choices import ACTIVE_STATUSES, Channel, Status
from yachi.booking.models import Appointment
from yachi.booking.overlap import overlapping
from yachi.booking.saturation import day_level, thresholds
from yachi.booking.slots import DayPlan, DaySlots, day_slots
from yachi.clinics import facade as clinics
from yachi.core.errors import DomainError
from yachi.core.intervals import Interval
from yachi.core.models import as_public_id
from yachi.patients import facade as patients
from yachi.rostering import facade as rostering

MAX_DAYS = 14


@dataclass(frozen=True)
class DayAvailability:
    day: date
    level: str
    slots: list[Interval]
    working: bool
    taken_share: float


def _window(days: list[date], zone: ZoneInfo) -> Interval:
    start = datetime.combine(days[0], time.min, tzinfo=zone)
    return start, datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)


def day_plans(
    *,
    clinic,
    doctor_ids: list[int],
    days: list[date],
    chair_ids: list[int] | None = None,
    for_patients: bool = True,
) -> dict[tuple[int, date], DayPlan]:
    """Everything slot-finding needs, for several doctors and days, in three queries
    (two when the caller has the clinic's active chairs, ``chair_ids``, already).

    The time a published roster keeps as the emergency buffer is left out unless the
    plan is for staff (``for_patients=False``: the front desk's slots and calendar)."""
    zone = ZoneInfo(clinic.timezone)
    low, high = _window(days, zone)
    working = rostering.working_intervals(
        doctor_ids=doctor_ids,
        clinic_id=clinic.pk,
        zone=zone,
        first_day=days[0],
        last_day=days[-1],
        for_patients=for_patients,
    )
    if chair_ids is None:
        chair_ids = clinics.active_chair_ids(clinic_id=clinic.pk)
    chair_busy: dict[int, list[Interval]] = {chair_id: [] for chair_id in chair_ids}
    doctor_busy: dict[tuple[int, date], list[Interval]] = defaultdict(list)
    wanted = set(doctor_ids)
    # The doctors' time (at any clinic) and the chairs' in one read of the window.
    active = overlapping(Appointment.objects.filter(status__in=ACTIVE_STATUSES), low, high)
    for doctor_id, chair_id, start, end in active.filter(
        Q(doctor_id__in=doctor_ids) | Q(chair_id__in=chair_ids)
    ).values_list("doctor_id", "chair_id", "start", "end"):
        start, end = start.astimezone(zone), end.astimezone(zone)
        if doctor_id in wanted:
            for day in {start.date(), end.date()}:
                doctor_busy[(doctor_id, day)].append((start, end))
        if chair_id in chair_busy:
            chair_busy[chair_id].append((start, end))
    chairs = list(chair_busy.values())
    return {
        (doctor_id, day): DayPlan(
            day=day,
            working=working[(doctor_id, day)],
            doctor_busy=doctor_busy.get((doctor_id, day), []),
            chairs_busy=chairs,
        )
        for doctor_id in doctor_ids
        for day in days
    }


def _local_today(zone: ZoneInfo, now: datetime) -> date:
    return now.astimezone(zone).date()


def doctor_availability(
    *, doctor, service, days: int = 7, party_size: int = 1, now: datetime | None = None
) -> list[DayAvailability]:
    """The next ``days`` days of a doctor for a service at the service's clinic.

    Each day's raw slots come from the cache when its versions are unchanged;
    slots too close to now are removed at read time, so the cache never needs to
    know the time of day.
    """
    now = now or timezone.now()
    keys = availability_keys(
        doctor=doctor, service=service, days=days, party_size=party_size, now=now
    )
    return availability_of(
        doctor=doctor, service=service, party_size=party_size, now=now, keys=keys
    )


def availability_keys(*, doctor, service, days: int, party_size: int, now: datetime):
    """The cache keys of the next ``days`` days (``cache.day_keys``: one round trip)."""
    clinic = service.clinic
    today = _local_today(ZoneInfo(clinic.timezone), now)
    dates = [today + timedelta(days=i) for i in range(days)]
    variant = f"{service.duration_minutes}x{party_size}s{clinic.slot_step_minutes}"
    if not service.needs_chair:
        variant += "v"  # a video consultation's slots ignore the chairs
    return cache.day_keys(doctor_id=doctor.pk, clinic_id=clinic.pk, days=dates, variant=variant)


def availability_of(
    *, doctor, service, party_size: int, now: datetime, keys: cache.DayKeys
) -> list[DayAvailability]:
    """The days of ``keys`` (``availability_keys`` for this doctor, service and party),
    from the cache where they are, computed and stored where not."""
    clinic = service.clinic
    dates = list(keys)
    found = {} if keys.fresh else cache.get_days(list(keys.values()))
    computed: dict[date, DaySlots] = {day: found[key] for day, key in keys.items() if key in found}
    missing = [day for day in dates if day not in computed]
    if missing:
        duration = timedelta(minutes=service.duration_minutes)
        step = timedelta(minutes=clinic.slot_step_minutes)
        plans = day_plans(clinic=clinic, doctor_ids=[doctor.pk], days=missing)
        fresh = {
            day: day_slots(
                plans[(doctor.pk, day)],
                duration=duration,
                step=step,
                party_size=party_size,
                needs_chair=service.needs_chair,
            )
            for day in missing
        }
        cache.store_days({keys[day]: value for day, value in fresh.items()})
        computed.update(fresh)

    earliest = now + timedelta(minutes=clinic.booking_lead_minutes)
    limits = thresholds()
    result = []
    for day in dates:
        raw = computed[day]
        slots = [slot for slot in raw.slots if slot[0] >= earliest]
        result.append(
            DayAvailability(
                day=day,
                level=day_level(
                    taken_share=raw.taken_share, working=raw.working_seconds > 0, limits=limits
                ),
                slots=slots,
                working=raw.working_seconds > 0,
                taken_share=raw.taken_share,
            )
        )
    return result


@dataclass(frozen=True)
class EarliestSlot:
    doctor: object
    start: datetime
    end: datetime


def earliest_slot(*, rows: list[tuple[object, list[DayAvailability]]]) -> EarliestSlot | None:
    """ "Any doctor, earliest time": the first free start among the doctors' days, the
    doctor listed first winning a tie."""
    best = None
    for doctor, days in rows:
        first = next((slot for day in days for slot in day.slots), None)
        if first is not None and (best is None or first[0] < best.start):
            best = EarliestSlot(doctor, first[0], first[1])
    return best


def service_availability(
    *, service, days: int = 7, party_size: int = 1
) -> list[tuple[object, list[DayAvailability]]]:
    """Every doctor of the service's clinic who provides it, with their next days."""
    doctors = clinics.clinic_doctors(clinic=service.clinic, skill=service.required_skill)
    return [
        (
            doctor,
            doctor_availability(doctor=doctor, service=service, days=days, party_size=party_size),
        )
        for doctor in doctors
    ]


@dataclass(frozen=True)
class GridCell:
    day: date
    level: str
    taken_share: float
    working: bool


def clinic_saturation_grid(
    *, clinic, doctors: list, days: int = 7, now: datetime | None = None
) -> dict[int, list[GridCell]]:
    """The colour grid of a clinic for the front desk: every doctor, every day."""
    zone = ZoneInfo(clinic.timezone)
    now = now or timezone.now()
    today = _local_today(zone, now)
    dates = [today + timedelta(days=i) for i in range(days)]
    cells = doctor_day_saturation(clinic=clinic, doctor_ids=[d.pk for d in doctors], days=dates)
    return {doctor.pk: [cells[(doctor.pk, day)] for day in dates] for doctor in doctors}


def doctor_day_saturation(
    *, clinic, doctor_ids: list[int], days: list[date], chair_ids: list[int] | None = None
) -> dict[tuple[int, date], GridCell]:
    """Each doctor's level on each day (``saturation``): the same for the saturation grid
    and the calendar, whatever the time of day."""
    if not doctor_ids or not days:
        return {}
    plans = day_plans(clinic=clinic, doctor_ids=doctor_ids, days=days, chair_ids=chair_ids)
    return saturation_of_plans(clinic=clinic, plans=plans)


def saturation_of_plans(
    *, clinic, plans: dict[tuple[int, date], DayPlan]
) -> dict[tuple[int, date], GridCell]:
    """The levels of days already planned (``day_plans``), for a page that needs both."""
    limits = thresholds()
    step = timedelta(minutes=clinic.slot_step_minutes)
    cells = {}
    for key, plan in plans.items():
        # The share depends on working and booked time only, not on a service's length.
        raw = day_slots(plan, duration=step, step=step)
        working = raw.working_seconds > 0
        share = raw.taken_share if working else 0.0
        level = day_level(taken_share=share, working=working, limits=limits)
        cells[key] = GridCell(plan.day, level, share, working)
    return cells


def _with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("clinic", "doctor", "chair", "service", "patient")


def appointments_of_account(*, account_id: int, scope: str = "all", limit: int = 100):
    """A family account's appointments: upcoming soonest first, past latest first."""
    now = timezone.now()
    queryset = _with_relations(Appointment.objects.filter(patient__account_id=account_id))
    if scope == "upcoming":
        return list(
            queryset.filter(end__gte=now, status__in=ACTIVE_STATUSES).order_by("start")[:limit]
        )
    if scope == "past":
        queryset = queryset.exclude(end__gte=now, status__in=ACTIVE_STATUSES)
    return list(queryset.order_by("-start")[:limit])


def appointments_of_clinic_day(*, clinic, day: date) -> list[Appointment]:
    zone = ZoneInfo(clinic.timezone)
    low, high = _window([day], zone)
    return list(
        _with_relations(overlapping(Appointment.objects.filter(clinic=clinic), low, high)).order_by(
            "start", "doctor__name"
        )
    )


def appointments_of_clinic_range(*, clinic, first_day: date, last_day: date) -> list[Appointment]:
    zone = ZoneInfo(clinic.timezone)
    low, _ = _window([first_day], zone)
    _, high = _window([last_day], zone)
    return list(
        _with_relations(
            overlapping(
                Appointment.objects.filter(clinic=clinic, status__in=ACTIVE_STATUSES), low, high
            )
        ).order_by("start")
    )


def appointments_of_doctor(*, doctor_id: int, scope: str = "upcoming", limit: int = 100):
    now = timezone.now()
    queryset = _with_relations(Appointment.objects.filter(doctor_id=doctor_id))
    if scope == "upcoming":
        return list(
            queryset.filter(end__gte=now, status__in=ACTIVE_STATUSES).order_by("start")[:limit]
        )
    if scope == "past":
        queryset = queryset.filter(end__lt=now)
    return list(queryset.order_by("-start")[:limit])


def patient_has_upcoming_appointments(*, patient_id: int) -> bool:
    return Appointment.objects.filter(
        patient_id=patient_id, status__in=ACTIVE_STATUSES, end__gte=timezone.now()
    ).exists()


def bookable_starts(
    *, actor, doctor, service, days: int = 7, now: datetime | None = None
) -> list[tuple[date, list[datetime]]]:
    """The next ``days`` days' free starts of a doctor for a service, as the actor books
    them elsewhere: a patient sees the app's grid (its notice period and cache), staff the
    front desk's fresh day slots."""
    now = now or timezone.now()
    if getattr(actor, "is_patient", False):
        return [
            (day.day, [start for start, _end in day.slots])
            for day in doctor_availability(doctor=doctor, service=service, days=days, now=now)
        ]
    today = _local_today(ZoneInfo(service.clinic.timezone), now)
    return [
        (
            today + timedelta(days=i),
            [
                start
                for start, _end in doctor_day_slots(
                    doctor=doctor, service=service, day=today + timedelta(days=i), now=now
                )
            ],
        )
        for i in range(days)
    ]


def doctor_day_slots(*, doctor, service, day: date, now: datetime | None = None) -> list[Interval]:
    """Free starts on one day for the front desk: fresh from the database, no notice
    period (walk-ins are seen now), any day the clinic can book ahead."""
    clinic = service.clinic
    now = now or timezone.now()
    plan = day_plans(clinic=clinic, doctor_ids=[doctor.pk], days=[day], for_patients=False)[
        (doctor.pk, day)
    ]
    raw = day_slots(
        plan,
        duration=timedelta(minutes=service.duration_minutes),
        step=timedelta(minutes=clinic.slot_step_minutes),
    )
    earliest = now - timedelta(minutes=clinic.slot_step_minutes)
    return [slot for slot in raw.slots if slot[0] >= earliest]


def clinic_ids_visited_by(*, patient_id: int) -> set[int]:
    """Clinics where the patient has (or had) an appointment that was not cancelled."""
    return set(
        Appointment.objects.filter(patient_id=patient_id)
        .exclude(status=Status.CANCELLED)
        .values_list("clinic_id", flat=True)
        .distinct()
    )


def patients_seen_at(*, patient_ids: list[int], clinic_ids: set[int] | None) -> set[int]:
    """Which of these people have (or had) an appointment that was not cancelled at one
    of these clinics (at any clinic for ``None``): one query for a list of people."""
    seen = Appointment.objects.filter(patient_id__in=patient_ids).exclude(status=Status.CANCELLED)
    if clinic_ids is not None:
        seen = seen.filter(clinic_id__in=clinic_ids)
    return set(seen.values_list("patient_id", flat=True).distinct())


def appointment_by_public_id(*, public_id) -> Appointment | None:
    return Appointment.objects.filter(public_id=public_id).first()


def appointments_export(*, patient_ids: list[int]) -> list[dict]:
    appointments = _with_relations(Appointment.objects.filter(patient_id__in=patient_ids))
    return [
        {
            "id": str(a.public_id),
            "patient": str(a.patient.public_id),
            "clinic": a.clinic.display_name,
            "doctor": a.doctor.name,
            "service": a.service.display_name,
            "start": a.start.astimezone(ZoneInfo(a.clinic.timezone)).isoformat(),
            "end": a.end.astimezone(ZoneInfo(a.clinic.timezone)).isoformat(),
            "status": a.status,
            "price_fen": a.price_fen,
        }
        for a in appointments.order_by("start")
    ]


def last_visits(*, patient_ids: list[int]) -> dict[int, date]:
    """The local date of each person's last visit (arrived, treated or completed)."""
    visits: dict[int, date] = {}
    for patient_id, start in Appointment.objects.filter(
        patient_id__in=patient_ids,
        status__in=(Status.ARRIVED, Status.IN_TREATMENT, Status.COMPLETED),
    ).values_list("patient_id", "start"):
        day = start.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
        if patient_id not in visits or day > visits[patient_id]:
            visits[patient_id] = day
    return visits


def appointments_of_patient(*, patient_id: int, limit: int = 20) -> list[Appointment]:
    return list(
        _with_relations(Appointment.objects.filter(patient_id=patient_id)).order_by("-start")[
            :limit
        ]
    )


def people_of_phone(phone: str) -> list:
    """Everyone on the family account of the patient with this mobile number; nobody for
    an unknown or malformed number, or a staff member's."""
    try:
        user = accounts.patient_user_by_phone(phone)
    except DomainError:
        return []
    if user is None:
        return []
    return patients.everyone_on(patients.account_open(user=user))


def appointment_labels(viewer, ids) -> dict[str, str]:
    """Visits by their time and treatment, for staff of their clinic (every clinic's for
    chain-wide staff)."""
    public_ids = [public_id for public_id in map(as_public_id, ids) if public_id]
    if not viewer.is_clinic_staff or not public_ids:
        return {}
    found = Appointment.objects.filter(public_id__in=public_ids).select_related("service", "clinic")
    mine = clinics.staff_clinic_ids(viewer)
    if mine is not None:
        found = found.filter(clinic_id__in=mine)
    return {
        str(a.public_id): (
            f"{timezone.localtime(a.start, ZoneInfo(a.clinic.timezone)):%m-%d %H:%M} "
            f"{a.service.display_name}"
        )
        for a in found
    }


def appointment_rows(*, patient_ids=None, since=None) -> list[tuple]:
    """Appointments as plain rows ``(id, patient_id, clinic_id, start, status,
    service_code)`` — of these people (everyone for ``None``), starting from ``since``
    — in one query, for reports and patient tags."""
    rows = Appointment.objects.all()
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    if since is not None:
        rows = rows.filter(start__gte=since)
    return list(
        rows.order_by("start", "pk").values_list(
            "pk", "patient_id", "clinic_id", "start", "status", "service__code"
        )
    )


def appointment_by_pk(pk: int) -> Appointment | None:
    """One appointment with its clinic, service, doctor and patient's account (for a
    context following booking's events, which name appointments by row)."""
    return (
        _with_relations(Appointment.objects.filter(pk=pk))
        .select_related("patient__account__owner")
        .first()
    )


@dataclass(frozen=True)
class AppointmentFacts:
    """One appointment as plain data, for models that learn from the clinic's history
    (CRM's no-show risk, ADR 0051): no names, no notes."""

    pk: int
    public_id: str
    clinic_id: int
    patient_id: int
    service_id: int
    start: datetime
    booked_at: datetime
    channel: str
    status: str
    confirmed: bool
    deposit_paid: bool


_FACT_FIELDS = (
    "pk",
    "public_id",
    "clinic_id",
    "patient_id",
    "service_id",
    "start",
    "created_at",
    "channel",
    "status",
    "confirmed_at",
    "deposit_fen",
    "service__deposit_fen",
)
_ONLINE = (Channel.PATIENT_APP, Channel.API)


def appointment_facts(
    *,
    clinic_ids=None,
    patient_ids=None,
    start_from: datetime | None = None,
    start_to: datetime | None = None,
    statuses=None,
) -> list[AppointmentFacts]:
    """Appointments as ``AppointmentFacts``, oldest first, in one query. A deposit counts
    as paid when one was asked and the visit left *pending* (it does only once paid);
    rows from before ``deposit_fen`` count the service's deposit for online bookings."""
    queryset = Appointment.objects.all()
    if clinic_ids is not None:
        queryset = queryset.filter(clinic_id__in=list(clinic_ids))
    if patient_ids is not None:
        queryset = queryset.filter(patient_id__in=list(patient_ids))
    if start_from is not None:
        queryset = queryset.filter(start__gte=start_from)
    if start_to is not None:
        queryset = queryset.filter(start__lt=start_to)
    if statuses is not None:
        queryset = queryset.filter(status__in=list(statuses))
    facts = []
    for row in queryset.order_by("start", "pk").values_list(*_FACT_FIELDS):
        (pk, public_id, clinic_id, patient_id, service_id, start, created, channel, status,
         confirmed_at, deposit_fen, service_deposit_fen) = row  # fmt: skip
        asked = deposit_fen or (service_deposit_fen if channel in _ONLINE else 0)
        facts.append(
            AppointmentFacts(
                pk=pk,
                public_id=str(public_id),
                clinic_id=clinic_id,
                patient_id=patient_id,
                service_id=service_id,
                start=start,
                booked_at=created,
                channel=channel,
                status=status,
                confirmed=confirmed_at is not None,
                deposit_paid=bool(asked) and status not in (Status.PENDING, Status.CANCELLED),
            )
        )
    return facts


@dataclass(frozen=True)
class VisitRow:
    """One appointment as plain facts, for reads over many people (CRM's segments and
    playbook): never a model, so nothing is loaded lazily behind a caller's loop."""

    appointment_id: int
    public_id: object
    patient_id: int
    clinic_id: int
    service_code: str
    start: datetime
    created_at: datetime
    status: str


def visit_rows(
    *,
    patient_ids=None,
    clinic_ids=None,
    service_codes=None,
    statuses=None,
    start_from: datetime | None = None,
    start_before: datetime | None = None,
    created_from: datetime | None = None,
) -> list[VisitRow]:
    """Appointments matching every filter given, in one query, oldest first."""
    rows = Appointment.objects.all()
    if patient_ids is not None:
        rows = rows.filter(patient_id__in=list(patient_ids))
    if clinic_ids is not None:
        rows = rows.filter(clinic_id__in=list(clinic_ids))
    if service_codes is not None:
        rows = rows.filter(service__code__in=list(service_codes))
    if statuses is not None:
        rows = rows.filter(status__in=list(statuses))
    if start_from is not None:
        rows = rows.filter(start__gte=start_from)
    if start_before is not None:
        rows = rows.filter(start__lt=start_before)
    if created_from is not None:
        rows = rows.filter(created_at__gte=created_from)
    return [
        VisitRow(*values)
        for values in rows.order_by("start", "pk").values_list(
            "pk",
            "public_id",
            "patient_id",
            "clinic_id",
            "service__code",
            "start",
            "created_at",
            "status",
        )
    ]


def patient_ids_seen_at(*, clinic_ids) -> set[int]:
    """Everyone with an appointment that was not cancelled at one of these clinics."""
    return set(
        Appointment.objects.filter(clinic_id__in=list(clinic_ids))
        .exclude(status=Status.CANCELLED)
        .values_list("patient_id", flat=True)
        .distinct()
    )
