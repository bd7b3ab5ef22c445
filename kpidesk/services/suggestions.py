"""Today's suggestions, minus what the rep dismissed or snoozed (stored locally, never synced)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.kpis import definition, objective_progress
from kpidesk.domain.suggestions import (
    ConversionComparison,
    MonthlyObjective,
    Suggestion,
    SuggestionSettings,
    suggest,
)
from kpidesk.domain.timeutil import require_aware, utc_now
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.kpis import KpiService
from kpidesk.services.objectives import ObjectiveService
from kpidesk.store.database import Database
from kpidesk.store.suggestion_facts import read_facts
from kpidesk.store.tables import setting, suggestion_choice

SETTINGS_KEY = "suggestions"


class Snooze(StrEnum):
    DAY = "day"
    WEEK = "week"
    UNTIL_CHANGED = "until_changed"  # until something changes on the record concerned


def load_settings(conn: sa.Connection) -> SuggestionSettings:
    stored = conn.execute(sa.select(setting.c.value).where(setting.c.key == SETTINGS_KEY)).scalar()
    if not isinstance(stored, dict):
        return SuggestionSettings()
    known = {f.name for f in dataclasses.fields(SuggestionSettings)}
    values = {k: int(v) for k, v in stored.items() if k in known and isinstance(v, int) and v > 0}
    return SuggestionSettings(**values)


class SuggestionService:
    """``kpis`` feeds the two rules that read indicators (objective pace, conversion drop);
    without it those two rules stay silent."""

    def __init__(self, db: Database, kpis: KpiService | None = None) -> None:
        self._db = db
        self._kpis = kpis

    def today(self, now: datetime | None = None) -> list[Suggestion]:
        now = require_aware(now) if now else utc_now()
        with self._db.read() as conn:
            settings = load_settings(conn)
            facts = read_facts(conn, now, settings)
            choices = {
                (r.rule_key, r.subject_key): r for r in conn.execute(sa.select(suggestion_choice))
            }
        if self._kpis is not None:
            facts = dataclasses.replace(facts, **self._indicator_facts(self._kpis, now))
        return [s for s in suggest(facts, settings) if _visible(s, choices, now)]

    def _indicator_facts(self, kpis: KpiService, now: datetime) -> dict[str, Any]:
        month = kpis.period(PeriodKind.MONTH, now)
        objectives = ObjectiveService(self._db).list(PeriodKind.MONTH)
        currency = kpis.settings().currency
        monthly = []
        if objectives:
            values = kpis.values(month, [o.kpi_key for o in objectives], with_ids=False)
            for objective in objectives:
                kpi = definition(objective.kpi_key)
                progress = objective_progress(
                    kpi, values[kpi.key].value, objective.target, month, now, objective.id
                )
                monthly.append(MonthlyObjective(kpi, progress, month.label(), currency))
        window = kpis.period(PeriodKind.LAST_90_DAYS, now)
        current = kpis.values(window, ["conversion"], with_ids=False)["conversion"].rate
        before = kpis.values(window.previous(), ["conversion"], with_ids=False)["conversion"].rate
        conversion = ConversionComparison(current, before) if current and before else None
        return {"monthly_objectives": monthly, "conversion": conversion}

    def dismiss(self, suggestion: Suggestion) -> None:
        self._choose(suggestion, "dismissed", None, None)

    def snooze(self, suggestion: Suggestion, how: Snooze, now: datetime | None = None) -> None:
        now = require_aware(now) if now else utc_now()
        if how is Snooze.UNTIL_CHANGED:
            self._choose(suggestion, "snoozed", None, suggestion.fingerprint)
        else:
            days = 1 if how is Snooze.DAY else 7
            self._choose(suggestion, "snoozed", now + timedelta(days=days), None)

    def restore_all(self) -> int:
        """Show every dismissed or snoozed suggestion again."""
        with self._db.write() as conn:
            return conn.execute(sa.delete(suggestion_choice)).rowcount or 0

    def save_settings(self, settings: SuggestionSettings) -> None:
        with self._db.write() as conn:
            conn.execute(
                sa.insert(setting)
                .prefix_with("OR REPLACE")
                .values(key=SETTINGS_KEY, value=dataclasses.asdict(settings))
            )

    def _choose(
        self, suggestion: Suggestion, choice: str, until: datetime | None, fingerprint: str | None
    ) -> None:
        with self._db.write() as conn:
            conn.execute(
                sa.insert(suggestion_choice)
                .prefix_with("OR REPLACE")
                .values(
                    rule_key=suggestion.rule,
                    subject_key=suggestion.subject_key,
                    choice=choice,
                    until=until,
                    fingerprint=fingerprint,
                    chosen_at=utc_now(),
                )
            )


def _visible(suggestion: Suggestion, choices: dict[tuple[str, str], Any], now: datetime) -> bool:
    choice = choices.get((suggestion.rule, suggestion.subject_key))
    if choice is None:
        return True
    if choice.choice == "dismissed":
        return False
    if choice.until is not None:
        return now >= choice.until
    return choice.fingerprint != suggestion.fingerprint
