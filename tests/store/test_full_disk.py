"""A full disk during a write: a clear error, nothing of that write saved, nothing lost, and no
partial file left where a database or a backup is expected."""

from __future__ import annotations

import sqlite3

import pytest

from kpidesk.store.backups import ensure_daily_backup
from kpidesk.store.errors import DiskFullError
from tests.full_disk import cap_at_current_size, fill_leaving, small_disk
from tests.test_cli import assert_one_line_error, run_cli


def counts(path):
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute("SELECT count(*) FROM account").fetchone()[0],
            conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
            conn.execute("PRAGMA integrity_check").fetchone()[0],
        )
    finally:
        conn.close()


def test_a_write_on_a_full_disk_saves_nothing_and_keeps_what_was_saved(workspace):
    for n in range(5):
        workspace.accounts.create({"name": f"Saved {n}"})
    cap_at_current_size(workspace.db)
    saved = 5
    with pytest.raises(DiskFullError) as caught:
        for n in range(500):  # the last free bytes of the pages fill up, then it is full
            workspace.accounts.create({"name": f"More {n}", "notes": "n" * 900})
            saved += 1
    message = str(caught.value)
    assert "disk is full" in message and str(workspace.db.path) in message
    assert "nothing was saved" in message
    workspace.close()
    assert counts(workspace.db.path) == (saved, saved, "ok")


def test_init_and_demo_on_a_full_disk_leave_no_file():
    with small_disk() as disk:
        demo = run_cli("demo", "--years", "5", "--db", disk / "demo.sqlite")
        assert_one_line_error(demo, "disk is full", str(disk / "demo.sqlite"), "nothing was saved")
        assert sorted(p.name for p in disk.iterdir()) == []
        fill_leaving(disk, 16 * 1024)
        init = run_cli("init", "--db", disk / "new.sqlite")
        assert_one_line_error(init, "disk is full", str(disk / "new.sqlite"))
        assert sorted(p.name for p in disk.iterdir()) == ["filler.bin"]


def test_a_backup_on_a_full_disk_leaves_no_partial_copy():
    with small_disk() as disk:
        path = disk / "kpidesk.sqlite"
        run_cli("init", "--db", path)
        from kpidesk.services.workspace import open_workspace

        ws = open_workspace(path)
        for n in range(20):
            ws.accounts.create({"name": f"Account {n}", "notes": "n" * 2000})
        ws.close()
        fill_leaving(disk, 8 * 1024)
        with pytest.raises(DiskFullError):
            ensure_daily_backup(path)
        assert list((disk / "backups").iterdir()) == []
        (disk / "filler.bin").unlink()  # reading needs room for SQLite's WAL index
        assert counts(path) == (20, 20, "ok")
