"""Alembic migrations of the server database (SQLite and PostgreSQL), run in-process."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

# Any fixed number: two `kpidesk-server migrate` started together on one PostgreSQL run one
# after the other instead of racing.
_PG_MIGRATION_LOCK = 0x6B706964


def _config(conn: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "kpidesk.server:migrations")
    if conn is not None:
        config.attributes["connection"] = conn
    return config


@contextlib.contextmanager
def _migrating(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A write connection for migrations. On SQLite, foreign keys are off while they run: a
    batch migration rebuilds a table by copying it and dropping the original, which a row
    elsewhere pointing at it would refuse (a server with users and devices could not upgrade).
    Every foreign key is checked before the upgrade commits instead."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # only outside a transaction does SQLite take this pragma
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            yield conn.execution_options(kpidesk_write=True)
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
        if broken is not None:
            raise sa.exc.IntegrityError(
                "PRAGMA foreign_key_check", None, Exception(f"foreign key broken in {broken[0]}")
            )


def upgrade(
    engine: sa.Engine,
    revision: str = "head",
    *,
    then: Callable[[sa.Connection], None] | None = None,
) -> None:
    """Upgrade in one transaction: on failure the database is left as it was.

    (PostgreSQL and SQLite both have transactional DDL.) ``then``, if given, runs in the same
    transaction after the upgrade: init creates the first admin there, so a failure leaves no
    schema without an admin behind.
    """
    with _migrating(engine) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        command.upgrade(_config(conn), revision)
        _check_foreign_keys(conn)
        if then is not None:
            then(conn)


def downgrade(engine: sa.Engine, revision: str) -> None:
    with _migrating(engine) as conn, conn.begin():
        command.downgrade(_config(conn), revision)
        _check_foreign_keys(conn)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
