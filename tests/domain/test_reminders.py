"""The reminder rules, by hand: due soon, lead time, working hours, weekends, not twice."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kpidesk.domain.next_step import WorkingTime
from kpidesk.domain.reminders import (
    Planned,
    ReminderSettings,
    check_reminder_settings,
    due_reminders,
    shown_key,
    still_worth_keeping,
)

PARIS = ZoneInfo("Europe/Paris")
WEDNESDAY_10 = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)  # 2 December 2026 is a Wednesday
WORK = WorkingTime()  # Monday to Friday, 8:00 to 18:00
LEAD_15 = ReminderSettings(lead_minutes=15)


def at(minutes_from_ten: int, ident: str = "a") -> Planned:
    return Planned(ident, WEDNESDAY_10 + timedelta(minutes=minutes_from_ten))


def ids(found: list[Planned]) -> list[str]:
    return [p.id for p in found]


def test_an_activity_within_the_lead_time_is_due_and_one_beyond_it_is_not():
    planned = [at(10, "in10"), at(15, "in15"), at(16, "in16"), at(120, "in2h")]
    assert ids(due_reminders(planned, WEDNESDAY_10, LEAD_15, WORK)) == ["in10", "in15"]


def test_the_lead_time_is_the_setting():
    planned = [at(10, "in10"), at(16, "in16"), at(59, "in59"), at(61, "in61")]
    hour = ReminderSettings(lead_minutes=60)
    assert ids(due_reminders(planned, WEDNESDAY_10, hour, WORK)) == ["in10", "in16", "in59"]
    five = ReminderSettings(lead_minutes=5)
    assert ids(due_reminders(planned, WEDNESDAY_10, five, WORK)) == []


def test_missed_earlier_today_is_still_reminded_but_not_yesterdays():
    planned = [at(-90, "this_morning"), at(-11 * 60, "yesterday_evening")]
    assert ids(due_reminders(planned, WEDNESDAY_10, LEAD_15, WORK)) == ["this_morning"]


def test_nothing_outside_working_hours_nor_at_the_weekend():
    planned = [Planned("late", datetime(2026, 12, 2, 19, 5, tzinfo=PARIS))]
    evening = datetime(2026, 12, 2, 18, 55, tzinfo=PARIS)  # 18:00 is the end of work
    assert due_reminders(planned, evening, LEAD_15, WORK) == []
    saturday = datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)
    weekend_call = [Planned("sat", saturday + timedelta(minutes=5))]
    assert due_reminders(weekend_call, saturday, LEAD_15, WORK) == []
    # A rep who works on Saturdays is reminded then.
    six_days = WorkingTime(days=frozenset({1, 2, 3, 4, 5, 6}))
    assert ids(due_reminders(weekend_call, saturday, LEAD_15, six_days)) == ["sat"]


def test_an_activity_due_before_work_starts_is_reminded_when_it_starts():
    early = [Planned("seven", datetime(2026, 12, 2, 7, 0, tzinfo=PARIS))]
    assert due_reminders(early, datetime(2026, 12, 2, 7, 55, tzinfo=PARIS), LEAD_15, WORK) == []
    start = datetime(2026, 12, 2, 8, 0, tzinfo=PARIS)
    assert ids(due_reminders(early, start, LEAD_15, WORK)) == ["seven"]


def test_never_twice_for_the_same_activity_but_again_once_it_is_moved():
    planned = [at(5, "call"), at(10, "visit")]
    first = due_reminders(planned, WEDNESDAY_10, LEAD_15, WORK)
    shown = [shown_key(p) for p in first]
    later = WEDNESDAY_10 + timedelta(minutes=2)
    assert due_reminders(planned, later, LEAD_15, WORK, shown) == []
    moved = [at(12, "call"), at(10, "visit")]  # the call moved from 10:05 to 10:12
    assert ids(due_reminders(moved, later, LEAD_15, WORK, shown)) == ["call"]


def test_switched_off_means_none():
    off = ReminderSettings(enabled=False)
    assert due_reminders([at(5)], WEDNESDAY_10, off, WORK) == []


def test_due_times_in_another_zone_are_compared_as_instants():
    utc_call = Planned("utc", datetime(2026, 12, 2, 9, 10, tzinfo=ZoneInfo("UTC")))  # 10:10 Paris
    assert ids(due_reminders([utc_call], WEDNESDAY_10, LEAD_15, WORK)) == ["utc"]


def test_earliest_first():
    planned = [at(14, "b"), at(3, "a"), at(-30, "c")]
    assert ids(due_reminders(planned, WEDNESDAY_10, LEAD_15, WORK)) == ["c", "a", "b"]


def test_old_shown_keys_are_forgotten_after_three_days():
    now = WEDNESDAY_10
    recent = shown_key(Planned("x", now - timedelta(days=2)))
    old = shown_key(Planned("y", now - timedelta(days=4)))
    assert still_worth_keeping(recent, now) and not still_worth_keeping(old, now)
    assert not still_worth_keeping("garbled", now)


def test_the_lead_time_is_checked():
    assert check_reminder_settings(ReminderSettings(lead_minutes=1)) == []
    assert check_reminder_settings(ReminderSettings(lead_minutes=240)) == []
    for wrong in (0, -5, 241):
        (problem,) = check_reminder_settings(ReminderSettings(lead_minutes=wrong))
        assert problem.field == "lead_minutes"
        assert "240" in problem.message.english()
