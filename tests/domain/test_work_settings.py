"""The working week and follow-up habit read from stored settings: defaults for what is
missing or unusable, and the checks a save must pass."""

from __future__ import annotations

from kpidesk.domain.kpis.settings import KpiSettings, check_kpi_settings
from kpidesk.domain.work import WorkSettings, check_work_settings


def test_missing_or_unusable_values_keep_their_defaults():
    assert WorkSettings.from_settings({}) == WorkSettings()
    read = WorkSettings.from_settings(
        {"follow_up.delay_days": "3", "follow_up.hour": 11, "work.days": [6, 1, 1, 2]}
    )
    assert read.follow_up_delay_days == 7  # text is not a number of days
    assert read.follow_up_hour == 11
    assert read.work_days == (1, 2, 6)
    # Hours that cross (stored by hand) do not hold together: all defaults.
    crossed = {"work.start_hour": 18, "work.end_hour": 9, "follow_up.hour": 12}
    assert WorkSettings.from_settings(crossed) == WorkSettings()


def test_checks_name_the_field_in_error():
    assert check_work_settings(WorkSettings()) == []
    fields = [p.field for p in check_work_settings(WorkSettings(follow_up_delay_days=0))]
    assert fields == ["follow_up_delay_days"]
    # 18:00 is the end of a 9-18 day: a follow-up at 18 is outside it, at 17 inside.
    assert [p.field for p in check_work_settings(WorkSettings(follow_up_hour=18))] == [
        "follow_up_hour"
    ]
    assert check_work_settings(WorkSettings(follow_up_hour=17)) == []
    assert [p.field for p in check_work_settings(WorkSettings(work_days=()))] == ["work_days"]


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
