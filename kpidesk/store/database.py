"""Opening the rep's database: checks, pragmas, permissions, backup and migrations.

Opening is cheap when the schema is current: the revision is read with plain ``sqlite3`` and
Alembic is imported only when an upgrade is due.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event

from kpidesk.store.errors import (
    DatabaseMissingError,
    DiskFullError,
    StoreError,
    StoreProblem,
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
# Each connection's page cache, in KiB. SQLite's default (2 MiB) holds a month's report on five
# years of history but not on twenty: its index pages then left the cache between queries and
# came back through the OS, and the same report cost ~1.4x as much on the larger file. 16 MiB
# holds it (and a year's) on twenty years. It fills only as pages are read, and stays valid
# across transactions while nobody else writes (WAL).
_PAGE_CACHE_KIB = 16 * 1024


def _make_private(path: Path) -> None:
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, _PRIVATE_FILE)
        os.close(fd)
    os.chmod(path, _PRIVATE_FILE)


def _sqlite_engine(path: Path) -> sa.Engine:
    engine = sa.create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 10},
        # The connection used last goes out first: its page cache (see _PAGE_CACHE_KIB) is the
        # warm one, and the others, idle, stay small.
        pool_use_lifo=True,
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
        cursor.execute(f"PRAGMA cache_size=-{_PAGE_CACHE_KIB}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the write lock up front: a deferred transaction that later writes can
        # fail with "database is locked" instead of waiting its turn.
        immediate = conn.get_execution_options().get("kpidesk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_disk_full(exc: BaseException, path: Path | None = None) -> bool:
    """SQLITE_FULL (the disk, or the file's size limit), the OS saying ENOSPC, or an I/O error
    on a file system with next to no space left (SQLite reports ENOSPC while writing its WAL
    index or journal as a plain "disk I/O error", without the errno)."""
    orig = getattr(exc, "orig", exc)
    if isinstance(orig, OSError):
        return orig.errno == errno.ENOSPC
    if getattr(orig, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(orig):
        return True
    if path is not None and str(getattr(orig, "sqlite_errorname", "")).startswith("SQLITE_IOERR"):
        with contextlib.suppress(OSError):
            return shutil.disk_usage(path.parent).free < _NEARLY_FULL
    return False


log = logging.getLogger(__name__)
# The local_meta key holding, as a JSON list, the DDL of the indexes a long pull set aside
# until its end (store.bulk.defer_indexes).
DEFERRED_INDEXES = "bulk_deferred_indexes"
_NEARLY_FULL = 1 << 20  # under 1 MiB free: the I/O error is the disk being full
_AUTO_CHECKPOINT_PAGES = 1000  # SQLite's default


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
        always durable. Such a commit also leaves the WAL to grow, without the checkpoint
        SQLite runs once it holds 1,000 pages: a first sync's pages each passed that mark, and
        copying the WAL into the database (and waiting for the disk) at each page took a
        quarter of the sync. Call :meth:`checkpoint` once the batch of them is done.
        """
        with self.engine.connect() as conn:
            conn = conn.execution_options(kpidesk_write=True)
            raw = conn.connection.driver_connection  # outside any transaction, as SQLite wants
            if not durable:
                raw.execute("PRAGMA synchronous=NORMAL")
                raw.execute("PRAGMA wal_autocheckpoint=0")
            try:
                with conn.begin():
                    yield conn
            except sa.exc.OperationalError as exc:
                # Rolled back whole: nothing of this write was saved.
                if is_disk_full(exc, self.path):
                    raise DiskFullError(self.path) from exc
                raise
            finally:
                if not durable:
                    raw.execute("PRAGMA synchronous=FULL")
                    raw.execute(f"PRAGMA wal_autocheckpoint={_AUTO_CHECKPOINT_PAGES}")

    def checkpoint(self) -> None:
        """Copy the WAL into the database now (without waiting for readers: what a reader
        still uses stays for the next one), after a batch of ``write(durable=False)``."""
        with self.engine.connect() as conn:
            conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def restore_deferred_indexes(self) -> None:
        """After a long pull that stopped early (Cancel, a lost connection, a refused reply):
        the indexes its first pages set aside, built now; never raises (see below)."""
        _restore_set_aside(self.engine)

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
        raise DatabaseMissingError(f"no kpidesk database at {path}", path=path)
    if state.exists:
        check_integrity(path)  # a damaged file is never read as if whole, nor written to
    if not state.exists:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = str(exc.strerror or exc)
            raise StoreError(
                f"cannot create {path.parent}: {reason}", path=path.parent, detail=reason
            ) from exc
        create_aside(path, lambda _db: None)
        state = inspect_file(path)
    try:
        _make_private(path)
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise StoreError(f"cannot use {path}: {reason}", path=path, detail=reason) from exc
    engine = _sqlite_engine(path)
    if state.revision is not None:  # a first sync killed halfway: its indexes, before any
        _restore_set_aside(engine)  # migration (which may expect them) and any read
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
            if is_disk_full(exc, path):
                raise DiskFullError(path) from exc
            detail = getattr(exc, "orig", None) or exc
            raise StoreError(
                f"cannot upgrade {path}: {detail}",
                kind=StoreProblem.UPGRADE_FAILED,
                path=path,
                detail=str(detail),
            ) from exc
    return Database(path, engine, backup_path)


def restore_deferred_indexes(conn: sa.Connection) -> int:
    """Build again, from their own DDL, the indexes a long pull set aside (at its end, when
    it stops early, or at the next opening after a crash); how many. Inside a write."""
    noted = conn.exec_driver_sql(
        "SELECT value FROM local_meta WHERE key = ?", (DEFERRED_INDEXES,)
    ).scalar()
    if noted is None:
        return 0
    try:
        statements = [str(ddl) for ddl in json.loads(noted)]
    except (ValueError, TypeError):  # not written by kpidesk: nothing to build from it
        statements = []
    for ddl in statements:  # as SQLite stored them: "CREATE INDEX name ON table (...)"
        conn.exec_driver_sql(_CREATE_INDEX.sub(r"\g<0>IF NOT EXISTS ", ddl, count=1))
    conn.exec_driver_sql("DELETE FROM local_meta WHERE key = ?", (DEFERRED_INDEXES,))
    return len(statements)


_CREATE_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS )", re.IGNORECASE)


def _restore_set_aside(engine: sa.Engine) -> None:
    """Build the indexes a long pull set aside, if any, never failing: if the build cannot be
    done now (a full disk, a long lock), the file is used as it is, slower, and the next
    opening or sync tries again."""
    try:
        with engine.connect() as conn:
            noted = conn.exec_driver_sql(
                "SELECT 1 FROM local_meta WHERE key = ?", (DEFERRED_INDEXES,)
            ).first()
            conn.rollback()
            if noted is None:
                return
            conn = conn.execution_options(kpidesk_write=True)
            with conn.begin():
                restored = restore_deferred_indexes(conn)
    except sa.exc.SQLAlchemyError as exc:
        log.warning("indexes set aside by a first sync not rebuilt yet: %s", type(exc).__name__)
        return
    log.info("%d indexes set aside by a first sync were rebuilt", restored)


def create_aside(path: Path, fill: Callable[[Database], None]) -> None:
    """Build a new database next to ``path``, fill it, and move it in whole: a full disk or a
    crash halfway leaves no partial file where a database is expected (a 0-byte or cut-off
    file there would be taken for a damaged database at the next start)."""
    aside = path.with_name(f".{path.name}.new-{os.getpid()}")
    try:
        _make_private(aside)
        engine = _sqlite_engine(aside)
        try:
            _migrate(engine, SCHEMA_HEAD)
            db = Database(aside, engine, None)
            fill(db)
        finally:
            engine.dispose()  # the last connection checkpoints the WAL into the file
        os.replace(aside, path)
    except Exception as exc:
        if is_disk_full(exc, path) or isinstance(exc, DiskFullError):
            raise DiskFullError(path) from exc
        if isinstance(exc, StoreError):
            raise
        detail = getattr(exc, "orig", None) or getattr(exc, "strerror", None) or exc
        raise StoreError(f"cannot create {path}: {detail}") from exc
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{aside}{suffix}").unlink(missing_ok=True)


def _migrate(engine: sa.Engine, revision: str) -> None:
    from kpidesk.store.migrations import run_upgrade  # heavy: Alembic, only when needed

    # One transaction for the whole upgrade: SQLite's DDL is transactional, so a failed
    # migration leaves the file exactly as it was.
    with engine.connect() as conn:
        conn = conn.execution_options(kpidesk_write=True)
        with conn.begin():
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            run_upgrade(conn, revision)
