"""Today's suggestions, minus what the rep dismissed or snoozed (stored locally, never synced)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kpidesk.domain.changes import Changes, Kind
from kpidesk.domain.kpis import definition, objective_progress
from kpidesk.domain.suggestions import (
    ConversionComparison,
    MonthlyObjective,
    Suggestion,
    SuggestionSettings,
    said_once,
    suggest,
)
from kpidesk.domain.timeutil import require_aware, utc_now
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.kpis import KpiService
from kpidesk.services.objectives import ObjectiveService
from kpidesk.store.database import Connection, Database
from kpidesk.store.settings import read_setting, write_setting
from kpidesk.store.suggestion_choices import clear_choices, read_choices, save_choice
from kpidesk.store.suggestion_facts import read_facts

SETTINGS_KEY = "suggestions"


class Snooze(StrEnum):
    DAY = "day"
    WEEK = "week"
    UNTIL_CHANGED = "until_changed"  # until something changes on the record concerned


def load_settings(conn: Connection) -> SuggestionSettings:
    stored = read_setting(conn, SETTINGS_KEY)
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
            choices = read_choices(conn)
        if self._kpis is not None:
            facts = dataclasses.replace(facts, **self._indicator_facts(self._kpis, now))
        return said_once([s for s in suggest(facts, settings) if _visible(s, choices, now)])

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

    def dismiss(self, suggestion: Suggestion) -> Changes:
        return self._choose(suggestion, "dismissed", None, None)

    def snooze(self, suggestion: Suggestion, how: Snooze, now: datetime | None = None) -> Changes:
        now = require_aware(now) if now else utc_now()
        if how is Snooze.UNTIL_CHANGED:
            return self._choose(suggestion, "snoozed", None, suggestion.fingerprint)
        days = 1 if how is Snooze.DAY else 7
        return self._choose(suggestion, "snoozed", now + timedelta(days=days), None)

    def restore_all(self) -> Changes:
        """Show every dismissed or snoozed suggestion again."""
        with self._db.write() as conn:
            restored = clear_choices(conn)
        return Changes.of([Kind.SUGGESTION]) if restored else Changes()

    def save_settings(self, settings: SuggestionSettings) -> Changes:
        with self._db.write() as conn:
            write_setting(conn, SETTINGS_KEY, dataclasses.asdict(settings))
        return Changes.of([Kind.SETTING])

    def _choose(
        self, suggestion: Suggestion, choice: str, until: datetime | None, fingerprint: str | None
    ) -> Changes:
        with self._db.write() as conn:
            save_choice(conn, suggestion.rule, suggestion.subject_key, choice, until, fingerprint)
        return Changes.of([Kind.SUGGESTION])


def _visible(suggestion: Suggestion, choices: dict[tuple[str, str], Any], now: datetime) -> bool:
    choice = choices.get((suggestion.rule, suggestion.subject_key))
    if choice is None:
        return True
    if choice.choice == "dismissed":
        return False
    if choice.until is not None:
        return now >= choice.until
    return choice.fingerprint != suggestion.fingerprint
