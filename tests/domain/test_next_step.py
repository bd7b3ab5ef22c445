"""The next step's default day and time, and the flag for an open offer with none planned."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from kpidesk.domain.next_step import WorkingTime, default_next_step, lacks_next_step

PARIS = ZoneInfo("Europe/Paris")


def test_a_visit_logged_at_19_46_is_followed_up_7_days_later_in_the_morning():
    # Wednesday 2 December 2026, 19:46 in Paris: Wednesday 9 December at 09:30, not at 19:46.
    due = default_next_step(datetime(2026, 12, 2, 19, 46, tzinfo=PARIS), WorkingTime())
    assert due == datetime(2026, 12, 9, 9, 30, tzinfo=PARIS)


def test_a_step_falling_on_the_weekend_moves_to_monday():
    friday = datetime(2026, 12, 4, 16, 45, tzinfo=PARIS)
    assert default_next_step(friday, WorkingTime(delay_days=1)) == datetime(
        2026, 12, 7, 9, 30, tzinfo=PARIS
    )  # Saturday 5 -> Monday 7
    assert default_next_step(friday, WorkingTime(delay_days=2)).day == 7  # Sunday 6 -> Monday


def test_working_days_and_hours_are_the_reps():
    # Works Tuesday to Saturday, 10:00 to 16:00, asks for 07:00: Saturday at 10:00.
    working = WorkingTime(
        delay_days=1, hour=time(7, 0), days=frozenset({2, 3, 4, 5, 6}), start_hour=10, end_hour=16
    )
    friday = datetime(2026, 12, 4, 12, 0, tzinfo=PARIS)
    assert default_next_step(friday, working) == datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
    # An hour after the end of the day: the last working hour.
    late = WorkingTime(hour=time(19, 0), end_hour=18)
    assert default_next_step(friday, late).time() == time(17, 0)


def test_working_time_says_what_is_outside_it():
    working = WorkingTime()
    assert working.is_working_time(datetime(2026, 12, 7, 8, 0, tzinfo=PARIS))  # Monday 08:00
    assert not working.is_working_time(datetime(2026, 12, 7, 18, 0, tzinfo=PARIS))  # 18:00
    assert not working.is_working_time(datetime(2026, 12, 5, 10, 0, tzinfo=PARIS))  # Saturday


def test_an_open_offer_or_hot_prospect_without_a_future_step_lacks_one():
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    past, future = now - timedelta(hours=1), now + timedelta(days=1)
    assert lacks_next_step(1, False, [], now)
    assert lacks_next_step(0, True, [past], now)  # an overdue step is no next step
    assert not lacks_next_step(1, True, [past, future], now)
    assert not lacks_next_step(0, False, [], now)  # nothing open: nothing to flag
