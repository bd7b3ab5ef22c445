"""`kpidesk backup` and `kpidesk restore`: whole copies, a confirmation, wrong files refused."""

from __future__ import annotations

import sqlite3
import subprocess

from tests.damage import overwrite_middle_pages
from tests.test_cli import assert_one_line_error, run_cli


def accounts(path):
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM account ORDER BY name")]
    finally:
        conn.close()


def add_account(path, name):
    from kpidesk.services.workspace import open_workspace

    ws = open_workspace(path)
    for n in range(60):  # enough pages to damage one in the middle
        ws.accounts.create({"name": f"{name} {n:02d}", "city": "x" * 90})
    ws.close()


def test_backup_then_restore_with_yes(tmp_path):
    db, copy = tmp_path / "rep.sqlite", tmp_path / "copy.sqlite"
    assert run_cli("init", "--db", db).returncode == 0
    add_account(db, "Before")
    made = run_cli("backup", "--db", db, "-o", copy)
    assert made.returncode == 0, made.stderr
    assert copy.stat().st_mode & 0o777 == 0o600
    assert_one_line_error(run_cli("backup", "--db", db, "-o", copy), "already exists")
    add_account(db, "After")
    assert len(accounts(db)) == 120
    done = run_cli("restore", "--db", db, copy, "--yes")
    assert done.returncode == 0, done.stderr
    assert "kept at" in done.stdout
    assert len(accounts(db)) == 60
    replaced = list((tmp_path / "backups").glob("rep-replaced-*.sqlite"))
    assert len(replaced) == 1 and len(accounts(replaced[0])) == 120


def test_restore_asks_first_and_refuses_a_wrong_file(tmp_path):
    db = tmp_path / "rep.sqlite"
    assert run_cli("init", "--db", db).returncode == 0
    add_account(db, "Mine")
    before = db.read_bytes()
    notes = tmp_path / "notes.sqlite"
    notes.write_text("not a backup\n" * 50)
    assert_one_line_error(run_cli("restore", "--db", db, notes, "--yes"), str(notes), "SQLite")
    other = tmp_path / "music.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE tracks (title TEXT)")
    conn.close()
    assert_one_line_error(run_cli("restore", "--db", db, other), "another program")
    good = tmp_path / "good.sqlite"
    assert run_cli("backup", "--db", db, "-o", good).returncode == 0
    # No terminal to confirm on and no --yes: refused, not assumed.
    assert_one_line_error(run_cli("restore", "--db", db, good, stdin=subprocess.DEVNULL), "--yes")
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists()


def test_a_damaged_database_points_to_the_latest_good_backup(tmp_path):
    db = tmp_path / "rep.sqlite"
    assert run_cli("init", "--db", db).returncode == 0
    add_account(db, "Mine")
    assert run_cli("backup", "--db", db).returncode == 0
    overwrite_middle_pages(db)
    proc = run_cli("kpi", "--db", db)
    assert_one_line_error(proc, str(db), "damaged", "kpidesk restore --db")
    latest = proc.stderr.strip().split()[-1]
    assert run_cli("restore", "--db", db, latest, "--yes").returncode == 0
    assert len(accounts(db)) == 60
    assert run_cli("kpi", "--db", db).returncode == 0
