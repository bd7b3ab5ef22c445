"""`kpidesk-server migrate` refuses a SQLite database a server is serving (its workers would run
on a schema they were not written for), and purge cannot deadlock with syncs on PostgreSQL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.domain.timeutil import utc_now
from kpidesk.server import migrations
from kpidesk.server.db import SCHEMA_HEAD, make_engine
from kpidesk.server.directory import revoke_all_devices
from kpidesk.server.sync.audience import resync_devices_of
from kpidesk.server.sync.purge import purge_tombstones
from tests.server.test_cli import assert_ok, run
from tests.server.test_serve import serving


def _revision(url: str) -> str:
    engine = make_engine(sa.make_url(url))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_migrate_is_refused_while_a_server_serves_the_sqlite_file(server_db_url):
    url = server_db_url
    with serving(url):
        # An outdated schema, as after installing a newer kpidesk-server: migrate would change
        # it under the running server's feet.
        migrations.downgrade(make_engine(sa.make_url(url)), "0003")
        refused = run("migrate", env_url=url, timeout=60)
        assert refused.returncode == 2, refused.stderr
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in refused.stderr
        path = Path(sa.make_url(url).database).resolve()
        assert f"a kpidesk-server is serving {path} right now: stop it" in lines[0]
        assert "nothing was changed" in lines[0]
        assert _revision(url) == "0003"
    assert SCHEMA_HEAD in assert_ok(run("migrate", env_url=url))  # stopped: migrate runs
    assert _revision(url) == SCHEMA_HEAD


A_DEVICE = "00000000-0000-7000-8000-00000000000a"
B_DEVICE = "00000000-0000-7000-8000-00000000000b"


def _waiting(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock'"
        )).scalar()  # fmt: skip


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + 15
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting until {what}")
        time.sleep(0.02)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
@pytest.mark.parametrize("update", ["resync", "revoke"])
def test_purge_and_a_multi_row_device_update_do_not_deadlock(server_db_url, update):
    """A sync holds device A; the purge waits for A (it locks every device, by id); then a
    change that updates both of a user's devices starts. Unordered, that update locks B (found
    first on disk: inserted first) and waits for A: when the sync ends the purge gets A and
    waits for B — a deadlock, and PostgreSQL aborts one of them. Ordered, it waits for A first,
    holding nothing."""
    engine = make_engine(sa.make_url(server_db_url))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO app_user (id, username, password_hash, role, disabled, created_at)"
                " VALUES ('u1', 'marie', 'x', 'rep', false, now())"
            ))  # fmt: skip
            for device in (B_DEVICE, A_DEVICE):  # B first on disk, A first by id
                conn.execute(sa.text(
                    "INSERT INTO device (id, user_id, name, token_sha256, created_at)"
                    " VALUES (:id, 'u1', :id, :id, now())"
                ), {"id": device})  # fmt: skip
        failures: list[BaseException] = []

        def in_session(work):
            def run_it():
                try:
                    with Session(engine) as session, session.begin():
                        work(session)
                except BaseException as exc:  # reported by the test below
                    failures.append(exc)

            thread = threading.Thread(target=run_it)
            thread.start()
            return thread

        def change(session):
            if update == "resync":
                resync_devices_of(session, {"u1"})
            else:
                revoke_all_devices(session, "u1")

        sync = engine.connect()
        sync.begin()
        sync.execute(sa.text("SELECT id FROM device WHERE id = :id FOR UPDATE"), {"id": A_DEVICE})
        purge = in_session(lambda s: purge_tombstones(s, now=utc_now()))
        _until(lambda: _waiting(engine) == 1, "the purge waits for device A")
        other = in_session(change)
        _until(lambda: _waiting(engine) == 2, "the device update waits too")
        sync.commit()  # the sync ends
        sync.close()
        for thread in (purge, other):
            thread.join(timeout=30)
            assert not thread.is_alive()
        assert failures == []
        column = "resync_needed" if update == "resync" else "revoked_at IS NOT NULL"
        with engine.connect() as conn:
            done = conn.execute(sa.text(f"SELECT id, {column} FROM device ORDER BY id")).all()
        assert done == [(A_DEVICE, True), (B_DEVICE, True)]
    finally:
        engine.dispose()
