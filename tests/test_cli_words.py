"""The command line's words: what to do next in terminal terms, errors as JSON when asked, the
default database, demo data in an untouched database, conflicts as the Conflicts view says them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa

from kpidesk.domain.sync_problems import ProblemKind
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.presentation.sync import Audience, problem_text
from kpidesk.store.tables import sync_conflict
from tests.test_cli import assert_one_line_error, run_cli


def _default_database():
    # tests/conftest.py points XDG_DATA_HOME at a private folder for each test.
    return Path(os.environ["XDG_DATA_HOME"]) / "kpidesk" / "kpidesk.sqlite"


def test_init_without_db_creates_your_database():
    proc = run_cli("init")
    assert proc.returncode == 0, proc.stderr
    path = _default_database()
    assert path.is_file()
    assert str(path) in proc.stdout
    assert_one_line_error(run_cli("init"), "already a kpidesk database")


def test_kpi_without_a_database_says_how_to_make_one():
    proc = run_cli("kpi")
    assert_one_line_error(proc, "no kpidesk database yet", "'kpidesk init'", "'kpidesk demo")
    assert not _default_database().exists()  # reading never creates one


def test_demo_fills_a_database_init_just_made(tmp_path):
    path = tmp_path / "new.sqlite"
    assert run_cli("init", "--db", path).returncode == 0
    proc = run_cli("demo", "--years", "1", "--end", "2026-01-31", "--db", path)
    assert proc.returncode == 0, proc.stderr
    assert "real data" not in proc.stderr
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM account").fetchone()[0] > 0
    conn.close()


def test_demo_refuses_a_database_with_a_record(workspace, db_path):
    workspace.accounts.create({"name": "Garage Moreau"})
    workspace.close()
    assert_one_line_error(run_cli("demo", "--db", db_path), "holds real data")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM account").fetchall() == [("Garage Moreau",)]
    conn.close()


def test_sync_json_prints_the_error_as_json_on_stdout(tmp_path):
    path = tmp_path / "laptop.sqlite"
    assert run_cli("init", "--db", path).returncode == 0
    proc = run_cli("sync", "--json", "--db", path)
    assert proc.returncode == 2  # as without --json: not signed in is the user's to fix
    error = json.loads(proc.stdout)["error"]
    assert error["kind"] == "not_connected"
    assert "run 'kpidesk login URL USERNAME' first" in error["message"]
    text = run_cli("sync", "--db", path)
    assert text.returncode == 2
    assert text.stdout == ""
    assert "kpidesk login" in text.stderr and "Settings" not in text.stderr


def test_each_problem_says_what_to_do_where_it_is_read():
    for kind in (ProblemKind.SIGNED_OUT, ProblemKind.NOT_CONNECTED, ProblemKind.TLS):
        gui = problem_text(kind, "", Audience.GUI)
        cli = problem_text(kind, "", Audience.CLI)
        assert "Settings" in gui and "kpidesk login" not in gui, kind
        assert "kpidesk login" in cli and "Settings" not in cli, kind


def test_sync_names_conflicts_in_business_words(workspace):
    from kpidesk.commands.sync import _conflict_sentences

    garage = workspace.accounts.create({"name": "Garage Moreau"}).id
    offer = workspace.offers.create(
        {"account_id": garage, "reference": "2026-031", "amount_cents": 1_190_000,
         "status": OfferStatus.SENT, "sent_at": datetime(2026, 3, 2, 9, 30, tzinfo=UTC)}
    ).id  # fmt: skip
    with workspace.db.write() as conn:
        conn.execute(
            sa.insert(sync_conflict).values(
                table_name="offer", row_id=offer, field="amount_cents", yours=1_240_000,
                theirs=1_190_000, their_author="office", kept="theirs", server_version=7,
                received_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
            )
        )  # fmt: skip
    reported = [SimpleNamespace(table="offer", id=offer, field="amount_cents")]
    assert _conflict_sentences(workspace, reported, "rep") == [
        "Offer 2026-031 (Garage Moreau), amount: yours €12,400, office €11,900; office's was "
        "kept because it was later."
    ]


def test_a_server_problem_is_said_in_words_with_the_engines_detail():
    text = problem_text(ProblemKind.SERVER, "The request failed: HTTP 502", Audience.CLI)
    assert text.startswith("The team server could not do the sync; your changes are kept here")
    assert text.endswith("Details: The request failed: HTTP 502")
