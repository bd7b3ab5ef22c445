"""Backups for the app and the command line: what exists, taking one, putting one back.

Restoring replaces the file under the rep's feet: whoever calls :func:`restore` has closed the
workspace on it first (the CLI never opened one; the app closes its own).
"""

from __future__ import annotations

from pathlib import Path

from kpidesk.store import meta
from kpidesk.store.backups import (
    Backup,
    back_up_now,
    check_backup,
    ensure_daily_backup,
    latest_good_backup,
    list_backups,
)
from kpidesk.store.database import open_database
from kpidesk.store.files import check_integrity, inspect_file
from kpidesk.store.restore import Restored, restore_backup

__all__ = [
    "Backup",
    "Restored",
    "back_up",
    "check_backup",
    "daily_backup",
    "latest_good_backup",
    "list_backups",
    "restore",
    "signed_in_server",
]


def back_up(db_path: Path, target: Path | None = None) -> Path:
    """A backup now; a damaged database is refused (a copy of it would restore nothing)."""
    inspect_file(db_path)
    check_integrity(db_path)
    return back_up_now(db_path, target)


def daily_backup(db_path: Path) -> Path | None:
    """Today's backup if none was taken yet (the database was checked when it was opened)."""
    return ensure_daily_backup(db_path)


def restore(db_path: Path, backup_path: Path) -> Restored:
    return restore_backup(db_path, backup_path)


def signed_in_server(db_path: Path) -> str | None:
    """The team server the restored laptop has to sign in to again, if any."""
    db = open_database(db_path, create=False)
    try:
        with db.read() as conn:
            return meta.get(conn, meta.SERVER_URL)
    finally:
        db.close()
