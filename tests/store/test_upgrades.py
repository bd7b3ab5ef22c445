"""Every released local schema, as real laptops hold it, upgrades to head keeping every record
(fixtures: tests/upgrades, built by tests/upgrades/build.py)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3

import pytest
import sqlalchemy as sa

from kpidesk.store.database import KNOWN_REVISIONS, SCHEMA_HEAD, open_database
from tests.test_cli import assert_one_line_error, run_cli
from tests.upgrades.rows import all_rows, fixtures, kept

LOCAL = fixtures("local")


def test_every_released_local_revision_has_a_fixture():
    # The head may be the revision being written; every one before it has shipped.
    assert set(KNOWN_REVISIONS[:-1]) <= set(LOCAL), "run: python -m tests.upgrades.build"
    assert set(LOCAL) <= set(KNOWN_REVISIONS)


def _rows(path):
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        return all_rows(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", sorted(LOCAL))
def test_an_old_database_upgrades_to_head_with_every_record(revision, tmp_path):
    path = tmp_path / "rep.sqlite"
    shutil.copyfile(LOCAL[revision], path)
    before = _rows(path)
    assert sum(map(len, before.values())) >= 2 * len(before)  # the fixture holds rows
    db = open_database(path)
    db.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (SCHEMA_HEAD,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert kept(before, _rows(path)) == {}
    if revision != SCHEMA_HEAD:  # and the file as it was is kept aside
        assert db.backup_path is not None
        assert _rows(db.backup_path) == before


def _digest(path):
    """Every byte but the 100-byte file header (opening a file sets its journal mode to WAL
    and bumps its change counter there)."""
    return hashlib.sha256(path.read_bytes()[100:]).hexdigest()


def _dump(path):
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_a_failed_upgrade_leaves_the_file_untouched_and_tells_the_rep(tmp_path):
    path = tmp_path / "rep.sqlite"
    shutil.copyfile(LOCAL["0002"], path)
    # Sabotage: the table migration 0003 creates is already there, so it fails half-way
    # (after 0003 has added the outbox's column in the same transaction).
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE sync_conflict (x)")
    conn.commit()
    conn.close()
    before, digest, dump = _rows(path), _digest(path), _dump(path)
    proc = run_cli("kpi", "--db", path)
    assert_one_line_error(proc, str(path), "could not be upgraded (nothing was changed)",
                          "sync_conflict")  # fmt: skip
    assert _digest(path) == digest
    assert _dump(path) == dump  # the schema and every row, as they were
    assert _rows(path) == before
