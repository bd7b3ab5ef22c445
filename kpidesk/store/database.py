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
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from kpidesk.store.errors import (
    DatabaseMissingError,
    StoreError,
)
from kpidesk.store.files import (  # noqa: F401 - re-exported for callers
    APPLICATION_ID,
    KNOWN_REVISIONS,
    SCHEMA_HEAD,
    FileState,
    check_integrity,
    inspect_file,
)

# The connection type callers above the store pass back to it (they never build SQL).
Connection = sa.Connection

_PRIVATE_FILE = stat.S_IRUSR | stat.S_IWUSR  # 0600: the rep's data is theirs alone


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
    """Copy a live database consistently with SQLite's online backup API (moved in whole)."""
    from kpidesk.store.backups import copy_database

    return copy_database(source, target)


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
    def write(self, *, durable: bool = True) -> Iterator[sa.Connection]:
        """One write transaction: all of it is committed, or none of it.

        ``durable=False`` skips waiting for the disk at commit (``synchronous=NORMAL``): only
        for work that can simply be done again, such as applying a sync reply (after a power
        cut it is lost whole, and the next sync fetches it again). The rep's own writes are
        always durable.
        """
        with self.engine.connect() as conn:
            conn = conn.execution_options(kpidesk_write=True)
            raw = conn.connection.driver_connection  # outside any transaction, as SQLite wants
            if not durable:
                raw.execute("PRAGMA synchronous=NORMAL")
            try:
                with conn.begin():
                    yield conn
            finally:
                if not durable:
                    raw.execute("PRAGMA synchronous=FULL")

    def close(self) -> None:
        # SQLite's advice: let it refresh the planner's statistics when a connection closes.
        with contextlib.suppress(sa.exc.SQLAlchemyError), self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()


def open_database(path: Path, *, create: bool = True, back_up_first: bool = True) -> Database:
    """Open (and if needed create or upgrade) the kpidesk database at ``path``.

    Raises a :class:`StoreError` naming the file and the problem when it cannot be used.
    """
    path = Path(path).expanduser()
    state = inspect_file(path)
    if not state.exists and not create:
        raise DatabaseMissingError(f"no kpidesk database at {path}")
    if state.exists:
        check_integrity(path)  # a damaged file is never read as if whole, nor written to
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
        if state.revision is not None and back_up_first:
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
