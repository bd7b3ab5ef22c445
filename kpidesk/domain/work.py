"""The rep's working week and follow-up habit: when a next step may be planned.

Stored in the local ``setting`` table (JSON values, never synced) under these keys, which the
next-step scheduling reads:

``follow_up.delay_days``  days from a log to its follow-up (int, 1-365; default 7)
``follow_up.hour``        the hour a follow-up is planned at (int, within working hours; 10)
``work.days``             working days as ISO weekdays, Monday = 1 (list of ints; [1..5])
``work.start_hour``       the first working hour (int, 0-23; 9)
``work.end_hour``         the hour work ends, after the start (int, 1-24; 18)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kpidesk.domain.checks import Problem
from kpidesk.domain.i18n import N_, Message

FOLLOW_UP_DELAY_DAYS = "follow_up.delay_days"
FOLLOW_UP_HOUR = "follow_up.hour"
WORK_DAYS = "work.days"
WORK_START_HOUR = "work.start_hour"
WORK_END_HOUR = "work.end_hour"
KEYS = (FOLLOW_UP_DELAY_DAYS, FOLLOW_UP_HOUR, WORK_DAYS, WORK_START_HOUR, WORK_END_HOUR)
PREFIXES = ("follow_up.", "work.")
MAX_DELAY_DAYS = 365


@dataclass(frozen=True, slots=True)
class WorkSettings:
    follow_up_delay_days: int = 7
    follow_up_hour: int = 10
    work_days: tuple[int, ...] = (1, 2, 3, 4, 5)  # ISO weekdays, Monday = 1
    work_start_hour: int = 9
    work_end_hour: int = 18

    def works_on(self, day: date) -> bool:
        return day.isoweekday() in self.work_days

    @classmethod
    def from_settings(cls, stored: Mapping[str, Any]) -> WorkSettings:
        """Read the stored keys; a missing or unusable value keeps its default, and a
        combination that does not hold together (hours crossed) is the defaults."""
        default = cls()
        days = stored.get(WORK_DAYS)
        read = cls(
            follow_up_delay_days=_int(
                stored.get(FOLLOW_UP_DELAY_DAYS), default.follow_up_delay_days
            ),
            follow_up_hour=_int(stored.get(FOLLOW_UP_HOUR), default.follow_up_hour),
            work_days=(
                tuple(sorted(set(days)))
                if isinstance(days, list) and all(_is_int(d) for d in days)
                else default.work_days
            ),
            work_start_hour=_int(stored.get(WORK_START_HOUR), default.work_start_hour),
            work_end_hour=_int(stored.get(WORK_END_HOUR), default.work_end_hour),
        )
        return default if check_work_settings(read) else read

    def to_settings(self) -> dict[str, Any]:
        return {
            FOLLOW_UP_DELAY_DAYS: self.follow_up_delay_days,
            FOLLOW_UP_HOUR: self.follow_up_hour,
            WORK_DAYS: list(self.work_days),
            WORK_START_HOUR: self.work_start_hour,
            WORK_END_HOUR: self.work_end_hour,
        }


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _int(value: Any, default: int) -> int:
    return value if _is_int(value) else default


def check_work_settings(settings: WorkSettings) -> list[Problem]:
    """What does not hold: each problem names its field (the settings' attribute)."""
    problems = []
    if not 1 <= settings.follow_up_delay_days <= MAX_DELAY_DAYS:
        problems.append(
            Problem(
                "follow_up_delay_days",
                Message(
                    N_("A follow-up comes 1 to {most} days after the log."),
                    {"most": MAX_DELAY_DAYS},
                ),
            )
        )
    if not settings.work_days or not all(1 <= d <= 7 for d in settings.work_days):
        problems.append(Problem("work_days", Message(N_("Choose at least one working day."))))
    start, end = settings.work_start_hour, settings.work_end_hour
    if not (0 <= start < end <= 24):
        problems.append(
            Problem("work_end_hour", Message(N_("Work must end after it starts, by midnight.")))
        )
    elif not start <= settings.follow_up_hour < end:
        problems.append(
            Problem(
                "follow_up_hour",
                Message(
                    N_("Plan follow-ups within working hours: from {start}:00 to {last}:00."),
                    {"start": start, "last": end - 1},
                ),
            )
        )
    return problems
