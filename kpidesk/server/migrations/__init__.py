"""Alembic migrations of the server database (SQLite and PostgreSQL), run in-process."""

from __future__ import annotations

from collections.abc import Callable

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
    with engine.connect() as conn:
        conn = conn.execution_options(kpidesk_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
                )
            command.upgrade(_config(conn), revision)
            if then is not None:
                then(conn)


def downgrade(engine: sa.Engine, revision: str) -> None:
    with engine.connect() as conn:
        conn = conn.execution_options(kpidesk_write=True)
        with conn.begin():
            command.downgrade(_config(conn), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
