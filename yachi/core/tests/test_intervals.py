"""Half-open time intervals ``[start, end)``: a doctor's hours, leave, appointments."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from yachi.core.intervals import clip, merge, overlaps, subtract, total_seconds

SHANGHAI = ZoneInfo("Asia/Shanghai")
URUMQI = ZoneInfo("Asia/Urumqi")  # UTC+6: the same instant reads two hours earlier
MONDAY = datetime(2026, 11, 30, tzinfo=SHANGHAI)


def at(hour, minute=0, zone=SHANGHAI):
    return (MONDAY + timedelta(hours=hour, minutes=minute)).astimezone(zone)


def span(start_hour, end_hour):
    return (at(start_hour), at(end_hour))


# --- merge -------------------------------------------------------------------------------------


def test_overlapping_shifts_merge_into_one():
    assert merge([span(9, 12), span(11, 14)]) == [span(9, 14)]


def test_a_shift_that_ends_when_the_next_begins_joins_it():
    assert merge([span(9, 12), span(12, 18)]) == [span(9, 18)]


def test_a_gap_of_a_minute_keeps_shifts_apart():
    morning, afternoon = (at(9), at(12)), (at(12, 1), at(18))
    assert merge([afternoon, morning]) == [morning, afternoon]


def test_unsorted_input_comes_out_sorted():
    assert merge([span(15, 16), span(9, 10), span(12, 13)]) == [
        span(9, 10),
        span(12, 13),
        span(15, 16),
    ]


def test_a_shift_inside_another_disappears_into_it():
    assert merge([span(9, 18), span(10, 11), span(9, 18)]) == [span(9, 18)]


def test_empty_and_backwards_intervals_cover_nothing():
    assert merge([]) == []
    assert merge([span(10, 10), span(12, 11)]) == []
    assert merge([span(10, 10), span(9, 11)]) == [span(9, 11)]


def test_the_same_instant_written_in_two_zones_is_one_moment():
    # 09:00–12:00 in Shanghai is 07:00–10:00 in Urumqi; 12:00–13:00 written in UTC touches it.
    in_urumqi = (at(9, zone=URUMQI), at(12, zone=URUMQI))
    in_utc = (at(12, zone=UTC), at(13, zone=UTC))
    [(start, end)] = merge([in_utc, in_urumqi])
    assert (start, end) == span(9, 13)
    assert start.utcoffset() == timedelta(hours=6)  # kept as given, still aware


def test_merge_accepts_any_iterable_once():
    assert merge(s for s in [span(9, 10), span(10, 11)]) == [span(9, 11)]


# --- subtract ----------------------------------------------------------------------------------


def test_leave_in_the_middle_splits_the_day():
    assert subtract([span(9, 18)], [span(12, 13)]) == [span(9, 12), span(13, 18)]


def test_leave_covering_the_whole_day_leaves_nothing():
    assert subtract([span(9, 12), span(13, 18)], [span(0, 24)]) == []


def test_leave_at_either_end_trims_the_day():
    assert subtract([span(9, 18)], [span(8, 10), span(17, 19)]) == [span(10, 17)]


def test_leave_touching_a_shift_takes_nothing_from_it():
    assert subtract([span(9, 12)], [span(12, 13), span(8, 9)]) == [span(9, 12)]


def test_one_leave_can_cut_across_several_shifts():
    assert subtract([span(9, 12), span(13, 18)], [span(11, 14)]) == [span(9, 11), span(14, 18)]


def test_several_leaves_in_any_order_cut_one_shift():
    removed = [span(16, 17), span(10, 11), span(10, 10), span(10, 11)]
    assert subtract([span(9, 18)], removed) == [span(9, 10), span(11, 16), span(17, 18)]


def test_subtracting_nothing_gives_the_merged_shifts():
    assert subtract([span(13, 18), span(9, 13)], []) == [span(9, 18)]


def test_nothing_minus_anything_is_nothing():
    assert subtract([], [span(9, 18)]) == []


# --- overlaps ----------------------------------------------------------------------------------


def test_appointments_that_share_a_minute_overlap():
    assert overlaps(span(9, 10), (at(9, 59), at(10, 30)))
    assert overlaps(span(9, 18), span(12, 13))  # one inside the other
    assert overlaps(span(12, 13), span(9, 18))


def test_back_to_back_appointments_do_not_overlap():
    assert not overlaps(span(9, 10), span(10, 11))
    assert not overlaps(span(10, 11), span(9, 10))


def test_an_empty_interval_overlaps_nothing():
    assert not overlaps(span(10, 10), span(9, 11))
    assert not overlaps(span(9, 11), span(10, 10))
    assert not overlaps(span(11, 10), span(9, 12))


def test_overlap_compares_instants_not_wall_clocks():
    # 09:00–10:00 on an Urumqi clock is 11:00–12:00 on a Shanghai one.
    urumqi_morning = (MONDAY.replace(hour=9, tzinfo=URUMQI), MONDAY.replace(hour=10, tzinfo=URUMQI))
    assert not overlaps(urumqi_morning, span(9, 10))
    assert overlaps(urumqi_morning, span(11, 12))


# --- total_seconds -----------------------------------------------------------------------------


def test_a_days_hours_are_counted_once_even_where_shifts_overlap():
    assert total_seconds([span(9, 12), span(13, 18)]) == 8 * 3600
    assert total_seconds([span(9, 12), span(11, 13)]) == 4 * 3600


def test_no_time_counts_as_zero_seconds():
    assert total_seconds([]) == 0
    assert total_seconds([span(10, 10), span(11, 10)]) == 0


# --- clip --------------------------------------------------------------------------------------


def test_clip_keeps_only_what_falls_inside_the_window():
    busy = [span(8, 10), span(11, 12), span(17, 19), span(20, 21)]
    assert clip(busy, span(9, 18)) == [span(9, 10), span(11, 12), span(17, 18)]


def test_clip_drops_what_only_touches_the_window():
    assert clip([span(8, 9), span(18, 19)], span(9, 18)) == []


def test_clip_to_an_empty_window_is_nothing():
    assert clip([span(8, 19)], span(12, 12)) == []
    assert clip([span(8, 19)], span(13, 12)) == []


# --- properties --------------------------------------------------------------------------------

# Intervals on one day on the quarter-hour grid the clinics book on, empty and backwards ones
# among them, each end written in Shanghai, UTC or Urumqi time for the same instant.
QUARTER = timedelta(minutes=15)
quarters = st.integers(min_value=0, max_value=24 * 4)
zones = st.sampled_from([SHANGHAI, UTC, URUMQI])
moments = st.builds(lambda q, zone: (MONDAY + q * QUARTER).astimezone(zone), quarters, zones)
intervals = st.tuples(moments, moments)
interval_lists = st.lists(intervals, max_size=6)
# Small inputs find the edge cases quickly; fewer examples keep the file well under a second.
quick = settings(max_examples=50, deadline=None)


def covered(items) -> set[int]:
    """The quarter-hours an interval list covers: a plain model to check against."""
    return {
        quarter
        for start, end in items
        for quarter in range((start - MONDAY) // QUARTER, (end - MONDAY) // QUARTER)
    }


def sorted_and_disjoint(result) -> bool:
    return all(start < end for start, end in result) and all(
        earlier[1] < later[0] for earlier, later in pairwise(result)
    )


@quick
@given(interval_lists)
def test_merge_is_sorted_disjoint_and_covers_exactly_the_input(items):
    result = merge(items)
    assert sorted_and_disjoint(result)
    assert covered(result) == covered(items)
    assert merge(result) == result


@quick
@given(interval_lists, interval_lists)
def test_subtract_leaves_exactly_what_was_not_removed(items, removed):
    result = subtract(items, removed)
    assert sorted_and_disjoint(result)
    assert covered(result) == covered(items) - covered(removed)


@quick
@given(interval_lists, interval_lists)
def test_subtracting_then_adding_back_covers_the_original(items, removed):
    restored = merge(subtract(items, removed) + removed)
    assert covered(restored) == covered(items) | covered(removed)
    assert covered(items) <= covered(restored)


@quick
@given(interval_lists, interval_lists)
def test_what_is_left_never_overlaps_what_was_removed(items, removed):
    for left in subtract(items, removed):
        assert not any(overlaps(left, cut) for cut in removed)


@quick
@given(intervals, intervals)
def test_overlap_means_a_shared_minute(a, b):
    assert overlaps(a, b) == overlaps(b, a) == bool(covered([a]) & covered([b]))


@quick
@given(interval_lists, intervals)
def test_clip_is_the_part_inside_the_window(items, window):
    result = clip(items, window)
    assert sorted_and_disjoint(result)
    assert covered(result) == covered(items) & covered([window])
    assert total_seconds(result) == QUARTER.total_seconds() * len(covered(result))
