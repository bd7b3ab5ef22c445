"""When the next step falls by default: the rep's delay, at a working hour, on a working day.

Pure: the caller reads the settings (``kpidesk.services.work_settings``) and passes local times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta


@dataclass(frozen=True)
class WorkingTime:
    """The rep's follow-up habit and working week (ISO weekdays: Monday 1 ... Sunday 7)."""

    delay_days: int = 7
    hour: time = time(9, 30)
    days: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    start_hour: int = 8
    end_hour: int = 18

    def is_working_day(self, day: datetime) -> bool:
        return day.isoweekday() in self.days

    def is_working_time(self, moment: datetime) -> bool:
        """On a working day, from the start hour (included) to the end hour (excluded)."""
        start = time(self.start_hour)
        return (
            self.is_working_day(moment) and start <= moment.time() and (moment.hour < self.end_hour)
        )

    def clamped_hour(self) -> time:
        """The follow-up hour, moved inside working hours when the setting falls outside."""
        if self.hour < time(self.start_hour):
            return time(self.start_hour)
        if self.hour.hour >= self.end_hour:
            return time(max(self.start_hour, self.end_hour - 1))
        return self.hour


def default_next_step(done_local: datetime, working: WorkingTime) -> datetime:
    """``delay_days`` after ``done_local`` (an aware local datetime), at the follow-up hour,
    moved forward to the next working day when it falls on a day off. Local, aware."""
    day = done_local + timedelta(days=working.delay_days)
    if working.days:  # no working day at all: the delay alone
        while not working.is_working_day(day):
            day += timedelta(days=1)
    hour = working.clamped_hour()
    return day.replace(hour=hour.hour, minute=hour.minute, second=0, microsecond=0)


def lacks_next_step(
    open_offers: int, hot_prospect: bool, planned_due: list[datetime], now: datetime
) -> bool:
    """An open offer or a hot prospect with nothing planned from ``now`` on (KPIS.md's
    ``next_step_planned`` counts the same thing over the pipeline)."""
    if not open_offers and not hot_prospect:
        return False
    return not any(due >= now for due in planned_due)
