"""Alembic migrations of the local database, run in-process on an open connection."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection


def _config(conn: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "kpidesk.store:migrations")
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def run_upgrade(conn: Connection, revision: str = "head") -> None:
    command.upgrade(_config(conn), revision)


def run_downgrade(conn: Connection, revision: str) -> None:
    command.downgrade(_config(conn), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
