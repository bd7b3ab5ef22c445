"""Daily and weekly backups, and restoring one: whole files only, nothing changed on refusal."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from kpidesk.services.workspace import open_workspace
from kpidesk.store import meta
from kpidesk.store.backups import (
    back_up_now,
    check_backup,
    ensure_daily_backup,
    latest_good_backup,
    list_backups,
)
from kpidesk.store.errors import (
    DamagedDatabaseError,
    ForeignDatabaseError,
    NotABackupError,
    NotADatabaseError,
)
from kpidesk.store.restore import restore_backup
from tests.damage import overwrite_middle_pages


@pytest.fixture
def book(db_path):
    ws = open_workspace(db_path)
    for n in range(150):
        ws.accounts.create({"name": f"Account {n}", "city": "Annecy" * 15})
    ws.close()
    return db_path


def names(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM account").fetchone()[0]
    finally:
        conn.close()


def test_one_daily_backup_a_day_and_the_last_seven_and_four_weeks_kept(book):
    start = date(2026, 1, 5)  # a Monday
    for day in range(40):
        ensure_daily_backup(book, start + timedelta(days=day))
    assert ensure_daily_backup(book, start + timedelta(days=39)) is None  # once a day
    kinds = [b.kind for b in list_backups(book)]
    assert kinds.count("daily") == 7
    assert kinds.count("weekly") == 4
    daily = sorted(b.path.name for b in list_backups(book) if b.kind == "daily")
    assert daily[-1] == f"{book.stem}-daily-2026-02-13.sqlite"
    for backup in list_backups(book):
        assert backup.path.stat().st_mode & 0o777 == 0o600
        assert names(backup.path) == 150
        check_backup(backup.path)
    assert not list(book.parent.glob("backups/*.partial"))


def test_restore_puts_the_backup_back_as_a_new_device_and_keeps_the_replaced_file(book):
    with sqlite3.connect(book) as conn:
        device = conn.execute("SELECT value FROM local_meta WHERE key='device_id'").fetchone()
        conn.execute("INSERT OR REPLACE INTO local_meta VALUES ('sync_cursor', '41')")
    conn.close()
    backup = back_up_now(book)
    ws = open_workspace(book)
    ws.accounts.create({"name": "Made after the backup"})
    ws.close()
    restored = restore_backup(book, backup)
    assert names(book) == 150
    assert restored.replaced is not None and names(restored.replaced) == 151
    assert restored.waiting == 150  # never sent: all of them go again
    ws = open_workspace(book)
    with ws.db.read() as conn:
        assert meta.get(conn, meta.DEVICE_ID) != device[0]
        assert meta.get(conn, "sync_cursor") == "0"
        mids = [r[0] for r in conn.exec_driver_sql("SELECT mid FROM outbox ORDER BY mid")]
    assert mids == list(range(1, 151))
    ws.close()


def _not_kpidesk(tmp_path):
    path = tmp_path / "music.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE tracks (title TEXT)")
    conn.close()
    return path, ForeignDatabaseError


def _text(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("my notes\n" * 100)
    return path, NotADatabaseError


def _empty_sqlite(tmp_path):
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version=1").connection.close()
    return path, NotABackupError


def _damaged(tmp_path, book):
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(back_up_now(book).read_bytes())
    overwrite_middle_pages(path)
    return path, DamagedDatabaseError


@pytest.mark.parametrize("make", ["_not_kpidesk", "_text", "_empty_sqlite", "_damaged"])
def test_restore_refuses_a_file_that_is_not_a_whole_kpidesk_backup(book, tmp_path, make):
    maker = globals()[make]
    wrong, error = maker(tmp_path, book) if make == "_damaged" else maker(tmp_path)
    before, offered = book.read_bytes(), wrong.read_bytes()
    with pytest.raises(error) as caught:
        restore_backup(book, wrong)
    assert str(wrong) in str(caught.value)
    assert book.read_bytes() == before
    assert wrong.read_bytes() == offered
    assert not [b for b in list_backups(book) if b.kind == "replaced"]


def test_the_latest_good_backup_skips_a_damaged_one(book):
    good = ensure_daily_backup(book, date(2026, 3, 2))
    bad = ensure_daily_backup(book, date(2026, 3, 7))  # same week: no new weekly copy
    overwrite_middle_pages(bad)
    latest = latest_good_backup(book)
    assert latest is not None and latest.path != bad
    assert latest.path.name in (good.name, f"{book.stem}-weekly-2026-W10.sqlite")
