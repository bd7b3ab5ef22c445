"""Applying a server reply on the laptop: merge rule, all-or-nothing, resync."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from kpidesk.domain.hlc import Hlc, HybridClock
from kpidesk.domain.ids import uuid7
from kpidesk.protocol.schemas import Change, SyncResponse
from kpidesk.records.wire import InvalidFieldValueError
from kpidesk.store import meta, replica
from kpidesk.store.changes import changes
from kpidesk.store.tables import outbox

OTHER = "01a00000-0000-7000-8000-0000000000bb"
OWNER = "01a00000-0000-7000-8000-0000000000cc"


def stamp(ms: int, device: str = OTHER) -> str:
    return Hlc(ms, 0, device).encode()


def account_change(row_id, version, ms, cl=1, **fields):
    base = {
        "name": "Serrurerie Dumas", "status": "prospect", "created_status": "prospect",
        "temperature": "warm", "source": "prospecting", "referred_by": None, "sector": None,
        "city": "Lyon", "address": None, "phone": None, "email": None, "notes": None,
        "created_at": "2026-03-02T09:30:00.000000Z",
    }  # fmt: skip
    base.update(fields)
    return Change(
        table="account", id=row_id, cl=cl, server_version=version, owner_id=OWNER,
        fields=base, clocks={"*": stamp(ms)},
    )  # fmt: skip


def reply(*changes_, acked=0, cursor=None, has_more=False, resync=False):
    version = max((c["server_version"] for c in changes_), default=0)
    return SyncResponse(
        acked_mid=acked, changes=list(changes_), next_cursor=cursor or version,
        has_more=has_more, server_hlc=stamp(2_000_000_000_000, "server"), resync=resync,
    )  # fmt: skip


def apply(db, response):
    with db.write() as conn:
        device, _ = meta.ensure_identity(conn)
        clock = HybridClock(device, meta.get(conn, meta.HLC))
        return replica.apply_reply(conn, response, clock)


def row(db, row_id):
    with db.read() as conn:
        return conn.exec_driver_sql(
            "SELECT name, city, temperature, cl, server_version, created_at FROM account"
            " WHERE id = ?", (row_id,),
        ).first()  # fmt: skip


def test_new_rows_are_inserted_with_the_stored_instant_format(db):
    row_id = uuid7()
    report = apply(db, reply(account_change(row_id, 7, 1000)))
    assert report.inserted == 1
    assert tuple(row(db, row_id)) == (
        "Serrurerie Dumas",
        "Lyon",
        "warm",
        1,
        7,
        "2026-03-02 09:30:00.000000",
    )
    with db.read() as conn:
        assert replica.cursor(conn) == 7
        assert meta.get(conn, meta.HLC) > stamp(2_000_000_000_000, "server")  # clock folded


def test_a_pending_local_write_with_a_later_clock_stays(db):
    with db.write() as conn:  # signed in as the row's owner: the row is this rep's own
        meta.put(conn, meta.OWNER_ID, OWNER)
    row_id = uuid7()
    apply(db, reply(account_change(row_id, 1, 1000)))
    with changes(db, now_ms=lambda: 5000) as c:  # local edit at t=5000, not yet sent
        c.update("account", row_id, {"city": "Grenoble"})
    # The server meanwhile has an edit of another field at t=3000 and of city at t=2000.
    later = account_change(row_id, 2, 1000, name="Serrurerie Dumas & Fils", city="Vienne")
    later["clocks"].update({"name": stamp(3000), "city": stamp(2000)})
    apply(db, reply(later))
    name, city, *_ = row(db, row_id)
    assert (name, city) == ("Serrurerie Dumas & Fils", "Grenoble")
    with db.read() as conn:
        pending = conn.execute(sa.select(sa.func.count()).select_from(outbox)).scalar()
    assert pending == 1  # still to be sent


def test_deletion_wins_over_an_older_alive_copy(db):
    row_id = uuid7()
    apply(db, reply(account_change(row_id, 1, 1000, cl=2)))
    apply(db, reply(account_change(row_id, 2, 1000, cl=1)))  # stale alive copy
    assert row(db, row_id).cl == 2


def test_a_garbled_value_changes_nothing(db):
    good, bad = uuid7(), uuid7()
    broken = account_change(bad, 3, 1000, status="bankrupt")
    with pytest.raises(InvalidFieldValueError, match="status"):
        apply(db, reply(account_change(good, 2, 1000), broken))
    assert row(db, good) is None
    with db.read() as conn:
        assert replica.cursor(conn) == 0


def test_acknowledged_mutations_leave_the_outbox(db):
    with changes(db) as c:
        for n in range(3):
            c.create("account", {"name": f"A{n}"})
    apply(db, reply(acked=2, cursor=0))
    with db.read() as conn:
        mids = [r.mid for r in conn.execute(sa.select(outbox.c.mid))]
    assert mids == [3]


def test_resync_removes_rows_the_server_no_longer_has_but_keeps_unsent_work(db):
    kept, purged = uuid7(), uuid7()
    apply(db, reply(account_change(kept, 1, 1000), account_change(purged, 2, 1000)))
    with changes(db) as c:
        local = c.create("account", {"name": "Created offline"})
    apply(db, reply(account_change(kept, 9, 1000), resync=True, cursor=9))
    assert row(db, kept).server_version == 9
    assert row(db, purged) is None
    assert row(db, local) is not None


def test_clock_compaction_keeps_every_stamp():
    clocks = {"a": "1", "b": "1", "c": "2", "d": ""}
    compact = replica.compact_clocks(clocks)
    assert compact == {"*": "1", "c": "2"}


def test_a_reply_announces_only_the_rows_that_really_changed_here(db):
    fresh, known, echoed = uuid7(), uuid7(), uuid7()
    apply(db, reply(account_change(known, 1, 1000), account_change(echoed, 2, 1000)))
    applied = apply(
        db,
        reply(
            account_change(fresh, 3, 1000),
            account_change(known, 4, 5000, city="Annecy"),  # a later value: changes here
            account_change(echoed, 5, 1000),  # the same values again, a newer version only
        ),
    )
    assert applied.changes.ids == {"account": {fresh, known}}
    assert not apply(db, reply(account_change(echoed, 6, 1000))).changes  # nothing to show
