"""The first start of kpidesk: what the rep chose on the welcome screen, and "start empty".

The choice is kept in the rep's own database (the ``setting`` table, never synced): the
welcome screen shows while that database holds nothing and no choice was made. Trying the
demo is a choice that is not final: the demo lives in its own file beside the rep's
database (:func:`kpidesk.services.demo.demo_path_beside`), kpidesk reopens it at the next
start while the choice stands, and "Back to my data" forgets it, so the empty database of the
rep shows the welcome screen again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from kpidesk.domain.changes import Changes, Kind
from kpidesk.domain.checks import Problem, check_name
from kpidesk.domain.kpis.settings import check_kpi_settings
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.kpis import KpiService
from kpidesk.services.objectives import ObjectiveService, check_objective_values
from kpidesk.store import bulk
from kpidesk.store.changes import changes
from kpidesk.store.database import Database
from kpidesk.store.profile import LOCAL_NAME
from kpidesk.store.settings import read_setting, write_setting, write_settings

CHOICE = "first_run.choice"


class FirstRunChoice(StrEnum):
    DEMO = "demo"  # trying kpidesk on the demo file (not final: see the module's text)
    EMPTY = "empty"  # my name, my currency, my first objectives
    IMPORT = "import"  # my spreadsheet, through the import wizard
    SERVER = "server"  # my team server, in Settings


@dataclass(frozen=True)
class FirstRunState:
    choice: FirstRunChoice | None
    holds_anything: bool  # a record, or a team server signed in to

    @property
    def wants_welcome(self) -> bool:
        """Nothing here and nothing chosen for it yet: the welcome screen, not an empty
        window."""
        return not self.holds_anything and self.choice in (None, FirstRunChoice.DEMO)

    @property
    def in_demo(self) -> bool:
        return self.choice is FirstRunChoice.DEMO and not self.holds_anything


@dataclass(frozen=True)
class FirstObjective:
    kpi_key: str
    period_kind: PeriodKind
    target: float  # in the engine's units (a fraction, cents, a count)


class FirstRunService:
    def __init__(self, db: Database, kpis: KpiService, objectives: ObjectiveService) -> None:
        self._db, self._kpis, self._objectives = db, kpis, objectives

    def state(self) -> FirstRunState:
        with self._db.read() as conn:
            stored = read_setting(conn, CHOICE)
            holds = bulk.holds_anything(conn)
        choice = stored if stored in set(FirstRunChoice) else None
        return FirstRunState(FirstRunChoice(choice) if choice else None, holds)

    def remember(self, choice: FirstRunChoice | None) -> Changes:
        """Keep the rep's choice (None forgets it: the welcome screen shows again)."""
        with self._db.write() as conn:
            write_settings(conn, {CHOICE: choice.value if choice else None})
        return Changes.of([Kind.SETTING])

    def start_empty(
        self, name: str, currency: str, objectives: Sequence[FirstObjective] = ()
    ) -> Changes:
        """The rep's name (on the report), currency and first objectives, in one transaction;
        refused whole with InvalidInputError (nothing saved) when one does not hold."""
        name = name.strip()
        settings = replace(self._kpis.settings(), currency=currency.strip().upper())
        problems: list[Problem] = check_name({"name": name}) + check_kpi_settings(settings)
        values = [
            {"kpi_key": o.kpi_key, "period_kind": o.period_kind, "target": o.target}
            for o in objectives
        ]
        for n, value in enumerate(values):  # the field names which objective is refused
            problems += [replace(p, field=f"objective.{n}") for p in check_objective_values(value)]
        if problems:
            raise InvalidInputError(problems)
        with changes(self._db) as change_set:
            write_settings(change_set.conn, settings.to_settings())
            write_setting(change_set.conn, LOCAL_NAME, name)
            write_setting(change_set.conn, CHOICE, FirstRunChoice.EMPTY.value)
            for value in values:
                self._objectives.create_in(change_set, value)
        return change_set.changed() | Changes.of([Kind.SETTING, Kind.PROFILE])
