"""The server's database: engine and pragmas, schema check, transactions.

SQLite (one file in the data folder) is for one server process; PostgreSQL, through psycopg 3,
for several workers or several servers behind a load balancer.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from kpidesk.server.settings import ServerSettings
from kpidesk.server.tables import ServerState, table_of

# The newest server migration this code knows; a test checks it equals Alembic's head.
SCHEMA_HEAD = "0005"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005")

_WRITE = "kpidesk_write"


class DatabaseError(Exception):
    """The server database cannot be used as it is; the message says why and what to do."""


class SchemaOutdatedError(DatabaseError):
    pass


def database_url(settings: ServerSettings) -> sa.URL:
    """The URL to connect to: the operator's, or the SQLite file in the data folder."""
    if settings.database_url is None:
        return sa.URL.create("sqlite", database=str(settings.sqlite_path))
    try:
        url = make_url(settings.database_url)
    except ArgumentError:
        raise DatabaseError(
            "the database URL is not valid (expected postgresql+psycopg://USER:PASSWORD@HOST/DB"
            " or sqlite:///PATH)"
        ) from None
    if url.get_backend_name() in {"postgresql", "postgres"}:
        # Whatever driver was named, the server ships psycopg 3.
        return url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise DatabaseError("an in-memory SQLite database would vanish: give a file path")
        return url
    raise DatabaseError(
        f"unsupported database {url.get_backend_name()!r}: use PostgreSQL or SQLite"
    )


def shown(url: sa.URL) -> str:
    """The URL as it may be printed: never with its password."""
    return url.render_as_string(hide_password=True)


def _prepare_sqlite_file(path: Path, *, create: bool) -> None:
    if not create and not path.exists():
        raise DatabaseError(f"no server database at {path}: run 'kpidesk-server init --admin NAME'")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise DatabaseError(f"cannot use {path}: {exc.strerror or exc}") from exc
    # Read through SQLite, not a plain file handle: closing one would release the POSIX locks
    # this process's connections hold on the file (see kpidesk.store.files._read_header).
    if path.stat().st_size == 0:
        return
    probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        probe.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise DatabaseError(f"{path} is not a SQLite database") from None
        raise DatabaseError(f"cannot use {path}: {exc}") from None
    finally:
        probe.close()


def make_engine(url: sa.URL, *, create: bool = True) -> sa.Engine:
    """An engine for the server database; with ``create=False`` a missing SQLite file is an
    error instead of a new empty file (only init and migrate create the database)."""
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        _prepare_sqlite_file(Path(url.database), create=create)
        return _sqlite_engine(url)
    # No pre-ping: it costs a round trip on every request. When PostgreSQL restarts, the first
    # request that meets a dead connection fails and SQLAlchemy then replaces the whole pool.
    return sa.create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.isolation_level = None  # transactions are begun by the "begin" hook below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives power loss
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A writer takes the write lock up front: a read transaction that later writes can fail
        # with "database is locked" instead of waiting its turn.
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def schema_revision(conn: sa.Connection) -> str | None:
    """The Alembic revision of the server schema, or None on an empty database."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def check_schema(engine: sa.Engine) -> None:
    """Refuse a database whose schema is not exactly the one this code was written for."""
    where = shown(engine.url)
    try:
        with engine.connect() as conn:
            revision = schema_revision(conn)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(f"cannot open the server database {where}: {detail}") from None
    if revision == SCHEMA_HEAD:
        return
    if revision is None:
        raise SchemaOutdatedError(
            f"the server database {where} is empty: run 'kpidesk-server init --admin NAME'"
            " (or 'kpidesk-server migrate')"
        )
    if revision in KNOWN_REVISIONS:
        raise SchemaOutdatedError(
            f"the server database {where} has schema {revision}, this server needs"
            f" {SCHEMA_HEAD}: run 'kpidesk-server migrate'"
        )
    raise SchemaOutdatedError(
        f"the server database {where} has schema {revision}, made by a newer kpidesk-server:"
        " update kpidesk-server"
    )


class Database:
    """The open server database: short transactions as ORM sessions."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._write_engine = engine.execution_options(**{_WRITE: True})
        # Reads on PostgreSQL run without BEGIN/COMMIT: under READ COMMITTED a transaction
        # gives a series of reads no more consistency, and it costs two round trips. (Code
        # that needs one snapshot, such as sync, opens a write session or sets its own level.)
        self._read_engine = (
            engine.execution_options(isolation_level="AUTOCOMMIT")
            if engine.dialect.name == "postgresql"
            else engine
        )

    @contextlib.contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A unit of work: a write session is one transaction, committed when the block ends
        and rolled back if it raises; on SQLite it takes the write lock at once (see
        ``_on_begin``). A read session must not write."""
        bind = self._write_engine if write else self._read_engine
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def allocate_server_versions(session: Session, count: int = 1) -> range:
    """Take ``count`` consecutive server versions inside the caller's write transaction.

    The UPDATE locks the one server_state row until the transaction ends, so a transaction
    that takes version n+1 waits for the one holding n to commit or roll back: readers never
    see n+1 committed before n (a PostgreSQL sequence does not give that guarantee).
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    state = table_of(ServerState)
    last = session.execute(
        sa.update(state)
        .where(state.c.id == 1)
        .values(last_server_version=state.c.last_server_version + count)
        .returning(state.c.last_server_version)
    ).scalar_one()
    return range(last - count + 1, last + 1)


def current_server_version(session: Session) -> int:
    state = table_of(ServerState)
    return session.execute(
        sa.select(state.c.last_server_version).where(state.c.id == 1)
    ).scalar_one()
