"""Opening the rep's database: checks, pragmas, permissions, backup and migrations.

Opening is cheap when the schema is current: the revision is read with plain ``sqlite3`` and
Alembic is imported only when an upgrade is due.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from kpidesk.store.errors import (
    DatabaseMissingError,
    ForeignDatabaseError,
    NewerSchemaError,
    NotADatabaseError,
    StoreError,
)

# PRAGMA application_id marks a kpidesk database ("kpid") so another program's file is never
# mistaken for one.
APPLICATION_ID = 0x6B706964
SQLITE_HEADER = b"SQLite format 3\x00"

# The newest migration this code knows; tests check it equals Alembic's head.
SCHEMA_HEAD = "0003"
KNOWN_REVISIONS = ("0001", "0002", "0003")

_PRIVATE_FILE = stat.S_IRUSR | stat.S_IWUSR  # 0600: the rep's data is theirs alone


@dataclass(frozen=True)
class FileState:
    exists: bool
    revision: str | None  # None: no kpidesk schema yet


def inspect_file(path: Path) -> FileState:
    """Tell whether ``path`` is a kpidesk database, a fresh file, or something else (error)."""
    if not path.exists():
        return FileState(exists=False, revision=None)
    if path.is_dir():
        raise NotADatabaseError(f"{path} is a folder, not a kpidesk database")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not header:
        return FileState(exists=True, revision=None)  # an empty file: a new database
    if header != SQLITE_HEADER:
        raise NotADatabaseError(f"{path} is not a kpidesk database (not a SQLite file)")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
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
        raise NotADatabaseError(f"{path} is not a kpidesk database ({exc})") from exc
    finally:
        conn.close()
    if app_id != APPLICATION_ID and tables:
        shown = ", ".join(sorted(tables)[:5])
        raise ForeignDatabaseError(
            f"{path} is a SQLite database of another program (tables: {shown}), not kpidesk's"
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise NewerSchemaError(
            f"{path} was upgraded by a newer kpidesk (schema {revision}); update kpidesk to open it"
        )
    return FileState(exists=True, revision=revision)


def _make_private(path: Path) -> None:
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, _PRIVATE_FILE)
        os.close(fd)
    os.chmod(path, _PRIVATE_FILE)


def _sqlite_engine(path: Path) -> sa.Engine:
    engine = sa.create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Let SQLAlchemy's "begin" event decide how each transaction starts (see below).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # a saved write survives power loss
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA temp_store=MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the write lock up front: a deferred transaction that later writes can
        # fail with "database is locked" instead of waiting its turn.
        immediate = conn.get_execution_options().get("kpidesk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def backup_to(source: Path, target: Path) -> Path:
    """Copy a live database consistently with SQLite's online backup API."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _make_private(target)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target


class Database:
    """An open kpidesk database file, migrated to the current schema."""

    def __init__(self, path: Path, engine: sa.Engine, backup_path: Path | None) -> None:
        self.path = path
        self.engine = engine
        # The copy taken before the last migration, if one ran while opening.
        self.backup_path = backup_path

    @contextlib.contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """A consistent snapshot for reading."""
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One write transaction: all of it is committed, or none of it."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(kpidesk_write=True)
            with conn.begin():
                yield conn

    def close(self) -> None:
        self.engine.dispose()


def open_database(path: Path, *, create: bool = True) -> Database:
    """Open (and if needed create or upgrade) the kpidesk database at ``path``.

    Raises a :class:`StoreError` naming the file and the problem when it cannot be used.
    """
    path = Path(path).expanduser()
    state = inspect_file(path)
    if not state.exists and not create:
        raise DatabaseMissingError(f"no kpidesk database at {path}")
    if not state.exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create {path.parent}: {exc.strerror or exc}") from exc
    try:
        _make_private(path)
    except OSError as exc:
        raise StoreError(f"cannot use {path}: {exc.strerror or exc}") from exc
    engine = _sqlite_engine(path)
    backup_path = None
    if state.revision != SCHEMA_HEAD:
        if state.revision is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            backup_path = backup_to(
                path, path.with_name(f"{path.stem}.before-{SCHEMA_HEAD}-{stamp}{path.suffix}")
            )
        try:
            _migrate(engine, SCHEMA_HEAD)
        except Exception as exc:  # whatever stopped it, nothing was applied: say which file
            engine.dispose()
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(f"cannot upgrade {path}: {detail}") from exc
    return Database(path, engine, backup_path)


def _migrate(engine: sa.Engine, revision: str) -> None:
    from kpidesk.store.migrations import run_upgrade  # heavy: Alembic, only when needed

    # One transaction for the whole upgrade: SQLite's DDL is transactional, so a failed
    # migration leaves the file exactly as it was.
    with engine.connect() as conn:
        conn = conn.execution_options(kpidesk_write=True)
        with conn.begin():
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            run_upgrade(conn, revision)
