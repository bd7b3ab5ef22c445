"""Telling what a file is before opening it with SQLAlchemy: plain ``sqlite3`` only, so the
command line and the app's first window can check a path without the heavy imports."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kpidesk.store.errors import (
    DamagedDatabaseError,
    ForeignDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    StoreError,
    StoreProblem,
)

# PRAGMA application_id marks a kpidesk database ("kpid") so another program's file is never
# mistaken for one.
APPLICATION_ID = 0x6B706964
SQLITE_HEADER = b"SQLite format 3\x00"

# The newest migration this code knows; tests check it equals Alembic's head.
SCHEMA_HEAD = "0007"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")


@dataclass(frozen=True)
class FileState:
    exists: bool
    revision: str | None  # None: no kpidesk schema yet


def _read_header(path: Path) -> bytes:
    """The file's first bytes, read through SQLite when it may be a database: closing a plain
    file handle on a database this process has open would release SQLite's POSIX locks on it
    (they belong to the process, not the handle), and another process could then write under
    a connection that believes it holds a lock. SQLite itself never closes such a handle."""
    if path.stat().st_size == 0:
        return b""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise OSError(str(exc)) from exc
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            return b"?"
        if _is_damage(exc):
            raise DamagedDatabaseError(path, str(exc)) from exc
        raise OSError(str(exc)) from exc  # unreadable, locked...: not the file's fault
    finally:
        conn.close()
    return SQLITE_HEADER


def inspect_file(path: Path) -> FileState:
    """Tell whether ``path`` is a kpidesk database, a fresh file, or something else (error)."""
    if not path.exists():
        return FileState(exists=False, revision=None)
    if path.is_dir():
        raise NotADatabaseError(
            f"{path} is a folder, not a kpidesk database", kind=StoreProblem.FOLDER, path=path
        )
    try:
        header = _read_header(path)
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise StoreError(f"cannot read {path}: {reason}", path=path, detail=reason) from exc
    if not header:
        # kpidesk never leaves an empty file behind (a new database is built aside and moved
        # in whole): a 0-byte file is a lost database, and opening it as a new one would
        # write an empty schema over the evidence and show the rep zero everywhere.
        raise DamagedDatabaseError(path, "the file is empty: 0 bytes")
    if header != SQLITE_HEADER:
        raise NotADatabaseError(f"{path} is not a kpidesk database (not a SQLite file)", path=path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}", path=path, detail=str(exc)) from exc
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = [
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        revision = None
        if app_id == APPLICATION_ID and "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            raise DamagedDatabaseError(path, str(exc)) from exc
        raise NotADatabaseError(
            f"{path} is not a kpidesk database ({exc})", path=path, detail=str(exc)
        ) from exc
    finally:
        conn.close()
    if app_id != APPLICATION_ID and tables:
        shown = ", ".join(sorted(tables)[:5])
        raise ForeignDatabaseError(
            f"{path} is a SQLite database of another program (tables: {shown}), not kpidesk's",
            path=path,
            detail=shown,
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(
            f"{path} was upgraded by a newer kpidesk (schema {revision}); "
            "update kpidesk to open it",
            path=path,
            detail=revision,
        )
    return FileState(exists=True, revision=revision)


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    return "malformed" in str(exc) or getattr(exc, "sqlite_errorname", "") == "SQLITE_CORRUPT"


# quick_check lists at most this many problems: the first ones are enough to name the damage.
_PROBLEMS_SHOWN = 3


def check_integrity(path: Path) -> None:
    """Raise :class:`DamagedDatabaseError` unless SQLite's ``quick_check`` finds the file whole.

    ``quick_check`` reads every page (a few hundred ms on five years of history) but skips
    the index-versus-table comparison of ``integrity_check``: enough to catch pages
    overwritten or cut off, cheap enough for every start.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    try:
        rows = conn.execute(f"PRAGMA quick_check({_PROBLEMS_SHOWN})").fetchall()
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc) or "not a database" in str(exc):
            raise DamagedDatabaseError(path, str(exc)) from exc
        raise StoreError(f"cannot read {path}: {exc}") from exc
    finally:
        conn.close()
    # One line per problem, some spread over several lines: one line for the rep's message.
    lines = (line.strip() for row in rows for line in str(row[0]).splitlines())
    problems = [line for line in lines if line and not line.startswith("***")]
    if problems != ["ok"]:
        raise DamagedDatabaseError(path, "; ".join(problems))
