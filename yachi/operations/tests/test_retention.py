"""Which archives the nightly job keeps: the newest of each of the last 7 days, 4 weeks
and 12 months by default."""

from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from yachi.operations.backups import retention

SHANGHAI = ZoneInfo("Asia/Shanghai")
at = partial(datetime, tzinfo=SHANGHAI)


def nightly(days: int, *, last=None) -> list[datetime]:
    last = last or at(2026, 12, 1, 2, 30)
    return [last - timedelta(days=n) for n in range(days)]


def test_a_year_of_nights_keeps_seven_days_four_weeks_and_twelve_months():
    moments = nightly(400)
    kept = retention.kept(moments, daily=7, weekly=4, monthly=12)
    days = {moment.date() for moment in kept}
    assert {at(2026, 12, 1).date() - timedelta(days=n) for n in range(7)} <= days
    # Sundays end ISO weeks: the newest of each of the last four weeks.
    assert at(2026, 11, 22, 2, 30) in kept and at(2026, 11, 15, 2, 30) in kept
    # The newest of each month: December 2026 (today's) back to January 2026.
    assert at(2026, 10, 31, 2, 30) in kept and at(2026, 1, 31, 2, 30) in kept
    assert at(2025, 12, 31, 2, 30) not in kept
    assert len(kept) < 7 + 4 + 12


def test_several_backups_in_a_day_keep_only_the_newest_of_it_once_the_day_is_past():
    moments = [at(2026, 11, 30, hour) for hour in (2, 9, 15)] + [at(2026, 12, 1, 2)]
    kept = retention.kept(moments, daily=7, weekly=0, monthly=0)
    assert kept == {at(2026, 11, 30, 15), at(2026, 12, 1, 2)}


def test_the_newest_backup_is_always_kept():
    moments = nightly(3)
    assert retention.kept(moments, daily=0, weekly=0, monthly=0) == {moments[0]}


def test_archive_names_give_their_time_and_other_files_none():
    assert retention.made_at("yachi-backup-20261201-023000.ybk", SHANGHAI) == at(2026, 12, 1, 2, 30)
    assert retention.made_at("yachi-backup-20261301-023000.ybk", SHANGHAI) is None
    assert retention.made_at("notes.txt", SHANGHAI) is None
