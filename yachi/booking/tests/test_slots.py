from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from yachi.booking.saturation import Thresholds, day_level
from yachi.booking.slots import DayPlan, day_slots

ZONE = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 12, 1)
MIN = timedelta(minutes=1)


def at(hour, minute=0):
    return datetime(2026, 12, 1, hour, minute, tzinfo=ZONE)


def plan(working, doctor_busy=(), chairs_busy=None):
    return DayPlan(
        day=DAY,
        working=list(working),
        doctor_busy=list(doctor_busy),
        chairs_busy=chairs_busy if chairs_busy is not None else [[]],
    )


def starts(result):
    return [f"{s:%H:%M}" for s, _ in result.slots]


def test_free_morning_is_cut_into_slots_on_the_step_grid():
    result = day_slots(plan([(at(9), at(10))]), duration=30 * MIN, step=15 * MIN)
    assert starts(result) == ["09:00", "09:15", "09:30"]


def test_a_booked_appointment_removes_every_overlapping_start():
    result = day_slots(
        plan([(at(9), at(11))], doctor_busy=[(at(9, 30), at(10, 15))]),
        duration=30 * MIN,
        step=15 * MIN,
    )
    assert starts(result) == ["09:00", "10:15", "10:30"]


def test_starts_snap_to_the_grid_after_an_odd_ending():
    result = day_slots(plan([(at(9, 5), at(10))]), duration=30 * MIN, step=15 * MIN)
    assert starts(result) == ["09:15", "09:30"]


def test_no_free_chair_means_no_slot_even_when_the_doctor_is_free():
    chairs = [[(at(9), at(9, 30))], [(at(9), at(10))]]
    result = day_slots(
        plan([(at(9), at(10))], chairs_busy=chairs), duration=30 * MIN, step=15 * MIN
    )
    assert starts(result) == ["09:30"]


def test_a_clinic_without_chairs_offers_nothing():
    result = day_slots(plan([(at(9), at(10))], chairs_busy=[]), duration=30 * MIN, step=15 * MIN)
    assert result.slots == []


def test_a_family_of_two_needs_two_durations_back_to_back():
    result = day_slots(
        plan([(at(9), at(10, 30))], doctor_busy=[(at(10), at(10, 30))]),
        duration=30 * MIN,
        step=15 * MIN,
        party_size=2,
    )
    assert starts(result) == ["09:00"]
    assert result.slots[0][1] == at(10)


def test_taken_share_counts_only_booked_time_inside_working_hours():
    result = day_slots(
        plan([(at(9), at(11))], doctor_busy=[(at(8), at(9, 30)), (at(10), at(10, 30))]),
        duration=30 * MIN,
        step=15 * MIN,
    )
    assert result.taken_share == 0.5


def test_a_day_off_is_fully_taken():
    result = day_slots(plan([]), duration=30 * MIN, step=15 * MIN)
    assert result.working_seconds == 0
    assert result.taken_share == 1.0


def test_saturation_levels_follow_the_thresholds():
    level = lambda share, working=True: day_level(  # noqa: E731
        taken_share=share, working=working, limits=Thresholds(0.5, 0.85)
    )
    assert level(0.0) == "green"
    assert level(0.49) == "green"
    assert level(0.5) == "yellow"
    assert level(0.84) == "yellow"
    assert level(0.85) == "red"
    # The level is the booked share alone; a day without working time is grey.
    assert level(0.1) == "green"
    assert level(0.0, working=False) == "off"
