"""Putting a backup back in place of the rep's database, as a new device.

A backup is the laptop as it was: the team server has since acknowledged mutation ids the
backup's outbox reuses, and the device's sync cursor points past changes the backup lacks.
So the restored file becomes a new device: a new device id (the server counts mids per device,
and a token belongs to one device, so the rep signs in again), its waiting changes renumbered
from 1, and a cursor of 0 (it pulls everything again). Its outbox is exactly what it had not
had acknowledged when the backup was taken; sending that again is harmless (same ids, same
field clocks: the server keeps the newer value, nothing is created twice) and loses nothing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kpidesk.domain.ids import uuid7
from kpidesk.store import meta, outbox
from kpidesk.store.backups import backup_folder, check_backup, copy_database
from kpidesk.store.database import open_database
from kpidesk.store.errors import NotABackupError, StoreError

# The sync cursor's key (kept with the replica's code; read here as plain local_meta).
_CURSOR = "sync_cursor"


@dataclass(frozen=True)
class Restored:
    replaced: Path | None  # the copy of the database the restore replaced
    waiting: int  # changes in the backup not acknowledged then: they are sent again


def restore_backup(db_path: Path, backup_path: Path) -> Restored:
    """Replace the database at ``db_path`` with ``backup_path``; nothing open on it may stay.

    Refuses (changing nothing) a file that is not a whole kpidesk database.
    """
    db_path, backup_path = Path(db_path).expanduser(), Path(backup_path).expanduser()
    check_backup(backup_path)
    if db_path.exists() and backup_path.resolve() == db_path.resolve():
        raise NotABackupError(f"{backup_path} is the database itself, not a backup of it")
    staging = db_path.with_name(f"{db_path.stem}.restoring{db_path.suffix}")
    try:
        copy_database(backup_path, staging)
        db = open_database(staging, back_up_first=False)  # upgraded if it is older
        try:
            with db.write() as conn:
                waiting = become_new_device(conn)
        finally:
            db.close()
        replaced = _keep_replaced(db_path)
        for suffix in ("-wal", "-shm"):  # the old file's journal must not meet the new file
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        staging.replace(db_path)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{staging}{suffix}").unlink(missing_ok=True)
    return Restored(replaced, waiting)


def become_new_device(conn) -> int:
    meta.put(conn, meta.DEVICE_ID, str(uuid7()))
    meta.delete(conn, meta.HLC)  # stamps carry the device id: the new one starts afresh
    meta.put(conn, _CURSOR, "0")
    meta.delete(conn, meta.LAST_SYNC_AT)
    return outbox.renumber(conn)


def _keep_replaced(db_path: Path) -> Path | None:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = backup_folder(db_path) / f"{db_path.stem}-replaced-{stamp}.sqlite"
    try:
        return copy_database(db_path, target)
    except StoreError:
        # A damaged database cannot be read through SQLite: keep its bytes as they are.
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db_path, target)
        wal = Path(f"{db_path}-wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{target}-wal"))
        target.chmod(0o600)
        return target
