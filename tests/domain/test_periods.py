"""Periods: whole local days, exact across daylight saving, compared with the right neighbours."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.periods import (
    InvalidPeriodError,
    Period,
    local_midnight,
    one_year_before,
    period_containing,
    working_days_between,
)
from kpidesk.domain.timeutil import NaiveDatetimeError
from kpidesk.domain.vocabulary import PeriodKind

PARIS = ZoneInfo("Europe/Paris")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_a_month_with_the_spring_change_is_one_hour_short():
    march = period_containing("month", date(2026, 3, 10), PARIS)
    assert (march.first_day, march.end_day) == (date(2026, 3, 1), date(2026, 4, 1))
    assert march.start == utc(2026, 2, 28, 23)  # 00:00 CET = UTC+1
    assert march.end == utc(2026, 3, 31, 22)  # 00:00 CEST = UTC+2
    assert march.end - march.start == timedelta(hours=31 * 24 - 1)
    assert march.days == 31


def test_a_month_with_the_autumn_change_is_one_hour_long():
    october = period_containing("month", date(2026, 10, 10), PARIS)
    assert october.end - october.start == timedelta(hours=31 * 24 + 1)


def test_an_instant_belongs_to_the_local_day_not_the_utc_day():
    # 1 March 00:30 in Paris is 28 February 23:30 in UTC: March for the rep.
    early = utc(2026, 2, 28, 23, 30)
    assert period_containing("month", early, PARIS).first_day == date(2026, 3, 1)
    # 31 March 23:30 in Los Angeles is 1 April 06:30 in UTC: still March there.
    la = ZoneInfo("America/Los_Angeles")
    late = datetime(2026, 3, 31, 23, 30, tzinfo=la)
    march_la = period_containing("month", late, la)
    assert march_la.first_day == date(2026, 3, 1)
    assert march_la.contains(late)
    assert not period_containing("month", date(2026, 3, 1), PARIS).contains(late)


def test_bounds_are_half_open():
    march = period_containing("month", date(2026, 3, 1), PARIS)
    assert march.contains(march.start)
    assert not march.contains(march.end)
    assert march.contains(march.end - timedelta(microseconds=1))


def test_naive_instants_are_refused():
    with pytest.raises(NaiveDatetimeError):
        period_containing("month", datetime(2026, 3, 1, 12), PARIS)


def test_iso_weeks_start_on_monday_and_cross_years():
    week = period_containing("week", date(2026, 1, 1), PARIS)  # a Thursday
    assert (week.first_day, week.end_day) == (date(2025, 12, 29), date(2026, 1, 5))
    assert week.label().english() == "Week 1, 2026"
    assert week.previous().first_day == date(2025, 12, 22)


def test_week_53_compares_with_the_last_week_of_a_52_week_year():
    week_53 = period_containing("week", date(2026, 12, 30), PARIS)
    assert week_53.label().english() == "Week 53, 2026"
    assert week_53.year_ago().label().english() == "Week 52, 2025"
    assert period_containing("week", date(2026, 5, 13), PARIS).year_ago().first_day == date(
        2025, 5, 12
    )  # week 20 of 2025


@pytest.mark.parametrize(
    ("kind", "day", "previous", "year_ago"),
    [
        ("month", date(2026, 1, 20), (date(2025, 12, 1), date(2026, 1, 1)), date(2025, 1, 1)),
        ("quarter", date(2026, 5, 20), (date(2026, 1, 1), date(2026, 4, 1)), date(2025, 4, 1)),
        ("year", date(2026, 5, 20), (date(2025, 1, 1), date(2026, 1, 1)), date(2025, 1, 1)),
    ],
)
def test_calendar_periods_compare_with_calendar_periods(kind, day, previous, year_ago):
    period = period_containing(kind, day, PARIS)
    assert (period.previous().first_day, period.previous().end_day) == previous
    assert period.year_ago().first_day == year_ago
    assert period.year_ago().kind is period.kind


def test_rolling_windows_end_today_and_step_back_by_their_length():
    window = period_containing("last_30_days", date(2026, 3, 31), PARIS)
    assert (window.first_day, window.end_day) == (date(2026, 3, 2), date(2026, 4, 1))
    assert (window.previous().first_day, window.previous().end_day) == (
        date(2026, 1, 31),
        date(2026, 3, 2),
    )
    quarter = period_containing("last_90_days", date(2026, 3, 31), PARIS)
    assert quarter.days == 90 and quarter.previous().days == 90


def test_year_ago_keeps_the_length_across_29_february():
    # 30 days ending 1 March 2024 hold 29 February; a year earlier has none: keep 30 days.
    window = Period.custom(date(2024, 2, 1), date(2024, 3, 2), PARIS)
    earlier = window.year_ago()
    assert earlier.end_day == date(2023, 3, 2)
    assert earlier.days == window.days == 30
    leap_day = period_containing("last_30_days", date(2024, 2, 29), PARIS).year_ago()
    assert leap_day.last_day == date(2023, 2, 28)


def test_custom_periods_need_an_end_after_the_start():
    assert Period.custom(date(2026, 3, 1), date(2026, 3, 2), PARIS).days == 1
    with pytest.raises(InvalidPeriodError):
        Period.custom(date(2026, 3, 2), date(2026, 3, 2), PARIS)
    with pytest.raises(InvalidPeriodError):
        period_containing(PeriodKind.CUSTOM, date(2026, 3, 2), PARIS)


def test_history_lists_the_periods_oldest_first():
    months = period_containing("month", date(2026, 3, 5), PARIS).history(12)
    assert [m.first_day for m in months[:2]] == [date(2025, 4, 1), date(2025, 5, 1)]
    assert months[-1].first_day == date(2026, 3, 1)
    assert len({m.first_day for m in months}) == 12
    with pytest.raises(ValueError, match="at least one"):
        months[-1].history(0)


def test_labels():
    assert str(period_containing("month", date(2026, 3, 5), PARIS)) == "March 2026"
    assert str(period_containing("quarter", date(2026, 11, 5), PARIS)) == "Q4 2026"
    assert str(period_containing("year", date(2026, 11, 5), PARIS)) == "2026"
    label = period_containing("last_30_days", date(2026, 3, 31), PARIS).label()
    assert label.template == "Last 30 days ({first} to {last})"  # the catalogue's msgid
    assert label.english() == "Last 30 days (2026-03-02 to 2026-03-31)"


def test_a_day_that_starts_after_a_midnight_gap():
    # Santiago moved its clocks from 00:00 to 01:00 on 12 August 2018: that day starts at the
    # end of the gap and lasts 23 hours.
    santiago = ZoneInfo("America/Santiago")
    start = local_midnight(date(2018, 8, 12), santiago)
    assert start.astimezone(santiago).hour == 1
    assert local_midnight(date(2018, 8, 13), santiago) - start == timedelta(hours=23)


def test_one_year_before_is_on_the_local_calendar():
    summer_midnight = local_midnight(date(2026, 4, 1), PARIS)  # 22:00 UTC, summer time
    assert one_year_before(summer_midnight, PARIS) == local_midnight(date(2025, 4, 1), PARIS)
    winter_midnight = local_midnight(date(2026, 3, 1), PARIS)
    assert one_year_before(winter_midnight, PARIS) == utc(2025, 2, 28, 23)
    assert one_year_before(utc(2024, 2, 29, 12), PARIS) == utc(2023, 2, 28, 12)


def test_working_days():
    # March 2026 starts on a Sunday: Mon 2 .. Tue 31 holds 4 full weeks and 2 days.
    assert working_days_between(date(2026, 3, 1), date(2026, 4, 1)) == 4 * 5 + 2
    assert working_days_between(date(2026, 3, 7), date(2026, 3, 9)) == 0  # a weekend
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    march = period_containing("month", date(2026, 3, 1), PARIS)
    assert march.working_days == 22
    # On Wednesday 11 March at 09:00, Mon 2 .. Tue 10 are over (7 days); today is not yet.
    assert march.working_days_elapsed(datetime(2026, 3, 11, 9, tzinfo=PARIS)) == 7
    assert march.working_days_elapsed(utc(2026, 2, 1)) == 0
    assert march.working_days_elapsed(utc(2026, 6, 1)) == 22


@pytest.mark.parametrize(
    ("kind", "day", "following"),
    [
        ("week", date(2025, 12, 30), (date(2026, 1, 5), date(2026, 1, 12))),
        ("month", date(2026, 1, 31), (date(2026, 2, 1), date(2026, 3, 1))),
        ("quarter", date(2026, 11, 2), (date(2027, 1, 1), date(2027, 4, 1))),
        ("year", date(2026, 5, 20), (date(2027, 1, 1), date(2028, 1, 1))),
        ("last_30_days", date(2026, 3, 31), (date(2026, 4, 1), date(2026, 5, 1))),
    ],
)
def test_next_is_the_period_just_after_and_undoes_previous(kind, day, following):
    period = period_containing(kind, day, PARIS)
    assert (period.next().first_day, period.next().end_day) == following
    assert period.next().kind is period.kind
    assert period.next().previous() == period
    assert period.previous().next() == period
