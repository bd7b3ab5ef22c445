"""The server schema is made and changed only by Alembic, the same on SQLite and PostgreSQL,
and the server refuses to run on a schema that is not its own."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.orm import Session

from kpidesk.domain.timeutil import utc_now
from kpidesk.server import db as server_db
from kpidesk.server import migrations
from kpidesk.server.app import create_app
from kpidesk.server.db import SCHEMA_HEAD, SchemaOutdatedError, make_engine, schema_revision
from kpidesk.server.settings import ServerSettings
from kpidesk.server.tables import Account, metadata


def test_schema_head_constant_is_alembics_head():
    assert migrations.head_revision() == SCHEMA_HEAD
    assert server_db.KNOWN_REVISIONS[-1] == SCHEMA_HEAD


def test_an_empty_database_is_migrated_to_head_and_matches_the_tables(empty_db_url):
    engine = make_engine(sa.make_url(empty_db_url))
    try:
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert schema_revision(conn) == SCHEMA_HEAD
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, metadata)
            counter = conn.execute(sa.text("SELECT id, last_server_version FROM server_state"))
            assert counter.all() == [(1, 0)]
    finally:
        engine.dispose()
    assert diff == [], f"migrations and tables disagree: {diff}"


def test_downgrade_to_nothing_and_back(empty_db_url):
    engine = make_engine(sa.make_url(empty_db_url))
    try:
        migrations.upgrade(engine)
        migrations.downgrade(engine, "base")
        with engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) == {"alembic_version"}
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) == {*metadata.tables, "alembic_version"}
    finally:
        engine.dispose()


def _settings(url: str, tmp_path) -> ServerSettings:
    return ServerSettings(data_dir=tmp_path / "data", database_url=url)


def test_the_server_refuses_an_empty_database(empty_db_url, tmp_path):
    if empty_db_url.startswith("sqlite"):  # no file at all: none is made
        with pytest.raises(server_db.DatabaseError, match=r"no server database at .* run 'kpi"):
            create_app(_settings(empty_db_url, tmp_path))
        assert not Path(empty_db_url.removeprefix("sqlite:///")).exists()
        make_engine(sa.make_url(empty_db_url)).dispose()  # an empty file, as a failed init leaves
    with pytest.raises(SchemaOutdatedError, match="is empty: run 'kpidesk-server init"):
        create_app(_settings(empty_db_url, tmp_path))


def test_the_server_refuses_an_outdated_schema(server_db_url, tmp_path, monkeypatch):
    # This code pretends to need a newer revision than the database holds.
    current = server_db.SCHEMA_HEAD
    monkeypatch.setattr(server_db, "SCHEMA_HEAD", "0099")
    monkeypatch.setattr(server_db, "KNOWN_REVISIONS", (*server_db.KNOWN_REVISIONS, "0099"))
    with pytest.raises(SchemaOutdatedError) as refused:
        create_app(_settings(server_db_url, tmp_path))
    assert f"has schema {current}, this server needs 0099: run 'kpidesk-server migrate'" in str(
        refused.value
    )


def test_the_server_refuses_a_schema_from_a_newer_version(server_db_url, tmp_path):
    engine = make_engine(sa.make_url(server_db_url))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(SchemaOutdatedError, match="newer kpidesk-server: update"):
        create_app(_settings(server_db_url, tmp_path))


def test_the_database_password_is_never_shown_in_errors(tmp_path):
    url = "postgresql+psycopg://kpidesk:hunter2secret@127.0.0.1:1/nowhere"
    with pytest.raises(server_db.DatabaseError) as refused:
        create_app(_settings(url, tmp_path))
    assert "hunter2secret" not in str(refused.value)
    assert "***" in str(refused.value)


def test_0003_adds_sync_progress_and_deletion_times_and_goes_back(empty_db_url):
    engine = make_engine(sa.make_url(empty_db_url))
    account = (
        "INSERT INTO account (id, owner_id, clocks, cl, server_version, name, status,"
        " created_status, temperature, source, created_at) VALUES (:id, 'u1', '{}', :cl, :v,"
        " 'Garage', 'client', 'client', 'hot', 'other', '2026-01-01 00:00:00')"
    )
    try:
        migrations.upgrade(engine, "0002")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO app_user (id, username, password_hash, role, disabled, created_at)"
                " VALUES ('u1', 'marie', 'x', 'rep', false, '2026-01-01 00:00:00')"
            ))  # fmt: skip
            conn.execute(sa.text(
                "INSERT INTO device (id, user_id, name, token_sha256, created_at, last_mid)"
                " VALUES ('d1', 'u1', 'Laptop Marie', 'digest', '2026-01-01 00:00:00', 7)"
            ))  # fmt: skip
            conn.execute(sa.text(account), [{"id": "alive", "cl": 1, "v": 1},
                                            {"id": "deleted", "cl": 2, "v": 2}])  # fmt: skip
        before = utc_now()
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT id, last_mid, synced_to FROM device")).all() == [
                ("d1", 7, 0)
            ]
            deleted = dict(conn.execute(sa.text("SELECT id, deleted_at FROM account")).all())
        assert deleted["alive"] is None
        # Stored as the column stores it: read back through the column's own type.
        with Session(engine) as session:
            when = session.get(Account, "deleted").deleted_at
        assert before <= when <= utc_now()  # unknown until now: the safe answer is "now"

        migrations.downgrade(engine, "0002")
        with engine.connect() as conn:
            inspector = sa.inspect(conn)
            assert "synced_to" not in {c["name"] for c in inspector.get_columns("device")}
            assert "deleted_at" not in {c["name"] for c in inspector.get_columns("account")}
            assert conn.execute(sa.text("SELECT id, cl FROM account ORDER BY id")).all() == [
                ("alive", 1), ("deleted", 2)
            ]  # fmt: skip
            assert conn.execute(sa.text("SELECT last_mid FROM device")).scalar_one() == 7
        migrations.upgrade(engine)
        with engine.connect() as conn:
            assert schema_revision(conn) == SCHEMA_HEAD
    finally:
        engine.dispose()


def test_0004_adds_the_writer_of_each_rows_version_null_for_existing_rows(empty_db_url):
    engine = make_engine(sa.make_url(empty_db_url))
    try:
        migrations.upgrade(engine, "0003")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO account (id, owner_id, clocks, cl, server_version, name, status,"
                " created_status, temperature, source, created_at, versions) VALUES ('a1', 'u1',"
                " '{}', 1, 1, 'Garage', 'client', 'client', 'hot', 'other',"
                " '2026-01-01 00:00:00', '{}')"
            ))  # fmt: skip
        migrations.upgrade(engine)
        with engine.connect() as conn:
            # Nobody is known to hold an existing row: it is sent to every device, as before.
            assert conn.execute(sa.text("SELECT id, written_by FROM account")).all() == [
                ("a1", None)
            ]
        migrations.downgrade(engine, "0003")
        with engine.connect() as conn:
            columns = {c["name"] for c in sa.inspect(conn).get_columns("account")}
            assert "written_by" not in columns
            assert conn.execute(sa.text("SELECT id FROM account")).all() == [("a1",)]
    finally:
        engine.dispose()


def test_0005_adds_the_objective_proposals_and_goes_back(empty_db_url):
    engine = make_engine(sa.make_url(empty_db_url))
    try:
        migrations.upgrade(engine, "0004")
        with engine.connect() as conn:
            assert "objective_proposal" not in sa.inspect(conn).get_table_names()
        migrations.upgrade(engine, "0005")
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            assert {"objective_proposal", "proposal_event"} <= tables
            events = {c["name"] for c in sa.inspect(conn).get_columns("proposal_event")}
            assert events == {"id", "proposal_id", "at", "author_id", "action", "target", "note"}
        migrations.downgrade(engine, "0004")
        with engine.connect() as conn:
            tables = set(sa.inspect(conn).get_table_names())
            assert not {"objective_proposal", "proposal_event"} & tables
    finally:
        engine.dispose()
