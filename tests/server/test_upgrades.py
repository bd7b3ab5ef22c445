"""Every released server schema upgrades to head keeping every record, on SQLite (the fixture
file itself) and on PostgreSQL (the fixture's rows loaded into a database at that revision)."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from kpidesk.server import migrations
from kpidesk.server.db import KNOWN_REVISIONS, SCHEMA_HEAD, check_schema, make_engine
from tests.upgrades.rows import all_rows, fixtures, kept

SERVER = fixtures("server")


def test_every_released_server_revision_has_a_fixture():
    # The head may be the revision being written; every one before it has shipped.
    assert set(KNOWN_REVISIONS[:-1]) <= set(SERVER), "run: python -m tests.upgrades.build"
    assert set(SERVER) <= set(KNOWN_REVISIONS)


def _fixture_rows(revision):
    engine = sa.create_engine(f"sqlite:///{SERVER[revision]}")
    try:
        return all_rows(engine)
    finally:
        engine.dispose()


def _load(engine: sa.Engine, rows) -> None:
    """Put the fixture's rows into a database migrated to the same revision."""
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.delete())  # the row the migration made (the counter)
                conn.execute(table.insert(), rows[table.name])


@pytest.mark.parametrize("revision", sorted(SERVER))
def test_an_old_server_database_upgrades_to_head_with_every_record(
    revision, backend, empty_db_url, tmp_path
):
    before = _fixture_rows(revision)
    assert sum(map(len, before.values())) >= len(before)
    if backend == "sqlite":
        target = tmp_path / "kpidesk-server.sqlite"
        shutil.copyfile(SERVER[revision], target)
        url = f"sqlite:///{target}"
    else:
        url = empty_db_url
    engine = make_engine(sa.make_url(url))
    try:
        if backend != "sqlite":
            migrations.upgrade(engine, revision)
            _load(engine, before)
            assert kept(before, all_rows(engine)) == {}  # loaded as the fixture holds them
        migrations.upgrade(engine)
        check_schema(engine)  # the server would run on it
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
        after = all_rows(engine)
    finally:
        engine.dispose()
    assert version == SCHEMA_HEAD
    assert kept(before, after) == {}
