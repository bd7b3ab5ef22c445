"""The rep's backups: daily and weekly copies in the data folder, and restoring one.

Every copy is made with SQLite's online backup API (a consistent snapshot of a live database),
written aside and moved into place whole, so a full disk or a crash never leaves half a backup
that looks like a whole one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from kpidesk.store.errors import DamagedDatabaseError, NotABackupError, StoreError
from kpidesk.store.files import check_integrity, inspect_file

KEEP_DAILY = 7
KEEP_WEEKLY = 4
_NAME = re.compile(
    r"^(?P<stem>.+)-(?P<kind>daily|weekly|manual|replaced)-(?P<when>[0-9TWZ-]+)\.sqlite$"
)


@dataclass(frozen=True)
class Backup:
    path: Path
    kind: str  # daily, weekly, manual (asked for), replaced (the database a restore replaced)
    taken_at: datetime
    size: int


def backup_folder(db_path: Path) -> Path:
    return db_path.parent / "backups"


def list_backups(db_path: Path) -> list[Backup]:
    """This database's backups, newest first."""
    folder = backup_folder(db_path)
    found = []
    for path in folder.glob(f"{db_path.stem}-*.sqlite") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match is None or match["stem"] != db_path.stem:
            continue
        stat = path.stat()
        found.append(
            Backup(path, match["kind"], datetime.fromtimestamp(stat.st_mtime, UTC), stat.st_size)
        )
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def latest_good_backup(db_path: Path) -> Backup | None:
    """The newest backup that is a whole kpidesk database (checked, not trusted by name)."""
    for backup in list_backups(db_path):
        if backup.kind == "replaced":
            continue  # what a restore took out: offered only when asked for by name
        try:
            check_backup(backup.path)
        except StoreError:
            continue
        return backup
    return None


def check_backup(path: Path) -> None:
    """Refuse a file that is not a whole kpidesk database: the file itself is not changed."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise NotABackupError(f"{path} does not exist or is not a file")
    state = inspect_file(path)  # names foreign, newer, non-SQLite and damaged files
    if state.revision is None:
        raise NotABackupError(f"{path} is not a kpidesk backup (no kpidesk schema in it)")
    check_integrity(path)


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of ``source`` at ``target`` (0600), moved in whole or not at all."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        os.chmod(target.parent, 0o700)
    partial = target.with_name(target.name + ".partial")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        os.close(fd)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        finally:
            dst.close()
            src.close()
        os.replace(partial, target)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise _copy_error(target, exc) from exc
    return target


def _copy_error(target: Path, exc: BaseException) -> StoreError:
    from kpidesk.store.database import is_disk_full
    from kpidesk.store.errors import DiskFullError

    if is_disk_full(exc, target):
        return DiskFullError(target)
    if isinstance(exc, sqlite3.DatabaseError) and "malformed" in str(exc):
        return DamagedDatabaseError(target, str(exc))
    return StoreError(f"cannot write {target}: {getattr(exc, 'strerror', None) or exc}")


def _named(db_path: Path, kind: str, when: str) -> Path:
    return backup_folder(db_path) / f"{db_path.stem}-{kind}-{when}.sqlite"


def back_up_now(db_path: Path, target: Path | None = None) -> Path:
    """A backup the rep asked for (``kpidesk backup``, Settings > Back up now)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return copy_database(db_path, target or _named(db_path, "manual", stamp))


def ensure_daily_backup(db_path: Path, today: date | None = None) -> Path | None:
    """Today's backup, once a day, and one a week; the oldest beyond 7 daily and 4 weekly go.

    Returns the new backup, or None when today's already exists.
    """
    today = today or date.today()
    daily = _named(db_path, "daily", today.isoformat())
    if daily.exists():
        return None
    copy_database(db_path, daily)
    year, week, _ = today.isocalendar()
    weekly = _named(db_path, "weekly", f"{year}-W{week:02d}")
    if not weekly.exists():
        partial = weekly.with_name(weekly.name + ".partial")
        try:
            shutil.copyfile(daily, partial)
            os.chmod(partial, 0o600)
            os.replace(partial, weekly)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise _copy_error(weekly, exc) from exc
    _prune(db_path)
    return daily


def _prune(db_path: Path) -> None:
    for kind, keep in (("daily", KEEP_DAILY), ("weekly", KEEP_WEEKLY)):
        # The date is in the name: sorting names sorts days, whatever the files' times say.
        paths = sorted(b.path for b in list_backups(db_path) if b.kind == kind)
        for old in paths[:-keep]:
            old.unlink(missing_ok=True)
