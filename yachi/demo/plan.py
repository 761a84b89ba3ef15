"""The demo chain's year as plain data, from a seed: families and their ages, who came
for what and when, the doctors' leave, and the money of each visit and mall order.

Nothing here touches the database: the builder writes the plan in bulk. Given the same
seed, the same moment and the same clinics, the plan is the same, to the minute.

What a clinic would recognise:

- families of one to five, children carrying a parent's surname, a few grandparents;
- cleaning once or twice a year for most adults, restorative treatment by need (a
  filling or two, a root canal in two or three visits a week or two apart), fluoride
  varnish twice a year and sealants once for children, orthodontic consultations from
  seven, nothing but a check for the under-threes, and one visit a person a day;
- fewer visits around the Spring Festival (Shanghai empties as people go home), more
  children in the summer holidays and at weekends, a closed second clinic on public
  holidays;
- each doctor's annual leave and a few days off sick or at a course, with no visit
  booked with them on those days;
- a bill for every completed visit that costs something, paid at the desk or in the
  app, deposits for treatments booked online (refunded when cancelled), some partial
  refunds, a year of mall orders, coupons used on bills and orders, and the points all
  of that earned;
- how each family first came to the clinic (its acquisition channel), which shows in
  how its first visit was booked.
"""

import math
import random
import uuid
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from yachi.clinics import holidays
from yachi.demo.people import birth_date, full_name

ZONE = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 365
FUTURE_DAYS = 14
# The first families' recent visits are billed by the builder through the till's own
# services (yachi.demo.bills.build_visit_bills), with receipts and points; the plan
# leaves their bills to it.
SERVICE_BILLED_FAMILIES = 10
SERVICE_BILLED_DAYS = 60
# A few families leave one bill unpaid past its due day (the arrears tag): every
# ARREARS_EVERY-th family from the service-billed ones, for a visit that ended between
# these many days ago (the tag counts bills more than 30 days old).
ARREARS_EVERY = 23
ARREARS_DAYS = (40, 150)
BILL_DUE_DAYS = 30  # settings.YACHI_BILL_DUE_DAYS's default

# Statuses, channels and methods, as the booking and payments contexts spell them.
COMPLETED, NO_SHOW, CANCELLED, IN_TREATMENT, BOOKED = (
    "completed",
    "no_show",
    "cancelled",
    "in_treatment",
    "booked",
)
API, PATIENT_APP, CONSOLE, WALK_IN = "api", "patient_app", "console", "walk_in"
CASH, CARD, WECHATPAY, ALIPAY = "cash", "card", "wechatpay", "alipay"
SELF, SPOUSE, CHILD, PARENT = "self", "spouse", "child", "parent"
FEMALE, MALE = "female", "male"

# How a family first came, and how that first visit was booked.
ACQUISITION = {
    # channel: (weight, how the first visit was booked)
    "mini_program": (30, API),  # found the clinic's mini-program
    "dianping": (22, API),  # 大众点评 / 美团 listing, booked through the mini-program
    "referral": (20, CONSOLE),  # 老带新: a friend's recommendation, phoned the desk
    "walk_in": (13, WALK_IN),  # passed by the mall and came in
    "corporate": (8, CONSOLE),  # an employer's dental check, booked by the desk
    "phone": (7, CONSOLE),  # rang the number on the map
}

CANCEL_REASONS = ["临时有事", "工作冲突", "身体不适", "改约其他时间", "孩子学校有安排", ""]
LEAVE_NOTES = {"annual": "年假", "sick": "病假", "course": "外出培训"}


@dataclass(frozen=True)
class ClinicSpec:
    chairs: int
    open_on_holidays: bool


@dataclass(frozen=True)
class DoctorSpec:
    name: str
    skills: tuple[str, ...]
    schedule: dict[int, tuple[int, ...]]  # clinic index: weekdays
    spans: tuple[tuple[time, time], ...]  # the bookable hours of a working day


@dataclass(frozen=True)
class ServiceSpec:
    code: str
    name: str
    minutes: int
    price_fen: int
    deposit_fen: int
    skill: str


@dataclass(frozen=True)
class SkuSpec:
    code: str
    name: str
    price_fen: int


@dataclass
class Person:
    index: int
    family: int
    seat: int
    relationship: str
    name: str
    gender: str
    birth_date: date

    def age_on(self, day: date) -> int:
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass
class Family:
    index: int
    phone: str
    joined: datetime
    acquisition: str
    home_clinic: int
    members: list[int] = field(default_factory=list)


@dataclass
class Leave:
    doctor: int
    day: date
    reason: str  # a key of LEAVE_NOTES

    @property
    def note(self) -> str:
        return LEAVE_NOTES[self.reason]


@dataclass
class Payment:
    """Money asked for one thing: a bill, a deposit or an order."""

    public_id: uuid.UUID
    amount_fen: int
    created_at: datetime
    method: str = ""
    paid_at: datetime | None = None
    refund_fen: int = 0
    refunded_at: datetime | None = None
    refund_reason: str = ""
    closed_at: datetime | None = None


@dataclass
class VisitBill:
    public_id: uuid.UUID
    list_fen: int
    discount_fen: int
    coupon: int | None  # index into Plan.coupons
    description: str
    payment: Payment


@dataclass
class Visit:
    public_id: uuid.UUID
    person: int
    clinic: int
    doctor: int
    chair: int
    service: str
    start: datetime
    end: datetime
    status: str
    channel: str
    booked_at: datetime
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    arrived_at: datetime | None = None
    treatment_started_at: datetime | None = None
    completed_at: datetime | None = None
    no_show_at: datetime | None = None
    confirmed_at: datetime | None = None
    noted: bool = False  # the doctor wrote the chart
    deposit: Payment | None = None
    bill: VisitBill | None = None
    billed_by_services: bool = False


@dataclass
class Order:
    public_id: uuid.UUID
    family: int
    clinic: int
    lines: list[tuple[SkuSpec, int]]
    status: str  # the shop's order status
    created_at: datetime
    discount_fen: int
    coupon: int | None
    payment: Payment

    @property
    def subtotal_fen(self) -> int:
        return sum(sku.price_fen * quantity for sku, quantity in self.lines)


@dataclass
class CouponGrant:
    public_id: uuid.UUID
    family: int
    template: str  # "scaling", "products" or "floss"
    reason: str
    issued_at: datetime
    expires_at: datetime
    status: str = "issued"  # issued, redeemed, expired
    redeemed_at: datetime | None = None
    redeemed_reference: str = ""
    discount_fen: int = 0


@dataclass
class Points:
    family: int
    at: datetime
    delta: int
    reason: str  # growth's PointsReason values
    key: str
    reference: str = ""
    note: str = ""


@dataclass
class Plan:
    seed: int
    now: datetime
    families: list[Family]
    people: list[Person]
    leave: list[Leave]
    visits: list[Visit]
    orders: list[Order]
    coupons: list[CouponGrant]
    points: list[Points]

    @property
    def today(self) -> date:
        return self.now.astimezone(ZONE).date()


# --- what fits whom --------------------------------------------------------------------------

AGES = {
    # service: (youngest, oldest) on the day of the visit
    "cleaning": (12, 120),
    "filling": (3, 120),
    "root_canal": (16, 120),
    "wisdom_tooth_extraction": (17, 65),
    "implant_consultation": (30, 120),
    "orthodontic_consultation": (7, 45),
    "fluoride_varnish": (3, 12),
    "sealant": (6, 13),
    "emergency": (3, 120),
}


def fits(person: Person, service: str, day: date) -> bool:
    youngest, oldest = AGES.get(service, (0, 120))
    return youngest <= person.age_on(day) <= oldest


def _wants(rng: random.Random, person: Person, today: date) -> list[tuple[str, int]]:
    """What ``person`` needs this year: (service, visits in a course)."""
    age = person.age_on(today)
    wants = []
    if age < 3:
        return wants  # the under-threes come with a parent, and are only looked at
    if age >= 12 and rng.random() < 0.72:
        wants.append(("cleaning", 2 if rng.random() < 0.45 else 1))
    if 3 <= age <= 12 and rng.random() < 0.6:
        wants.append(("fluoride_varnish", 2 if rng.random() < 0.7 else 1))
    if 6 <= age <= 12 and rng.random() < 0.28:
        wants.append(("sealant", 1))
    if rng.random() < (0.3 if age < 12 else 0.24):
        wants += [("filling", 1)] * rng.choice([1, 1, 1, 2, 2, 3])
    if age >= 16 and rng.random() < 0.06:
        wants.append(("root_canal", rng.choice([2, 3, 3])))
    if 18 <= age <= 45 and rng.random() < 0.05:
        wants.append(("wisdom_tooth_extraction", 1))
    if age >= 35 and rng.random() < 0.015 * (1 + (age - 35) / 10):
        wants.append(("implant_consultation", 1))
    if (7 <= age <= 16 and rng.random() < 0.14) or (18 <= age <= 35 and rng.random() < 0.03):
        wants.append(("orthodontic_consultation", 1))
    if rng.random() < 0.025:
        wants.append(("emergency", 1))
    return wants


# --- the calendar --------------------------------------------------------------------------


@dataclass
class Calendar:
    days: list[date]
    holidays: set[date]
    spring_festival: set[date]  # the festival's days off
    quiet: set[date]  # the festival and the days people travel before and after it


def calendar(first: date, last: date) -> Calendar:
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    off, festival = set(), set()
    for year in range(first.year, last.year + 1):
        try:
            public = holidays.public_days(year)
        except holidays.YearNotCovered:
            continue
        for item in public:
            if item.kind == holidays.HOLIDAY:
                off.add(item.day)
                if item.name == "春节":
                    festival.add(item.day)
    quiet = set()
    for day in festival:
        quiet.update(day + timedelta(days=n) for n in range(-4, 5))
    return Calendar(days, off, festival, quiet)


# Shanghai's school holidays as the demo has them: winter from 20 January to the end of
# February, summer from 5 July to the end of August. The builder gives them to each
# clinic's calendar, so that the demand forecast knows them too.
def _summer(day: date) -> bool:
    return (day.month, day.day) >= (7, 5) and day.month <= 8


def _winter(day: date) -> bool:
    return (day.month == 1 and day.day >= 20) or day.month == 2


def school_holidays(first: date, last: date) -> list[tuple[date, date]]:
    """The school holidays touching ``first``–``last``, as (first day, last day)."""
    ranges = []
    for year in range(first.year, last.year + 1):
        winter_end = date(year, 3, 1) - timedelta(days=1)
        for start, end in ((date(year, 1, 20), winter_end), (date(year, 7, 5), date(year, 8, 31))):
            if start <= last and end >= first:
                ranges.append((start, end))
    return ranges


def _weight(day: date, child: bool, cal: Calendar) -> float:
    weekend = day.weekday() >= 5
    if child:
        summer = _summer(day)
        winter = _winter(day)
        w = 2.6 if summer else (1.6 if weekend else 0.45)
        if winter and not summer:
            w *= 1.5
    else:
        w = 1.3 if weekend else 1.0
    if day in cal.quiet:
        w *= 0.12
    elif day in cal.holidays:
        w *= 0.6
    return w


# --- the plan ------------------------------------------------------------------------------


def make_plan(
    *,
    seed: int,
    now: datetime,
    families: int,
    clinics: list[ClinicSpec],
    doctors: list[DoctorSpec],
    services: list[ServiceSpec],
    skus: list[SkuSpec],
    first_phone: int = 13800000001,
) -> Plan:
    rng = random.Random(seed)
    today = now.astimezone(ZONE).date()
    cal = calendar(today - timedelta(days=HISTORY_DAYS), today + timedelta(days=FUTURE_DAYS))
    family_rows, people = _families(rng, now, today, families, len(clinics), first_phone)
    leave = _leave(rng, today, cal, doctors)
    scheduler = _Scheduler(rng, now, cal, clinics, doctors, services, leave, people, family_rows)
    scheduler.demand()
    scheduler.fill_coming_days()
    scheduler.first_visits()
    visits = sorted(scheduler.visits, key=lambda v: (v.start, v.clinic, v.chair))
    money = _Money(rng, now, family_rows, people, services, skus)
    money.coupons_for_newcomers()
    money.visits(visits)
    orders = money.orders()
    money.activities()
    return Plan(
        seed=seed,
        now=now,
        families=family_rows,
        people=people,
        leave=leave,
        visits=visits,
        orders=orders,
        coupons=money.coupons,
        points=sorted(money.points, key=lambda p: (p.at, p.key)),
    )


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _families(rng, now, today, count, clinic_count, first_phone):
    families, people = [], []

    def add(family, seat, relationship, name, low, high):
        gender = rng.choice([FEMALE, MALE])
        person = Person(
            index=len(people),
            family=family.index,
            seat=seat,
            relationship=relationship,
            name=name,
            gender=gender,
            birth_date=birth_date(rng, today, low, high),
        )
        people.append(person)
        family.members.append(person.index)
        return person

    channels = list(ACQUISITION)
    weights = [ACQUISITION[c][0] for c in channels]
    for index in range(count):
        # Nearly half came this year; the others have been patients for a while.
        if rng.random() < 0.32:
            joined = now - timedelta(days=rng.randint(1, HISTORY_DAYS), minutes=rng.randint(0, 900))
        else:
            joined = now - timedelta(days=rng.randint(HISTORY_DAYS + 1, 4 * 365))
        family = Family(
            index=index,
            phone=str(first_phone + index),
            joined=joined,
            acquisition=rng.choices(channels, weights)[0],
            home_clinic=0 if clinic_count == 1 or rng.random() < 0.58 else 1,
        )
        families.append(family)
        owner_name = full_name(rng)
        surname = owner_name[0]
        household = rng.choices(
            ["single", "couple", "parent_child", "family", "three_generations", "with_parent"],
            [28, 18, 10, 30, 8, 6],
        )[0]
        owner = add(family, 0, SELF, owner_name, 24, 68)
        seat = 1
        owner_age = owner.age_on(today)
        if household in ("couple", "family", "three_generations"):
            add(family, seat, SPOUSE, full_name(rng), max(22, owner_age - 6), owner_age + 5)
            seat += 1
        if household in ("parent_child", "family", "three_generations") and owner_age < 55:
            oldest = min(17, owner_age - 22)
            for _ in range(rng.choice([1, 1, 2, 2, 3]) if oldest > 0 else 0):
                add(family, seat, CHILD, full_name(rng, child=True, surname=surname), 0, oldest)
                seat += 1
        if household in ("three_generations", "with_parent") and seat < 5:
            add(family, seat, PARENT, full_name(rng), owner_age + 22, min(90, owner_age + 35))
            seat += 1
    return families, people


def _leave(rng, today, cal, doctors) -> list[Leave]:
    """Each doctor's annual leave (a week around the festival, in summer or in autumn), a
    few single days off sick or at a course, and one doctor away in the coming week."""
    rows = []
    first = today - timedelta(days=HISTORY_DAYS)
    festival = sorted(cal.spring_festival)
    for index, doctor in enumerate(doctors):
        weekdays = {d for days in doctor.schedule.values() for d in days}

        def add(day, reason, index=index, weekdays=weekdays):
            if first <= day <= today + timedelta(days=FUTURE_DAYS) and day.weekday() in weekdays:
                rows.append(Leave(index, day, reason))

        when = rng.choices(["festival", "summer", "autumn"], [4, 3, 3])[0]
        if when == "festival" and festival:
            start = festival[-1] + timedelta(days=1)
        elif when == "summer":
            start = date(today.year if today.month > 8 else today.year - 1, 7, rng.randint(1, 28))
        else:
            start = date(today.year if today.month > 10 else today.year - 1, 10, 8)
            start += timedelta(days=rng.randint(0, 20))
        for n in range(rng.randint(4, 7)):
            add(start + timedelta(days=n), "annual")
        for _ in range(rng.randint(1, 3)):
            add(today - timedelta(days=rng.randint(1, HISTORY_DAYS - 1)), "sick")
        if rng.random() < 0.5:
            add(today - timedelta(days=rng.randint(1, HISTORY_DAYS - 1)), "course")
    # Someone is away in the coming week, so that the console and the grid show leave.
    away = doctors[3 % len(doctors)]
    for n in range(2, 9):
        day = today + timedelta(days=n)
        if day.weekday() in {d for days in away.schedule.values() for d in days}:
            rows.append(Leave(3 % len(doctors), day, "course"))
            break
    seen, unique = set(), []
    for row in sorted(rows, key=lambda r: (r.day, r.doctor)):
        if (row.doctor, row.day) not in seen:
            seen.add((row.doctor, row.day))
            unique.append(row)
    return unique


def _quarter(moment: time) -> int:
    return moment.hour * 4 + moment.minute // 15 if moment != time.max else 96


class _Scheduler:
    """Puts each wanted visit at a free time of a fitting doctor and chair."""

    def __init__(self, rng, now, cal, clinics, doctors, services, leave, people, families):
        self.rng, self.now, self.cal = rng, now, cal
        # No-shows and confirmations draw from their own stream, seeded from the plan's
        # without taking from it (ADR 0051).
        self.habits_seed = rng.getstate()[1][0]
        self.habits = random.Random(self.habits_seed)
        self.today = now.astimezone(ZONE).date()
        self.clinics, self.doctors, self.people, self.families = clinics, doctors, people, families
        self.services = {s.code: s for s in services}
        self.away = {(row.doctor, row.day) for row in leave}
        self.doctor_busy = defaultdict(int)  # (doctor, day): bitmask of quarter-hours
        self.chair_busy = defaultdict(int)  # (clinic, chair, day)
        self.person_days = set()  # (person, day): one visit a person a day
        self.cleanings = defaultdict(list)  # person: days of cleanings that held their time
        self.visits: list[Visit] = []
        self.start_day = self.today - timedelta(days=HISTORY_DAYS)
        self.last_day = self.today + timedelta(days=FUTURE_DAYS)
        self.cum = {
            child: list(accumulate(_weight(d, child, cal) for d in cal.days))
            for child in (False, True)
        }

    # When the clinic and a doctor work.
    def open(self, clinic: int, day: date) -> bool:
        return self.clinics[clinic].open_on_holidays or day not in self.cal.holidays

    def working(self, clinic: int, day: date, skill: str):
        if not self.open(clinic, day):
            return []
        return [
            index
            for index, doctor in enumerate(self.doctors)
            if day.weekday() in doctor.schedule.get(clinic, ())
            and skill in doctor.skills
            and (index, day) not in self.away
        ]

    def pick_day(self, child: bool, earliest: date) -> date:
        cum = self.cum[child]
        low = bisect_left(self.cal.days, earliest)
        if low >= len(cum):
            return self.cal.days[-1]
        base = cum[low - 1] if low else 0.0
        target = base + self.rng.random() * (cum[-1] - base)
        return self.cal.days[min(len(cum) - 1, bisect_left(cum, target))]

    def demand(self) -> None:
        rng, wanted = self.rng, []
        for person in self.people:
            family = self.families[person.family]
            joined = family.joined.astimezone(ZONE).date()
            earliest = max(self.start_day, joined)
            child = person.age_on(self.today) < 16
            for service, visits in _wants(rng, person, self.today):
                day = self.pick_day(child, earliest)
                if service in ("cleaning", "fluoride_varnish") and visits == 2:
                    # Twice a year, about six months apart, both within the year.
                    gap = timedelta(days=rng.randint(150, 200))
                    other = day + gap if day + gap <= self.last_day else day - gap
                    for n, when in enumerate(sorted([day, other])):
                        if when >= earliest:
                            wanted.append((when, person.index, service, n))
                    continue
                for n in range(visits):
                    if day > self.last_day:
                        break
                    wanted.append((day, person.index, service, n))
                    if service == "root_canal":
                        day += timedelta(days=rng.randint(7, 14))
                    else:
                        day = self.pick_day(child, day + timedelta(days=20))
            # A newly joined family came first soon after joining.
            if person.seat == 0 and joined >= self.start_day:
                service = "cleaning" if rng.random() < 0.7 else "filling"
                day = joined + timedelta(days=rng.randint(0, 3))
                wanted.append((day, person.index, service, -1))
        wanted.sort()
        for day, person, service, _order in wanted:
            self.book(person, service, day)

    def too_soon(self, person: int, code: str, day: date) -> bool:
        """Cleaning once or twice a year: not a third, nor a second within five months."""
        if code != "cleaning":
            return False
        done = self.cleanings[person]
        return len(done) >= 2 or any(abs((day - other).days) < 150 for other in done)

    def book(self, person_index: int, code: str, day: date, *, tries=10) -> bool:
        rng, person = self.rng, self.people[person_index]
        family = self.families[person.family]
        service = self.services[code]
        for offset in range(tries):
            candidate = day + timedelta(days=offset)
            if candidate > self.last_day:
                return False
            if (
                (person_index, candidate) in self.person_days
                or not fits(person, code, candidate)
                or self.too_soon(person_index, code, candidate)
            ):
                continue
            clinics = [family.home_clinic] + [
                c for c in range(len(self.clinics)) if c != family.home_clinic
            ]
            if rng.random() < 0.9:
                clinics = clinics[:1]
            for clinic in clinics:
                doctors = self.working(clinic, candidate, service.skill)
                rng.shuffle(doctors)
                for doctor in doctors:
                    slot = self.free_slot(doctor, clinic, candidate, service)
                    if slot is not None:
                        self.add(person, family, clinic, doctor, slot, candidate, service)
                        return True
        return False

    def free_slot(self, doctor, clinic, day, service, start_at=None):
        length = math.ceil(service.minutes / 15)
        need = (1 << length) - 1
        busy = self.doctor_busy[(doctor, day)]
        starts = [
            q
            for span_start, span_end in self.doctors[doctor].spans
            for q in range(_quarter(span_start), _quarter(span_end) - length + 1)
        ]
        if not starts:
            return None
        if start_at is None:
            shift = self.rng.randrange(len(starts))
            starts = starts[shift:] + starts[:shift]
        else:
            starts = [q for q in starts if q == start_at]
        for q in starts:
            if busy & (need << q):
                continue
            for chair in range(self.clinics[clinic].chairs):
                if not self.chair_busy[(clinic, chair, day)] & (need << q):
                    return q, chair, need
        return None

    def add(self, person, family, clinic, doctor, slot, day, service):
        rng, now = self.rng, self.now
        q, chair, need = slot
        start = datetime.combine(day, time(q // 4, q % 4 * 15), tzinfo=ZONE)
        end = start + timedelta(minutes=service.minutes)
        if service.code == "emergency":
            channel = rng.choice([WALK_IN, CONSOLE])
        else:
            channel = rng.choices([API, PATIENT_APP, CONSOLE, WALK_IN], [45, 25, 22, 8])[0]
        if end <= now:
            status = rng.choices([COMPLETED, NO_SHOW, CANCELLED], [87, 4, 9])[0]
        elif start <= now:
            status = IN_TREATMENT
        else:
            status = rng.choices([BOOKED, CANCELLED], [94, 6])[0]
        if channel == WALK_IN:
            booked = start - timedelta(minutes=rng.randint(5, 40))
            if status == CANCELLED:
                status = COMPLETED if end <= now else BOOKED
        else:
            booked = start - timedelta(days=rng.randint(1, 14), hours=rng.randint(0, 8))
            if end <= now and self.habits.random() < 0.25:
                # Some book a month or more ahead (a check-up after the holidays).
                booked -= timedelta(days=self.habits.randint(7, 35))
        booked = max(booked, min(family.joined, start - timedelta(minutes=5)))
        # Half of those reminded the day before answer that they will come.
        confirmed_at = None
        reminder = start - timedelta(hours=24)
        if channel != WALK_IN and booked < reminder < now and self.habits.random() < 0.5:
            confirmed_at = reminder + timedelta(minutes=self.habits.randint(1, 180))
        if status in (COMPLETED, NO_SHOW):
            status = self.attendance(person, channel, service.code, start, booked, confirmed_at)
        visit = Visit(
            public_id=_uuid(rng),
            person=person.index,
            clinic=clinic,
            doctor=doctor,
            chair=chair,
            service=service.code,
            start=start,
            end=end,
            status=status,
            channel=channel,
            booked_at=booked,
            confirmed_at=confirmed_at,
        )
        if status == COMPLETED:
            visit.arrived_at = start - timedelta(minutes=rng.randint(2, 20))
            visit.treatment_started_at = start + timedelta(minutes=rng.randint(0, 10))
            visit.completed_at = end
            visit.noted = rng.random() < 0.93
        elif status == IN_TREATMENT:
            visit.arrived_at = start - timedelta(minutes=10)
            visit.treatment_started_at = start
        elif status == NO_SHOW:
            visit.no_show_at = start + timedelta(minutes=30)
        elif status == CANCELLED:
            latest = max(booked + timedelta(minutes=5), start - timedelta(hours=2))
            span = max(0, int((latest - booked).total_seconds() // 60))
            visit.cancelled_at = booked + timedelta(minutes=rng.randint(span // 2, span))
            visit.cancel_reason = rng.choice(CANCEL_REASONS)
        self.visits.append(visit)
        if status != CANCELLED:
            self.doctor_busy[(doctor, day)] |= need << q
            self.chair_busy[(clinic, chair, day)] |= need << q
            self.person_days.add((person.index, day))
            if service.code == "cleaning":
                self.cleanings[person.index].append(day)
        elif start > now or rng.random() < 0.65:
            # Most who cancel book again a few days later.
            self.book(person.index, service.code, day + timedelta(days=rng.randint(2, 10)), tries=6)
        return visit

    def attendance(self, person, channel, code, start, booked, confirmed_at) -> str:
        """Whether a past visit was kept: a few patients miss often, and anyone misses
        more when they booked long ahead, online, for a Monday morning, and without
        answering the reminder or paying a deposit."""
        if channel == WALK_IN or code == "emergency":
            return COMPLETED
        habitual = random.Random(self.habits_seed * 7919 + person.index).random() < 0.07
        local = start.astimezone(ZONE)
        lead = max(0.0, (start - booked).total_seconds() / 86400)
        logit = (
            -4.1
            + 2.4 * habitual
            + 0.55 * math.log1p(lead)
            + (0.9 if local.weekday() == 0 and local.hour < 12 else 0.0)
            + (0.4 if channel in (API, PATIENT_APP) else 0.0)
            - (1.1 if confirmed_at is not None else 0.0)
            - (1.0 if self.services[code].deposit_fen and channel in (API, PATIENT_APP) else 0.0)
        )
        return NO_SHOW if self.habits.random() < 1 / (1 + math.exp(-logit)) else COMPLETED

    def first_visits(self) -> None:
        """A family that came this year first came through its acquisition channel: the
        holder's first visit was booked that way (a walk-in came in off the street)."""
        first = {}
        for visit in sorted(self.visits, key=lambda v: v.start):
            person = self.people[visit.person]
            if person.seat == 0 and visit.status != CANCELLED:
                first.setdefault(person.family, visit)
        for family_index, visit in first.items():
            family = self.families[family_index]
            if family.joined < datetime.combine(self.start_day, time(), tzinfo=ZONE):
                continue
            visit.channel = ACQUISITION[family.acquisition][1]
            if visit.channel == WALK_IN:
                visit.booked_at = visit.start - timedelta(minutes=self.rng.randint(5, 40))
            family.joined = min(family.joined, visit.booked_at)

    def fill_coming_days(self) -> None:
        """Today and the coming days fill as a clinic's do: nearly full tomorrow, emptier
        further out, so that the 7-day grid shows every colour."""
        rng = self.rng
        adults = [p for p in self.people if p.age_on(self.today) >= 18]
        children = [p for p in self.people if 3 <= p.age_on(self.today) < 13]
        for offset in range(0, FUTURE_DAYS + 1):
            day = self.today + timedelta(days=offset)
            fill = rng.uniform(0.6, 0.8) if offset == 0 else max(0.1, 1.02 - 0.12 * offset)
            for clinic in range(len(self.clinics)):
                if not self.open(clinic, day):
                    continue
                for index, doctor in enumerate(self.doctors):
                    if day.weekday() not in doctor.schedule.get(clinic, ()):
                        continue
                    if (index, day) in self.away:
                        continue
                    offered = [
                        s
                        for s in self.services.values()
                        if s.skill in doctor.skills and s.code != "emergency"
                    ]
                    for span_start, span_end in doctor.spans:
                        q, end_q = _quarter(span_start), _quarter(span_end)
                        while q < end_q:
                            service = rng.choice(offered)
                            length = math.ceil(service.minutes / 15)
                            if q + length > end_q:
                                break
                            if rng.random() > fill:
                                q += rng.choice([1, 2, 2, 3])
                                continue
                            pool = (
                                children
                                if service.code in AGES and AGES[service.code][1] < 16
                                else adults
                            )
                            person = rng.choice(pool or self.people)
                            slot = self.free_slot(index, clinic, day, service, start_at=q)
                            if (
                                slot is None
                                or (person.index, day) in self.person_days
                                or not fits(person, service.code, day)
                                or self.too_soon(person.index, service.code, day)
                            ):
                                q += 1
                                continue
                            family = self.families[person.family]
                            visit = self.add(person, family, clinic, index, slot, day, service)
                            q += length if visit.status != CANCELLED else 1


class _Money:
    """Bills, deposits, refunds, orders, coupons and points, in time order."""

    def __init__(self, rng, now, families, people, services, skus):
        self.rng, self.now = rng, now
        self.families, self.people = families, people
        self.services = {s.code: s for s in services}
        self.skus = skus
        self.coupons: list[CouponGrant] = []
        self.coupons_of = defaultdict(list)
        self.points: list[Points] = []
        self.balance = defaultdict(int)
        self.in_arrears: set[int] = set()

    def billed_by_services(self, family: int, start: datetime) -> bool:
        return family < SERVICE_BILLED_FAMILIES and start >= self.now - timedelta(
            days=SERVICE_BILLED_DAYS
        )

    def left_unpaid(self, family: int, visit) -> bool:
        """Whether this visit's bill is one a family left unpaid (one per family)."""
        ago = (self.now - visit.end).days
        return (
            family >= SERVICE_BILLED_FAMILIES
            and family % ARREARS_EVERY == 0
            and family not in self.in_arrears
            and ARREARS_DAYS[0] <= ago <= ARREARS_DAYS[1]
        )

    def earn(self, family: int, at: datetime, fen: int, reference: str, note: str = "") -> None:
        points = fen // 100
        if points > 0 and family >= SERVICE_BILLED_FAMILIES:
            self.balance[family] += points
            self.points.append(
                Points(family, at, points, "paid_spend", f"{reference}:earned", reference, note)
            )

    def take_back(self, family: int, at: datetime, fen: int, paid_fen: int, reference, key):
        earned = paid_fen // 100
        points = min(self.balance[family], earned * fen // paid_fen)
        if points > 0 and family >= SERVICE_BILLED_FAMILIES:
            self.balance[family] -= points
            self.points.append(Points(family, at, -points, "refund", key, reference))

    def grant(self, family, template, reason, issued_at, days) -> CouponGrant:
        coupon = CouponGrant(
            public_id=_uuid(self.rng),
            family=family,
            template=template,
            reason=reason,
            issued_at=issued_at,
            expires_at=issued_at + timedelta(days=days),
        )
        self.coupons.append(coupon)
        self.coupons_of[family].append(coupon)
        return coupon

    def coupons_for_newcomers(self) -> None:
        """A 洁牙7折 welcome coupon for families who joined this year; 满200减30 for some
        families on the year's member days."""
        rng, now = self.rng, self.now
        for family in self.families[SERVICE_BILLED_FAMILIES:]:
            if family.joined >= now - timedelta(days=HISTORY_DAYS):
                self.grant(family.index, "scaling", "新客礼", family.joined, 60)
        member_days = [d for d in (now - timedelta(days=n) for n in (20, 120, 170, 260)) if d < now]
        for family in self.families[SERVICE_BILLED_FAMILIES:]:
            if (
                rng.random() < 0.25
                and len([c for c in self.coupons if c.template == "products"]) < 430
            ):
                issued = rng.choice(member_days).replace(hour=10, minute=0, second=0, microsecond=0)
                self.grant(family.index, "products", "会员日活动", issued, 30)

    def held(self, family: int, template: str, at: datetime) -> CouponGrant | None:
        for coupon in self.coupons_of[family]:
            if (
                coupon.template == template
                and coupon.status == "issued"
                and coupon.issued_at <= at < coupon.expires_at
            ):
                return coupon
        return None

    def visits(self, visits: list[Visit]) -> None:
        rng = self.rng
        coupon_index = {id(c): n for n, c in enumerate(self.coupons)}
        for visit in visits:
            service = self.services[visit.service]
            family = self.people[visit.person].family
            visit.billed_by_services = self.billed_by_services(family, visit.start)
            online = visit.channel in (API, PATIENT_APP)
            if service.deposit_fen and online and not visit.billed_by_services:
                paid = visit.booked_at + timedelta(minutes=rng.randint(1, 8))
                visit.deposit = Payment(
                    public_id=_uuid(rng),
                    amount_fen=service.deposit_fen,
                    created_at=visit.booked_at,
                    method=rng.choice([WECHATPAY, WECHATPAY, ALIPAY]),
                    paid_at=paid,
                )
                if visit.status == CANCELLED:
                    visit.deposit.refund_fen = service.deposit_fen
                    visit.deposit.refunded_at = max(paid, visit.cancelled_at) + timedelta(
                        minutes=rng.randint(1, 30)
                    )
                    visit.deposit.refund_reason = "预约已取消"
            if visit.status != COMPLETED or service.price_fen <= 0 or visit.billed_by_services:
                continue
            list_fen = service.price_fen - (visit.deposit.amount_fen if visit.deposit else 0)
            description = service.name + ("（已付定金抵扣）" if visit.deposit else "")
            discount, coupon = 0, None
            if visit.service == "cleaning":
                coupon = self.held(family, "scaling", visit.end)
                if coupon is not None:
                    discount = list_fen - list_fen * 70 // 100
            bill_id = _uuid(rng)
            bill_reference = f"payments.bill:{bill_id}"
            method = rng.choices([CASH, CARD, WECHATPAY, ALIPAY], [18, 22, 40, 20])[0]
            paid_at = visit.end + timedelta(minutes=rng.randint(2, 15))
            payment = Payment(
                public_id=_uuid(rng),
                amount_fen=list_fen - discount,
                created_at=visit.end,
                method=method,
                paid_at=paid_at,
            )
            unpaid = coupon is None and self.left_unpaid(family, visit)
            if unpaid:
                # Not paid within the bill's 30 days: the payment closed, the money owed.
                payment.paid_at, payment.method = None, ""
                payment.closed_at = visit.end + timedelta(days=BILL_DUE_DAYS)
                self.in_arrears.add(family)
            if coupon is not None:
                coupon.status, coupon.redeemed_at = "redeemed", paid_at
                coupon.redeemed_reference, coupon.discount_fen = bill_reference, discount
            visit.bill = VisitBill(
                public_id=bill_id,
                list_fen=list_fen,
                discount_fen=discount,
                coupon=coupon_index[id(coupon)] if coupon is not None else None,
                description=description,
                payment=payment,
            )
            if unpaid:
                rng.random()  # drawn as for a paid bill, so the rest of the plan is the same
                continue
            self.earn(family, paid_at, payment.amount_fen, bill_reference, service.name)
            if rng.random() < 0.015 and paid_at + timedelta(days=1) < self.now:
                payment.refund_fen = max(100, payment.amount_fen * rng.choice([20, 30, 50]) // 100)
                payment.refund_fen = min(payment.refund_fen, payment.amount_fen)
                payment.refunded_at = paid_at + timedelta(days=1, hours=rng.randint(0, 6))
                payment.refund_reason = rng.choice(["治疗方案调整", "部分项目未做", "收费有误"])
                self.take_back(
                    family,
                    payment.refunded_at,
                    payment.refund_fen,
                    payment.amount_fen,
                    bill_reference,
                    f"{bill_reference}:earned:back:{payment.public_id.hex[:12]}",
                )
        for coupon in self.coupons:
            if coupon.status == "issued" and coupon.expires_at <= self.now:
                coupon.status = "expired"

    def orders(self) -> list[Order]:
        """Mall orders over the year, picked up at the family's clinic."""
        rng, now, orders = self.rng, self.now, []
        coupon_index = {id(c): n for n, c in enumerate(self.coupons)}
        moments = []
        for family in self.families[1:]:
            if rng.random() < 0.16:
                for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                    joined = max(family.joined, now - timedelta(days=HISTORY_DAYS))
                    span = int((now - joined).total_seconds() // 60)
                    if span < 60:
                        continue
                    at = joined + timedelta(minutes=rng.randint(0, span - 30))
                    moments.append((at, family.index))
        for at, family_index in sorted(moments):
            family = self.families[family_index]
            lines = [
                (sku, rng.choice([1, 1, 1, 2]))
                for sku in rng.sample(self.skus, rng.choice([1, 1, 2]))
            ]
            order_id = _uuid(rng)
            reference = f"shop.order:{order_id}"
            subtotal = sum(sku.price_fen * q for sku, q in lines)
            discount, coupon = 0, None
            held = self.held(family_index, "products", at)
            if held is not None and subtotal >= 20000:
                coupon, discount = held, 3000
            age = now - at
            if rng.random() < 0.04:
                status = "cancelled"
            elif age > timedelta(days=7):
                status = "completed"
            elif age > timedelta(days=2):
                status = "ready"
            else:
                status = "paid"
            payment = Payment(public_id=_uuid(rng), amount_fen=subtotal - discount, created_at=at)
            if status == "cancelled":
                payment.closed_at = at + timedelta(minutes=15)
                coupon, discount = None, 0
                payment.amount_fen = subtotal
            else:
                payment.method = rng.choice([WECHATPAY, WECHATPAY, ALIPAY])
                payment.paid_at = at + timedelta(minutes=rng.randint(1, 5))
                self.earn(family_index, payment.paid_at, payment.amount_fen, reference, "商城订单")
                if status == "completed" and rng.random() < 0.03:
                    status = "refunded"
                    payment.refund_fen = payment.amount_fen
                    payment.refunded_at = payment.paid_at + timedelta(days=rng.randint(1, 5))
                    payment.refund_reason = "商品未取，申请退款"
                    self.take_back(
                        family_index,
                        payment.refunded_at,
                        payment.amount_fen,
                        payment.amount_fen,
                        reference,
                        f"{reference}:earned-back",
                    )
            if coupon is not None:
                coupon.status, coupon.redeemed_at = "redeemed", payment.paid_at
                coupon.redeemed_reference, coupon.discount_fen = reference, discount
            orders.append(
                Order(
                    public_id=order_id,
                    family=family_index,
                    clinic=family.home_clinic,
                    lines=lines,
                    status=status,
                    created_at=at,
                    discount_fen=discount,
                    coupon=coupon_index[id(coupon)] if coupon is not None else None,
                    payment=payment,
                )
            )
        for coupon in self.coupons:
            if coupon.status == "issued" and coupon.expires_at <= now:
                coupon.status = "expired"
        return orders

    def activities(self) -> None:
        """Points for the brushing check-in and the satisfaction survey, and floss
        exchanged for points by some who had enough."""
        rng, now = self.rng, self.now
        for family in self.families[SERVICE_BILLED_FAMILIES:]:
            if rng.random() < 0.3:
                at = now - timedelta(days=rng.randint(1, 200), minutes=rng.randint(0, 600))
                at = max(at, family.joined)
                self.balance[family.index] += 50
                self.points.append(
                    Points(
                        family.index,
                        at,
                        50,
                        "activity",
                        f"demo:checkin:{family.index}",
                        note="每日刷牙打卡",
                    )
                )
        # An exchange spends what the family held at that moment.
        held = defaultdict(list)
        for entry in self.points:
            held[entry.family].append((entry.at, entry.delta))
        for family in self.families[SERVICE_BILLED_FAMILIES:]:
            at = now - timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600))
            before = sum(delta for moment, delta in held[family.index] if moment < at)
            later = (d for m, d in sorted(held[family.index]) if m >= at)
            after = min(accumulate(later, initial=before))
            if after >= 500 and rng.random() < 0.25:
                self.balance[family.index] -= 500
                self.points.append(
                    Points(
                        family.index,
                        at,
                        -500,
                        "reward_redeem",
                        f"demo:floss:{family.index}",
                        note="免费牙线",
                    )
                )
                self.grant(family.index, "floss", "积分兑换", at, 30)
