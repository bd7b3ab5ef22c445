"""What a rep may save as their working week and follow-up habit (``WorkingTime``), and how it is
stored in the local ``setting`` table (JSON values, never synced), under the keys the next-step
scheduling reads (``kpidesk.services.work_settings``):

``follow_up.delay_days``  days from a log to its next step (int, 1-365)
``follow_up.hour``        the time of the next step, "HH:MM", within working hours
``work.days``             working days as ISO weekdays, Monday = 1 (list of ints)
``work.start_hour``       the first working hour (int, 0-23)
``work.end_hour``         the hour work ends, after the start (int, 1-24)
"""

from __future__ import annotations

from datetime import time
from typing import Any

from kpidesk.domain.checks import Problem
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.next_step import WorkingTime

MAX_DELAY_DAYS = 365


def work_settings_values(working: WorkingTime) -> dict[str, Any]:
    """The stored form of ``working``: key -> JSON value."""
    return {
        "follow_up.delay_days": working.delay_days,
        "follow_up.hour": f"{working.hour.hour:02d}:{working.hour.minute:02d}",
        "work.days": sorted(working.days),
        "work.start_hour": working.start_hour,
        "work.end_hour": working.end_hour,
    }


def check_work_settings(working: WorkingTime) -> list[Problem]:
    """What does not hold: each problem names its field (the WorkingTime attribute)."""
    problems = []
    if not 1 <= working.delay_days <= MAX_DELAY_DAYS:
        problems.append(
            Problem(
                "delay_days",
                Message(
                    N_("A follow-up comes 1 to {most} days after the log."),
                    {"most": MAX_DELAY_DAYS},
                ),
            )
        )
    if not working.days or not all(1 <= d <= 7 for d in working.days):
        problems.append(Problem("days", Message(N_("Choose at least one working day."))))
    start, end = working.start_hour, working.end_hour
    if not (0 <= start < end <= 24):
        problems.append(
            Problem("end_hour", Message(N_("Work must end after it starts, by midnight.")))
        )
    elif not (time(start) <= working.hour and working.hour.hour < end):
        problems.append(
            Problem(
                "hour",
                Message(
                    N_("Plan follow-ups within working hours: from {start}:00 to {last}:00."),
                    {"start": start, "last": end - 1},
                ),
            )
        )
    return problems
