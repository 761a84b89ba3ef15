"""A small chain to test the planner by hand: two clinics, two days, three doctors.

Clinic 1 has chairs 11 and 12, mornings, afternoons and a first-day evening; clinic 2 has
chair 21 and mornings. Dr Wang (1) does general dentistry and root canals at both clinics,
Dr Li (2) general dentistry at clinic 1, Dr Zhao (3) general dentistry at clinic 2.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from yachi.rostering.planner.model import Clinic, Doctor, HalfDay, Instance

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)
TUESDAY = MONDAY + dt.timedelta(days=1)
WANG, LI, ZHAO = 1, 2, 3


def at(date: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(date, dt.time(hour, minute), tzinfo=ZONE)


def half_day(clinic: int, date: dt.date, part: str) -> HalfDay:
    hours = {
        "morning": ((8, 30), (12, 0)),
        "afternoon": ((13, 30), (17, 30)),
        "evening": ((18, 0), (21, 0)),
    }
    (h1, m1), (h2, m2) = hours[part]
    return HalfDay(clinic, date, part, at(date, h1, m1), at(date, h2, m2))


HALF_DAYS = (
    half_day(1, MONDAY, "morning"),
    half_day(1, MONDAY, "afternoon"),
    half_day(1, MONDAY, "evening"),
    half_day(1, TUESDAY, "morning"),
    half_day(1, TUESDAY, "afternoon"),
    half_day(2, MONDAY, "morning"),
    half_day(2, TUESDAY, "morning"),
)

DOCTORS = (
    Doctor(WANG, frozenset({"general", "endodontics"}), frozenset({1, 2}), preferred_clinic_id=1),
    Doctor(LI, frozenset({"general"}), frozenset({1}), preferred_clinic_id=1),
    Doctor(ZHAO, frozenset({"general"}), frozenset({2}), preferred_clinic_id=2),
)


def instance(**changes) -> Instance:
    fields = {
        "start": MONDAY,
        "days": 2,
        "clinics": (Clinic(1, (11, 12)), Clinic(2, (21,))),
        "half_days": HALF_DAYS,
        "doctors": DOCTORS,
        "min_rest_hours": 12.0,
    }
    fields.update(changes)
    return Instance(**fields)
