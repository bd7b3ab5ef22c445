"""No echo: a laptop never downloads back the writes it sent and the server accepted.

Before, a laptop that sent 360 records received all 360 again at its next sync (each with
its new server_version, merging them changed nothing). Every test runs on SQLite and
PostgreSQL (the `app` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.protocol.schemas import SyncRequest
from kpidesk.store import meta
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows

NOW = datetime.now(UTC)
TABLES = ("account", "contact", "activity", "offer", "objective")
N = 120  # accounts, and as many activities and offers: 360 records


def everything(db) -> dict[str, list[tuple]]:
    return {t: table_rows(db, t) for t in TABLES}


@pytest.fixture
def rep_laptop(app, people, tmp_path):
    machine = laptop(app, tmp_path / "rep.sqlite")
    machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
    yield machine
    machine.close()


def _make_records(workspace, n: int) -> None:
    for i in range(n):
        account = workspace.accounts.create({"name": f"Garage {i}", "city": "Annecy"}).id
        workspace.activities.create({"account_id": account, "kind": "call",
                                     "done_at": NOW - timedelta(hours=i)})  # fmt: skip
        workspace.offers.create({"account_id": account, "amount_cents": 1000 + i,
                                 "status": OfferStatus.SENT, "sent_at": NOW})  # fmt: skip


def test_a_laptop_does_not_receive_back_the_records_it_uploaded(rep_laptop):
    _make_records(rep_laptop.workspace, N)
    first = rep_laptop.sync()
    assert first.sent == 3 * N and first.pending == 0
    before = everything(rep_laptop.db)
    again = rep_laptop.sync()
    assert again.received == 0  # was 3 * N: every record came back once
    assert again.steps == 1
    assert everything(rep_laptop.db) == before  # and nothing here moved
    # The cursor moved past them all the same: the next sync starts after them.
    with rep_laptop.db.read() as conn:
        cursor = int(meta.get(conn, "sync_cursor"))
    assert cursor >= 3 * N


def test_edits_of_synced_records_do_not_come_back_either(rep_laptop):
    _make_records(rep_laptop.workspace, 5)
    rep_laptop.sync()
    rep_laptop.sync()
    account = table_rows(rep_laptop.db, "account", "id")[0][0]
    rep_laptop.workspace.accounts.update(account, {"city": "Chambéry"})
    assert rep_laptop.sync().received == 0
    assert rep_laptop.sync().received == 0
    assert ("Chambéry",) in table_rows(rep_laptop.db, "account", "city")


def test_the_same_reps_other_laptop_receives_them_and_both_agree(app, rep_laptop, tmp_path):
    _make_records(rep_laptop.workspace, 10)
    rep_laptop.sync()
    other = laptop(app, tmp_path / "other.sqlite")
    try:
        other.session.sign_in(SERVER_URL, "rep", PASSWORD)
        assert other.sync().received == 30
        # A write merged over a version this laptop had not received comes back to it: the
        # other laptop changes a record, then this one changes the same record unaware.
        account = table_rows(other.db, "account", "id")[0][0]
        other.workspace.accounts.update(account, {"city": "Lyon"})
        other.sync()
        rep_laptop.workspace.accounts.update(account, {"name": "Garage Moreau"})
        rep_laptop.sync()
        other.sync()
        rep_laptop.sync()
        columns = "id, owner_id, cl, name, city"
        assert table_rows(rep_laptop.db, "account", columns) == table_rows(
            other.db, "account", columns
        )
        assert ("Garage Moreau", "Lyon") in table_rows(other.db, "account", "name, city")
    finally:
        other.close()


def test_a_client_that_does_not_ask_for_it_still_gets_its_own_writes(rep_laptop):
    """An older laptop sends no `skip_own`: it keeps the echo it was built for."""
    _make_records(rep_laptop.workspace, 3)
    client, connection = rep_laptop.session.client()
    with rep_laptop.db.read() as conn:
        device_id = meta.get(conn, meta.DEVICE_ID)
    client.sync()
    reply = connection.sync(SyncRequest(device_id=device_id, cursor=0))
    assert len(reply.changes) == 9
    asked = connection.sync(SyncRequest(device_id=device_id, cursor=0, skip_own=True))
    assert asked.changes == [] and asked.next_cursor == reply.next_cursor
