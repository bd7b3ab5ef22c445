"""Objectives: one per indicator and period kind, synced like every record, checked on entry."""

import pytest

from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.objectives import ObjectiveService


def _outbox(db):
    with db.read() as conn:
        return conn.exec_driver_sql("SELECT table_name, row_id, fields FROM outbox").fetchall()


def test_set_a_target_then_change_it_then_clear_it(db):
    objectives = ObjectiveService(db)
    first = objectives.set_target("visits", PeriodKind.MONTH, 60).id
    assert objectives.set_target("visits", PeriodKind.MONTH, 70).id == first  # the same objective
    (row,) = objectives.list()
    assert (row.kpi_key, row.period_kind, row.target) == ("visits", PeriodKind.MONTH, 70)
    assert objectives.find("visits", PeriodKind.MONTH).id == first
    assert objectives.find("visits", PeriodKind.YEAR) is None
    # Each change is a synced mutation of the objective row.
    assert [(t, r) for t, r, _ in _outbox(db)] == [("objective", first)] * 2
    assert objectives.clear("visits", PeriodKind.MONTH)
    assert not objectives.clear("visits", PeriodKind.MONTH)
    assert objectives.list() == []
    assert len(_outbox(db)) == 3


def test_one_objective_per_key_and_kind(db):
    objectives = ObjectiveService(db)
    objectives.create({"kpi_key": "revenue", "period_kind": PeriodKind.QUARTER, "target": 1e7})
    yearly = objectives.create({"kpi_key": "revenue", "period_kind": "year", "target": 4e7}).id
    with pytest.raises(InvalidInputError) as err:
        objectives.create({"kpi_key": "revenue", "period_kind": "quarter", "target": 2e7})
    assert err.value.for_field("kpi_key")
    with pytest.raises(InvalidInputError):
        objectives.update(yearly, {"period_kind": PeriodKind.QUARTER})
    objectives.update(yearly, {"target": 5e7})
    assert objectives.find("revenue", PeriodKind.YEAR).target == 5e7


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"kpi_key": "happiness", "period_kind": "month", "target": 1}, "kpi_key"),
        ({"kpi_key": "visits", "period_kind": "week", "target": 10}, "period_kind"),
        ({"kpi_key": "visits", "period_kind": "month", "target": -1}, "target"),
        # 40 typed for 40 %: a rate target is a fraction.
        ({"kpi_key": "conversion", "period_kind": "month", "target": 40}, "target"),
    ],
)
def test_refused_objectives_save_nothing(db, values, field):
    with pytest.raises(InvalidInputError) as err:
        ObjectiveService(db).create(values)
    assert err.value.for_field(field)
    assert ObjectiveService(db).list() == [] and _outbox(db) == []


def test_a_ratio_target_may_exceed_one(db):
    ObjectiveService(db).set_target("visit_to_offer", PeriodKind.MONTH, 1.5)
    assert ObjectiveService(db).find("visit_to_offer", PeriodKind.MONTH).target == 1.5
