"""The first start's service: the choice kept in the rep's database, "start empty" whole or
nothing, and the demo's progress reports (read back from the files, not from the service)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.demo import create_demo_database, demo_path_beside
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.first_run import FirstObjective, FirstRunChoice
from kpidesk.services.preferences import choose_language, chosen_language

END = date(2026, 6, 15)


def test_an_empty_database_wants_the_welcome_screen_until_a_choice(workspace):
    first_run = workspace.first_run
    assert first_run.state().wants_welcome
    first_run.remember(FirstRunChoice.DEMO)  # trying the demo is not a final choice
    assert first_run.state().wants_welcome and first_run.state().in_demo
    first_run.remember(FirstRunChoice.IMPORT)
    assert not first_run.state().wants_welcome
    first_run.remember(None)
    assert first_run.state().wants_welcome


def test_a_database_with_records_never_shows_the_welcome_screen(workspace):
    workspace.accounts.create({"name": "Garage Moreau"})
    assert not workspace.first_run.state().wants_welcome


def test_start_empty_saves_name_currency_and_objectives(workspace, db_path):
    workspace.first_run.start_empty(
        "  Claire Martin ",
        "chf",
        [FirstObjective("revenue", PeriodKind.MONTH, 1_200_000),
         FirstObjective("conversion", PeriodKind.MONTH, 0.4)],
    )  # fmt: skip
    conn = sqlite3.connect(db_path)
    try:
        settings = dict(conn.execute("SELECT key, value FROM setting").fetchall())
        objectives = set(conn.execute("SELECT kpi_key, period_kind, target FROM objective"))
        queued = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
    finally:
        conn.close()
    assert json.loads(settings["profile.name"]) == "Claire Martin"
    assert json.loads(settings["first_run.choice"]) == "empty"
    assert workspace.kpis.settings().currency == "CHF"
    assert objectives == {("revenue", "month", 1_200_000), ("conversion", "month", 0.4)}
    assert queued == 2  # the objectives sync like any record
    assert workspace.profile().name == "Claire Martin"
    assert not workspace.first_run.state().wants_welcome


@pytest.mark.parametrize(
    ("name", "currency", "target", "field"),
    [("", "EUR", 0.4, "name"), ("Claire", "EURO", 0.4, "currency"),
     ("Claire", "EUR", 4.0, "objective.0")],
)  # fmt: skip
def test_start_empty_refused_whole(workspace, db_path, name, currency, target, field):
    with pytest.raises(InvalidInputError) as refused:
        workspace.first_run.start_empty(
            name, currency, [FirstObjective("conversion", PeriodKind.YEAR, target)]
        )
    assert refused.value.for_field(field)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM setting").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM objective").fetchone()[0] == 0
    finally:
        conn.close()
    assert workspace.first_run.state().wants_welcome


def test_the_demo_lives_beside_the_reps_database(tmp_path):
    assert demo_path_beside(tmp_path / "kpidesk.sqlite") == tmp_path / "kpidesk-demo.sqlite"


def test_demo_progress_rises_to_the_end(tmp_path):
    heard: list[float] = []
    create_demo_database(tmp_path / "demo.sqlite", 1, 1, END, heard.append)
    assert heard == sorted(heard), "progress never goes back"
    assert heard[0] < 0.1 and heard[-1] == 1.0
    assert len(heard) > 10  # the bar moves while the work is done, not only at the end
    assert 0.3 < max(d for d in heard if d < 0.5) < 0.5  # the simulation, then the writing


def test_language_preference_kept_and_a_garbled_file_read_as_none(tmp_path):
    path = tmp_path / "config" / "preferences.json"
    assert chosen_language(path) is None
    choose_language("fr_FR", path)
    assert chosen_language(path) == "fr_FR"
    assert json.loads(path.read_text()) == {"language": "fr_FR"}
    choose_language(None, path)
    assert chosen_language(path) is None
    with pytest.raises(ValueError, match="not a language"):
        choose_language("de_DE", path)
    path.write_text("{not json")
    assert chosen_language(path) is None
    assert [p.name for p in path.parent.iterdir()] == ["preferences.json"]  # nothing aside
