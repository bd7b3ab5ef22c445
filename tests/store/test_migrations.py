"""The schema is made and changed only by Alembic migrations, safely."""

import json
import sqlite3

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kpidesk.store import database
from kpidesk.store.changes import changes
from kpidesk.store.database import SCHEMA_HEAD, open_database
from kpidesk.store.migrations import head_revision, run_downgrade, run_upgrade
from kpidesk.store.tables import metadata


def test_schema_head_constant_is_alembics_head():
    assert head_revision() == SCHEMA_HEAD
    assert database.KNOWN_REVISIONS[-1] == SCHEMA_HEAD


def test_empty_database_is_upgraded_to_head_and_matches_the_tables(db_path):
    db = open_database(db_path)
    with db.engine.connect() as conn:
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    db.close()
    assert version == SCHEMA_HEAD
    assert diff == [], f"migrations and tables disagree: {diff}"
    assert db.backup_path is None  # nothing to back up in a new file


def _everything(path):
    """The schema (as SQLite stores it), the header's ids and every table's rows."""
    conn = sqlite3.connect(path)
    try:
        schema = sorted(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        tables = [name for kind, name, _t, _s in schema if kind == "table"]
        rows = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables}
        header = [
            conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version")
        ]
        return schema, rows, header
    finally:
        conn.close()


def test_a_new_file_in_the_tests_is_what_the_migrations_make(db_path, tmp_path, real_migrations):
    """The tests' new files copy one migration of the session (tests/conftest.py): the copy
    must be what running the migrations on an empty file makes, as the app does."""
    open_database(db_path).close()
    migrated = tmp_path / "migrated.sqlite"
    engine = database._sqlite_engine(migrated)
    try:
        real_migrations(engine, SCHEMA_HEAD)
    finally:
        engine.dispose()
    schema, rows, header = _everything(migrated)
    assert any(name == "account" for _k, name, _t, _s in schema)  # a real schema was compared
    assert header[0] == database.APPLICATION_ID
    assert _everything(db_path) == (schema, rows, header)


def _all_rows(path):
    conn = sqlite3.connect(path)
    try:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall())
            for table in ("account", "contact", "activity", "offer", "objective", "outbox")
        }
    finally:
        conn.close()


def test_downgrade_then_upgrade_keeps_every_record(db_path):
    db = open_database(db_path)
    with changes(db) as c:
        account = c.create("account", {"name": "Garage Dupont", "city": "Lyon"})
        c.create("activity", {"account_id": account, "kind": "visit", "private_note": "p"})
        c.create("offer", {"account_id": account, "amount_cents": 120_000})
    before = _all_rows(db_path)
    assert before["account"] and before["outbox"]
    with db.engine.connect() as conn:
        conn = conn.execution_options(kpidesk_write=True)
        with conn.begin():
            run_downgrade(conn, "0001")
        with conn.begin():
            run_upgrade(conn, "0002")
        with conn.begin():
            run_downgrade(conn, "0002")
        with conn.begin():
            run_upgrade(conn, "head")
    db.close()
    assert _all_rows(db_path) == before
    conn = sqlite3.connect(db_path)
    outbox_sql = conn.execute("SELECT sql FROM sqlite_master WHERE name='outbox'").fetchone()[0]
    conn.close()
    assert "AUTOINCREMENT" in outbox_sql  # mids are never reused


def test_a_backup_is_taken_before_migrating_an_existing_database(db_path):
    # Make a database at the first revision, as an older kpidesk would have left it.
    engine = sa.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={database.APPLICATION_ID}")
        run_upgrade(conn, "0001")
        conn.exec_driver_sql(
            "INSERT INTO account (id, owner_id, clocks, cl, server_version, name, status,"
            " created_status, temperature, source, created_at) VALUES ('a1', 'o', '{}', 1, 0,"
            " 'Hôtel du Lac', 'client', 'client', 'warm', 'referral', '2025-01-02 10:00:00.000000')"
        )
    engine.dispose()

    db = open_database(db_path)
    db.close()
    assert db.backup_path is not None and db.backup_path.exists()
    assert oct(db.backup_path.stat().st_mode & 0o777) == "0o600"
    backup = sqlite3.connect(db.backup_path)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT name FROM account").fetchall() == [("Hôtel du Lac",)]
    backup.close()
    upgraded = sqlite3.connect(db_path)
    assert upgraded.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
    assert upgraded.execute("SELECT name FROM account").fetchall() == [("Hôtel du Lac",)]
    upgraded.close()


def test_a_failed_migration_leaves_the_file_as_it_was(db_path, monkeypatch):
    engine = sa.create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={database.APPLICATION_ID}")
        run_upgrade(conn, "0001")
    engine.dispose()
    # Sabotage: a table with the name the next migration creates makes it fail half-way.
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE suggestion_choice (x)")
    conn.commit()
    conn.close()
    with pytest.raises(database.StoreError, match="cannot upgrade") as err:
        open_database(db_path)
    assert str(db_path) in str(err.value)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='setting'").fetchone() == (
        0,
    )
    conn.close()


def test_downgrading_the_compact_outbox_writes_each_bulk_mutation_in_full(db_path):
    db = open_database(db_path)
    with changes(db) as c:
        ids = c.create_many("account", [{"name": f"Compte {n}", "city": "Lyon"} for n in range(3)])
        c.create("account", {"name": "Seul"})  # an ordinary edit: the full form already
    with db.read() as conn:
        rows = conn.exec_driver_sql("SELECT mid, fields, hlc FROM outbox ORDER BY mid").all()
    stamp = rows[0][2]
    assert stamp and rows[3][2] is None
    with db.engine.connect() as conn:
        conn = conn.execution_options(kpidesk_write=True)
        with conn.begin():
            run_downgrade(conn, "0006")
    db.close()
    conn = sqlite3.connect(db_path)
    try:
        columns = [r[1] for r in conn.execute("PRAGMA table_info(outbox)")]
        after = conn.execute("SELECT mid, row_id, fields FROM outbox ORDER BY mid").fetchall()
    finally:
        conn.close()
    assert "hlc" not in columns
    assert [row_id for _mid, row_id, _f in after[:3]] == ids
    first = json.loads(after[0][2])
    assert first["name"] == {"v": "Compte 0", "hlc": stamp}
    assert first["city"] == {"v": "Lyon", "hlc": stamp}
    assert json.loads(after[3][2]) == json.loads(rows[3][1])  # a full row is left as it was
    assert [mid for mid, *_ in after] == [mid for mid, *_ in rows]
