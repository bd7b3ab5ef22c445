"""Which planned activities to remind the rep of, and when: pure, in the rep's local time.

The rules (README, "Reminders"):

- a planned activity is reminded of once its due time is ``lead`` minutes away or closer;
- only within the rep's working hours (``WorkingTime``): no notification at 22:00 or on Sunday;
  an activity due before work starts is reminded of when work starts, that same day;
- an activity already past due is still reminded of the same day (the laptop was closed at its
  time), never a day later: older ones are the Today page's overdue list, not a flood of
  notifications when kpidesk opens;
- never twice for the same activity at the same due time: a moved activity (another due time)
  is reminded of again, at its new time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kpidesk.domain.checks import Problem
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.next_step import WorkingTime

DEFAULT_LEAD_MINUTES = 15
MAX_LEAD_MINUTES = 240  # four hours: beyond that a reminder is a to-do list, the Today page's job
KEEP_SHOWN_DAYS = 3  # what was shown is remembered this long after the activity's due time


@dataclass(frozen=True)
class ReminderSettings:
    enabled: bool = True
    lead_minutes: int = DEFAULT_LEAD_MINUTES

    @property
    def lead(self) -> timedelta:
        return timedelta(minutes=self.lead_minutes)


@dataclass(frozen=True)
class Planned:
    """A planned activity as the reminder needs it (``due_at`` aware, any zone)."""

    id: str
    due_at: datetime
    kind: str = ""
    account_name: str = ""


def shown_key(planned: Planned) -> str:
    """What is remembered once a reminder is shown: the activity *and* its due time."""
    return f"{planned.id}@{planned.due_at.timestamp():.0f}"


def window(now_local: datetime, settings: ReminderSettings) -> tuple[datetime, datetime]:
    """The due times [start, end] worth reminding of at ``now_local``: from the start of the
    local day to ``lead`` ahead."""
    start = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, now_local + settings.lead


def due_reminders(
    planned: Iterable[Planned],
    now_local: datetime,
    settings: ReminderSettings,
    working: WorkingTime,
    shown: Iterable[str] = (),
) -> list[Planned]:
    """The activities to remind of now, earliest due first (empty outside working hours)."""
    if not settings.enabled or not working.is_working_time(now_local):
        return []
    start, end = window(now_local, settings)
    already = set(shown)
    due = [
        p
        for p in planned
        if start <= p.due_at.astimezone(now_local.tzinfo) <= end and shown_key(p) not in already
    ]
    return sorted(due, key=lambda p: (p.due_at, p.id))


def still_worth_keeping(key: str, now: datetime) -> bool:
    """A remembered key whose due time is recent: older ones can no longer fire (see
    ``window``), so forgetting them keeps the setting small."""
    try:
        stamp = float(key.rpartition("@")[2])
    except ValueError:
        return False
    return stamp >= (now - timedelta(days=KEEP_SHOWN_DAYS)).timestamp()


def check_reminder_settings(settings: ReminderSettings) -> list[Problem]:
    if 1 <= settings.lead_minutes <= MAX_LEAD_MINUTES:
        return []
    return [
        Problem(
            "lead_minutes",
            Message(
                N_("A reminder comes 1 to {most} minutes before the activity."),
                {"most": MAX_LEAD_MINUTES},
            ),
        )
    ]
