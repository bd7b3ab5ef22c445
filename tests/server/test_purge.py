"""Purging old tombstones (SYNC.md, "Deletions"), with real laptops syncing, on both databases.

Old tombstones are made by moving a deletion's time back (``deleted_at``, set by the server
when it accepts a delete) or by purging with ``now`` in the future.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.protocol.auth import Role
from kpidesk.protocol.schemas import SyncRequest
from kpidesk.server import devices, directory
from kpidesk.server.db import current_server_version
from kpidesk.server.security import Passwords
from kpidesk.server.sync.purge import purge_tombstones
from kpidesk.server.tables import SERVER_RECORD_TABLES, Device, ServerState, SyncConflict, table_of
from kpidesk.store import meta
from tests.server.conftest import CHEAP_HASHING, PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows

NOW = datetime.now(UTC)


@pytest.fixture
def laptops(app, db, tmp_path):
    """Marie's two laptops, signed in (Marie has no other device)."""
    with db.session(write=True) as session:
        directory.create_user(session, Passwords(CHEAP_HASHING), "marie", Role.REP, PASSWORD)
    office = laptop(app, tmp_path / "office.sqlite")
    field = laptop(app, tmp_path / "field.sqlite")
    office.session.sign_in(SERVER_URL, "marie", PASSWORD, device_name="Laptop office")
    field.session.sign_in(SERVER_URL, "marie", PASSWORD, device_name="Laptop Marie")
    yield office, field
    office.close()
    field.close()


def settle(*machines):
    """Sync each laptop three times: a laptop's own changes come back in its next sync, and the
    server learns how far a laptop got only from the cursor it sends after that."""
    for _ in range(3):
        for machine in machines:
            machine.sync()


def device_id(machine) -> str:
    with machine.db.read() as conn:
        return meta.get(conn, meta.DEVICE_ID)


def purge(db, **options):
    options.setdefault("now", utc_now())
    with db.session(write=True) as session:
        return purge_tombstones(session, **options)


def backdate(db, table: str, row_id: str, days: int) -> None:
    """Pretend the server accepted this deletion ``days`` days ago."""
    tbl = table_of(SERVER_RECORD_TABLES[table])
    with db.session(write=True) as session:
        moved = session.execute(
            sa.update(tbl)
            .where(tbl.c.id == row_id, tbl.c.cl % 2 == 0)
            .values(deleted_at=utc_now() - timedelta(days=days))
        )
        assert moved.rowcount == 1


def server_rows(db, table: str, columns=("id", "cl")) -> set[tuple]:
    tbl = table_of(SERVER_RECORD_TABLES[table])
    with db.session() as session:
        return {tuple(r) for r in session.execute(sa.select(*(tbl.c[c] for c in columns)))}


def version_of(db, table: str, row_id: str) -> int:
    tbl = table_of(SERVER_RECORD_TABLES[table])
    with db.session() as session:
        return session.execute(
            sa.select(tbl.c.server_version).where(tbl.c.id == row_id)
        ).scalar_one()


def purged_before(db) -> int:
    with db.session() as session:
        return session.get(ServerState, 1).purged_before


def synced_to(db, machine) -> int:
    with db.session() as session:
        return session.get(Device, device_id(machine)).synced_to


def revoke(db, machine) -> None:
    with db.session(write=True) as session:
        devices.revoke(session, device_id(machine))


def add_conflict(db, machine, table: str, row_id: str) -> None:
    with db.session(write=True) as session:
        session.add(
            SyncConflict(device_id=device_id(machine), table_name=table, row_id=row_id,
                         field="city", yours="Lyon", theirs="Vienne", their_author="marie",
                         kept="theirs", server_version=10**9)
        )  # fmt: skip


def conflict_rows(db) -> set[str]:
    with db.session() as session:
        return set(session.scalars(sa.select(SyncConflict.row_id)))


def test_an_old_tombstone_every_device_has_synced_is_purged(laptops, db):
    office, field = laptops
    rep = office.workspace
    recent = rep.accounts.create({"name": "Fermée le mois dernier"}).id
    old = rep.accounts.create({"name": "Fermée l'an dernier"}).id
    live = rep.accounts.create({"name": "Client actif"}).id
    offer = rep.offers.create({"account_id": live, "amount_cents": 120_000,
                               "status": OfferStatus.SENT, "sent_at": NOW}).id  # fmt: skip
    settle(office, field)
    rep.accounts.delete(recent)
    rep.accounts.delete(old)
    settle(office, field)
    backdate(db, "account", old, days=100)
    backdate(db, "account", recent, days=50)
    for row in (old, recent, live):
        add_conflict(db, field, "account", row)
    old_version = version_of(db, "account", old)

    report = purge(db)

    assert report.purged == {"account": 1, "contact": 0, "activity": 0, "offer": 0,
                             "objective": 0}  # fmt: skip
    assert (report.total_kept, report.holders) == (0, [])
    assert server_rows(db, "account") == {(recent, 2), (live, 1)}
    assert server_rows(db, "offer") == {(offer, 1)}
    assert purged_before(db) == report.highest_purged == old_version
    assert conflict_rows(db) == {recent, live}
    # A shorter age purges the other one too; the purge mark never goes down.
    assert version_of(db, "account", recent) < old_version
    report = purge(db, older_than=timedelta(days=30))
    assert report.purged["account"] == 1
    assert server_rows(db, "account") == {(live, 1)}
    assert purged_before(db) == old_version
    # Laptops that had synced past the purge carry on as before, and drop the tombstones the
    # server purged (tests/sync/test_laptop_tombstone_purge.py).
    for machine in (office, field):
        assert machine.sync().rejected == []
        assert table_rows(machine.db, "account", "id, cl") == [(live, 1)]


def test_the_deletion_time_is_when_the_server_accepted_it(laptops, db):
    office, field = laptops
    account = office.workspace.accounts.create({"name": "Supprimée aujourd'hui"}).id
    undeleted = office.workspace.accounts.create({"name": "Supprimée puis rétablie"}).id
    settle(office, field)
    office.workspace.accounts.delete(account)
    office.workspace.accounts.delete(undeleted)
    settle(office, field)
    office.workspace.accounts.undelete(undeleted)
    settle(office, field)
    in_89_days, in_91_days = utc_now() + timedelta(days=89), utc_now() + timedelta(days=91)

    assert purge(db, now=in_89_days).total_purged == 0
    assert server_rows(db, "account") == {(account, 2), (undeleted, 3)}
    report = purge(db, now=in_91_days)
    assert (report.purged["account"], report.total_kept) == (1, 0)
    assert server_rows(db, "account") == {(undeleted, 3)}


def test_a_device_that_has_not_synced_past_a_tombstone_holds_it_back_until_revoked(laptops, db):
    office, field = laptops
    account = office.workspace.accounts.create({"name": "Garage fermé"}).id
    settle(office, field)
    office.workspace.accounts.delete(account)
    settle(office)  # the field laptop stays away
    backdate(db, "account", account, days=120)

    report = purge(db)

    assert report.total_purged == 0
    assert report.kept["account"] == 1
    (holder,) = report.holders
    assert (holder.id, holder.name, holder.username) == (device_id(field), "Laptop Marie", "marie")
    assert holder.last_seen_at is not None
    assert holder.synced_to == synced_to(db, field) < version_of(db, "account", account)
    assert server_rows(db, "account") == {(account, 2)}
    assert purged_before(db) == 0

    assert purge(db, dry_run=True).holders == [holder]  # a dry run says the same
    revoke(db, field)
    report = purge(db)
    assert (report.purged["account"], report.total_kept, report.holders) == (1, 0, [])
    assert server_rows(db, "account") == set()
    assert purged_before(db) == report.highest_purged > 0


def test_a_laptop_behind_the_purge_pulls_everything_again_and_sends_its_unsent_changes(laptops, db):
    office, field = laptops
    gone = office.workspace.accounts.create({"name": "Fermée", "city": "Annecy"}).id
    client = office.workspace.accounts.create({"name": "Client", "city": "Lyon"}).id
    settle(office, field)
    office.workspace.accounts.delete(gone)
    settle(office)
    backdate(db, "account", gone, days=100)
    # The field laptop, offline all along, still has the row alive, and changes not sent yet.
    prospect = field.workspace.accounts.create({"name": "Prospect du salon", "city": "Bourg"}).id
    field.workspace.accounts.update(client, {"city": "Vienne"})
    assert field.session.status().pending == 2
    revoke(db, field)  # reported lost
    assert purge(db).purged["account"] == 1
    assert field.session.status().cursor < purged_before(db)

    # Found again: signed in (the same user, so the laptop keeps its data), then synced.
    field.session.sign_in(SERVER_URL, "marie", PASSWORD, device_name="Laptop Marie")
    report = field.sync()
    office.sync()

    status = field.session.status()
    assert status.pending == 0 and report.rejected == []
    assert status.cursor >= purged_before(db)
    columns = ("id", "cl", "name", "city")
    expected = {(client, 1, "Client", "Vienne"), (prospect, 1, "Prospect du salon", "Bourg")}
    assert server_rows(db, "account", columns) == expected
    # The laptop that pulled everything again holds what the server holds, no more; the
    # other keeps its own tombstone of the purged row (laptops do not purge theirs).
    assert set(table_rows(field.db, "account", ", ".join(columns))) == expected
    office_rows = set(table_rows(office.db, "account", ", ".join(columns)))
    assert {row for row in office_rows if row[1] % 2} == expected


@contextlib.contextmanager
def statements_of(app):
    """The SQL statements the server runs meanwhile (whitespace squeezed)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(" ".join(statement.split()))

    engine = app.state.context.db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def progress_writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith("UPDATE device SET synced_to")]


def test_the_server_records_how_far_each_device_has_synced(laptops, db, app):
    office, _ = laptops
    office.workspace.accounts.create({"name": "Cave Martin"})
    with statements_of(app) as statements:
        settle(office)
    assert len(progress_writes(statements)) == 1
    with db.session() as session:
        top = current_server_version(session)
    assert top > 0
    assert synced_to(db, office) == office.session.status().cursor == top

    with statements_of(app) as statements:
        assert office.sync().steps == 1  # nothing new: the cursor did not move
    assert statements and progress_writes(statements) == []

    _client, connection = office.session.client()
    try:  # a cursor beyond the counter is not progress
        connection.sync(SyncRequest(device_id=device_id(office), cursor=top + 1000))
    finally:
        connection.close()
    assert synced_to(db, office) == top


def test_without_any_device_able_to_sync_everything_old_enough_goes(laptops, db):
    office, field = laptops
    account = office.workspace.accounts.create({"name": "Dernier client"}).id
    office.sync()
    office.workspace.accounts.delete(account)
    office.sync()  # neither laptop has told the server it applied the deletion
    assert purge(db, now=utc_now() + timedelta(days=91)).total_purged == 0
    revoke(db, office)
    revoke(db, field)
    report = purge(db, now=utc_now() + timedelta(days=91))
    assert report.purged["account"] == 1
    with db.session() as session:
        assert report.horizon == current_server_version(session)
