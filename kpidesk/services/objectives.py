"""Objectives: a target per indicator and kind of period (month, quarter, year).

Objective rows are synced records, edited through the RecordService rules (checks, outbox).
There is one objective per (indicator, period kind): :meth:`ObjectiveService.set_target` creates
or changes it, and creating a second one is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kpidesk.domain.changes import Written
from kpidesk.domain.checks import Problem, check_objective
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.kpis.catalogue import KPI_KEYS, KPIS
from kpidesk.domain.kpis.definition import KpiUnit
from kpidesk.domain.kpis.objectives import check_objective_period_kind
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.records import RecordService
from kpidesk.services.rows import ObjectiveRow
from kpidesk.store import queries
from kpidesk.store.changes import ChangeSet, changes
from kpidesk.store.kpi_queries import list_objectives


def check_objective_values(values: Mapping[str, Any]) -> list[Problem]:
    problems = check_objective(values, KPI_KEYS) + check_objective_period_kind(values)
    kpi = KPIS.get(values.get("kpi_key") or "")
    target = values.get("target")
    if kpi is not None and kpi.unit is KpiUnit.RATE and target is not None and target > 1:
        problems.append(
            Problem(
                "target",
                Message(
                    N_("A rate target is a fraction from 0 to 1 (40 % is 0.4)."),
                ),
            )
        )
    return problems


class ObjectiveService(RecordService):
    table = "objective"
    check = staticmethod(check_objective_values)

    def list(self, period_kind: PeriodKind | None = None) -> list[ObjectiveRow]:
        """The rep's objectives (one per indicator and period kind)."""
        with self._db.read() as conn:
            return list_objectives(conn, period_kind)

    def find(self, kpi_key: str, period_kind: PeriodKind) -> ObjectiveRow | None:
        with self._db.read() as conn:
            return _find(conn, kpi_key, period_kind)

    def set_target(self, kpi_key: str, period_kind: PeriodKind, target: float) -> Written:
        """Create the objective for (``kpi_key``, ``period_kind``) or change its target."""
        with changes(self._db) as change_set:
            existing = _find(change_set.conn, kpi_key, PeriodKind(period_kind))
            if existing is None:
                values = {"kpi_key": kpi_key, "period_kind": period_kind, "target": target}
                row_id = self.create_in(change_set, values)
            else:
                row_id = existing.id
                self.update_in(change_set, existing.id, {"target": target})
        return Written(change_set.changed(), row_id)

    def clear(self, kpi_key: str, period_kind: PeriodKind) -> Written:
        """Delete the objective for (``kpi_key``, ``period_kind``); falsy if there was none."""
        with changes(self._db) as change_set:
            existing = _find(change_set.conn, kpi_key, PeriodKind(period_kind))
            if existing is not None:
                change_set.delete(self.table, existing.id)
        return Written(change_set.changed(), existing.id if existing else None)

    def create_in(self, change_set: ChangeSet, values: Mapping[str, Any]) -> str:
        self._refuse(self.check(values))
        self._refuse_duplicate(change_set, values, None)
        return super().create_in(change_set, values)

    def update_in(self, change_set: ChangeSet, row_id: str, values: Mapping[str, Any]) -> set[str]:
        if "kpi_key" in values or "period_kind" in values:
            current = queries.get_row(change_set.conn, self.table, row_id)
            merged = {**(current or {}), **values}
            if current is not None and not self.check(merged):
                self._refuse_duplicate(change_set, merged, row_id)
        return super().update_in(change_set, row_id, values)

    @staticmethod
    def _refuse_duplicate(
        change_set: ChangeSet, values: Mapping[str, Any], row_id: str | None
    ) -> None:
        kind = PeriodKind(values.get("period_kind") or PeriodKind.MONTH)
        existing = _find(change_set.conn, values["kpi_key"], kind)
        if existing is not None and existing.id != row_id:
            raise InvalidInputError(
                [
                    Problem(
                        "kpi_key",
                        Message(
                            N_(
                                "This indicator already has an objective for this period kind.",
                            ),
                        ),
                    )
                ]
            )


def _find(conn, kpi_key: str, period_kind: PeriodKind) -> ObjectiveRow | None:
    for row in list_objectives(conn, period_kind):
        if row.kpi_key == kpi_key:
            return row
    return None
