"""Test set-up shared by every suite.

- Qt runs offscreen (no screen needed) and nothing reads the developer's own settings;
  texts are in English (en_GB), whatever the machine's locale.
- Tests that need real infrastructure (PostgreSQL, an X server, a Secret Service) are marked;
  on a plain machine they are skipped with the reason, but with CI=true a missing piece is a
  failure, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["KPIDESK_TESTING"] = "1"
# Expected texts are written in en_GB; a test renders another language with presentation.using.
os.environ["KPIDESK_LANG"] = "en_GB"

# The README's durability and security figures are counted by the tests that perform them.
pytest_plugins = ["tests.proofs"]

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str) -> None:
    """Skip (or, in CI, fail) a test whose infrastructure is missing."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"CI must provide this: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point XDG folders at a temporary home: tests never touch the developer's files."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    return home


@pytest.fixture(scope="session", autouse=True)
def real_migrations(tmp_path_factory: pytest.TempPathFactory):
    """A new laptop database gets its schema by copying the one the real migrations built at
    the start of the session (SQLite's backup, page by page), not by running them again.

    The migrations took ~0.1 s per new file (every ``db``/``workspace`` fixture, 3-5 laptops
    per convergence example): minutes of a CI run. Only in this process, only for an empty file
    going to the head: upgrades of older files and processes the tests start (the CLI, the
    app) run the migrations themselves, and tests/store/test_migrations.py checks that the
    copy's schema is the migrations' own. Yields the real ``_migrate``, for that check."""
    from kpidesk.store import database

    migrate = database._migrate
    template = tmp_path_factory.mktemp("schema") / "head.sqlite"
    engine = database._sqlite_engine(template)
    try:
        migrate(engine, database.SCHEMA_HEAD)
    finally:
        engine.dispose()

    def copy_or_migrate(engine, revision: str) -> None:
        if revision == database.SCHEMA_HEAD:
            with engine.connect() as conn:
                target = conn.connection.driver_connection
                if target.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
                    source = sqlite3.connect(template)
                    try:
                        source.backup(target)
                    finally:
                        source.close()
                    return
        migrate(engine, revision)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database, "_migrate", copy_or_migrate)
        yield migrate


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "kpidesk.sqlite"


@pytest.fixture
def db(db_path: Path):
    from kpidesk.store.database import open_database

    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def workspace(db_path: Path):
    """The services on a fresh database, as the app's composition root opens them."""
    from kpidesk.services.workspace import open_workspace

    ws = open_workspace(db_path)
    yield ws
    ws.close()


@pytest.fixture
def python_exe() -> str:
    return sys.executable


# A real Secret Service (gnome-keyring in a private D-Bus session) for the keyring tests.
from tests.secret_service import secret_service  # noqa: E402, F401
