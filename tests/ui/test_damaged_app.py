"""The real app on a damaged database: no page, a dialog naming the damage, and Restore opens
the latest good backup in its place."""

from __future__ import annotations

import logging
import sqlite3
import sys

from kpidesk.services.backups import back_up, list_backups
from kpidesk.services.logfile import PrivateRotatingFileHandler
from kpidesk.services.workspace import open_workspace
from kpidesk.ui.app import run_app
from kpidesk.ui.dialogs.damaged import DamagedDatabaseDialog
from tests.damage import overwrite_middle_pages


def test_restore_from_the_damage_dialog_opens_the_backup(qapp, db_path, monkeypatch):
    ws = open_workspace(db_path)
    for n in range(60):
        ws.accounts.create({"name": f"Account {n:02d}", "city": "x" * 90})
    ws.close()
    back_up(db_path)
    overwrite_middle_pages(db_path)
    shown = []

    def choose_restore(dialog: DamagedDatabaseDialog) -> int:
        shown.append((dialog.text(), dialog.restore_button is not None))
        monkeypatch.setattr(dialog, "clickedButton", lambda: dialog.restore_button)
        return 0

    monkeypatch.setattr(DamagedDatabaseDialog, "exec", choose_restore)
    monkeypatch.setenv("KPIDESK_RESOURCES_PROBE", "1")  # quits once the pages are ready
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    try:
        assert run_app(db_path) == 0
    finally:
        logger = logging.getLogger("kpidesk")
        for handler in [h for h in logger.handlers if isinstance(h, PrivateRotatingFileHandler)]:
            logger.removeHandler(handler)
            handler.close()
    assert len(shown) == 1
    text, offered = shown[0]
    assert str(db_path) in text and "damaged" in text and offered
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM account").fetchone() == (60,)
    finally:
        conn.close()
    assert [b.kind for b in list_backups(db_path)].count("replaced") == 1
