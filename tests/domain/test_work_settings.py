"""The working week and follow-up habit read from stored settings: defaults for what is
missing or unusable, and the checks a save must pass."""

from __future__ import annotations

from datetime import time

from kpidesk.domain.kpis.settings import KpiSettings, check_kpi_settings
from kpidesk.domain.next_step import WorkingTime
from kpidesk.domain.work import check_work_settings, work_settings_values
from kpidesk.services.work_settings import working_time_from


def test_checks_name_the_field_in_error():
    assert check_work_settings(WorkingTime()) == []
    assert [p.field for p in check_work_settings(WorkingTime(delay_days=0))] == ["delay_days"]
    # 18:00 is the end of an 8-18 day: a follow-up at 18:00 is outside it, at 17:59 inside.
    assert [p.field for p in check_work_settings(WorkingTime(hour=time(18)))] == ["hour"]
    assert [p.field for p in check_work_settings(WorkingTime(hour=time(7, 59)))] == ["hour"]
    assert check_work_settings(WorkingTime(hour=time(17, 59))) == []
    assert [p.field for p in check_work_settings(WorkingTime(days=frozenset()))] == ["days"]
    crossed = WorkingTime(start_hour=18, end_hour=9)
    assert [p.field for p in check_work_settings(crossed)] == ["end_hour"]


def test_the_stored_form_is_what_the_scheduling_reads_back():
    working = WorkingTime(3, time(14, 15), frozenset({6, 1, 2}), 7, 16)
    stored = work_settings_values(working)
    assert stored == {
        "follow_up.delay_days": 3,
        "follow_up.hour": "14:15",
        "work.days": [1, 2, 6],
        "work.start_hour": 7,
        "work.end_hour": 16,
    }
    assert working_time_from(stored) == working


def test_kpi_settings_checks():
    assert check_kpi_settings(KpiSettings()) == []
    assert [p.field for p in check_kpi_settings(KpiSettings(probability_hot=1.2))] == [
        "probability_hot"
    ]
    assert [p.field for p in check_kpi_settings(KpiSettings(stale_after_days=0))] == [
        "stale_after_days"
    ]
    assert [p.field for p in check_kpi_settings(KpiSettings(currency="E1R"))] == ["currency"]
    # Equal chances are allowed; a cold account above a warm one is not.
    assert check_kpi_settings(KpiSettings(probability_warm=0.6)) == []
    assert [p.field for p in check_kpi_settings(KpiSettings(probability_cold=0.5))] == [
        "probability_warm"
    ]
