"""Every local write and its outbox mutation are one transaction (SYNC.md, "Outbox")."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import orjson
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from kpidesk.protocol.schemas import SyncRequest
from kpidesk.store import outbox as outbox_store
from kpidesk.store import replica
from kpidesk.store.changes import changes
from kpidesk.store.errors import NotYoursError, RecordNotFoundError
from kpidesk.store.outbox import wire_fields
from kpidesk.store.tables import outbox


def _outbox(db):
    with db.read() as conn:
        rows = conn.execute(sa.select(outbox).order_by(outbox.c.mid)).mappings()
        # Each mutation's fields as they are pushed, whichever form the row holds.
        return [{**r, "fields": wire_fields(r["fields"], r["hlc"])} for r in rows]


def _count(db, table):
    with db.read() as conn:
        return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()


def test_each_change_writes_exactly_one_mutation(db):
    with changes(db) as c:
        account = c.create("account", {"name": "Fournil Petit"})
    assert len(_outbox(db)) == 1
    with changes(db) as c:
        c.update("account", account, {"city": "Annecy", "temperature": "hot"})
    with changes(db) as c:
        c.update("account", account, {"city": "Annecy"})  # no change: no mutation
    with changes(db) as c:
        c.delete("account", account)
    with changes(db) as c:
        c.delete("account", account)  # already deleted: nothing to send
    with changes(db) as c:
        c.undelete("account", account)
    entries = _outbox(db)
    assert [e["mid"] for e in entries] == [1, 2, 3, 4]
    assert [e["cl"] for e in entries] == [1, 1, 2, 3]
    assert set(entries[1]["fields"]) == {"city", "temperature"}
    assert entries[1]["fields"]["city"]["v"] == "Annecy"
    assert entries[0]["fields"]["name"]["hlc"] < entries[1]["fields"]["city"]["hlc"]
    assert entries[2]["fields"] == {} and entries[3]["fields"] == {}


def test_a_failure_inside_the_transaction_leaves_neither_row_nor_mutation(db):
    with pytest.raises(RuntimeError), changes(db) as c:
        c.create("account", {"name": "Half-written"})
        raise RuntimeError("power cut")
    assert _count(db, "account") == 0
    assert _outbox(db) == []
    with changes(db) as c:  # the mid sequence did not move either: no gap for the server
        c.create("account", {"name": "Next"})
    assert [e["mid"] for e in _outbox(db)] == [1]


def test_invalid_record_is_refused_before_anything_is_written(db):
    with pytest.raises(ValidationError, match="amount_cents"), changes(db) as c:
        c.create("account", {"name": "Ok"})
        c.create("offer", {"account_id": "x", "amount_cents": -5})
    assert _count(db, "account") == 0 and _outbox(db) == []


def test_updating_a_deleted_row_is_refused(db):
    with changes(db) as c:
        account = c.create("account", {"name": "Gone"})
        c.delete("account", account)
    with pytest.raises(RecordNotFoundError), changes(db) as c:
        c.update("account", account, {"name": "Back?"})


_KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from kpidesk.store.changes import changes
    from kpidesk.store.database import open_database
    db = open_database(Path(sys.argv[1]))
    if sys.argv[2] == "before-commit":
        with changes(db) as c:
            c.create("account", {"name": "Never committed"})
            c.conn.exec_driver_sql("SELECT 1")
            os.kill(os.getpid(), signal.SIGKILL)
    else:
        with changes(db) as c:
            c.create("account", {"name": "Committed"})
        print("saved", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("moment", ["before-commit", "after-commit"])
def test_kill_9_keeps_committed_writes_and_drops_the_rest(db, db_path, moment):
    proc = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(db_path), moment],
        capture_output=True, text=True, timeout=60, env={**os.environ},
    )  # fmt: skip
    assert proc.returncode == -signal.SIGKILL
    accounts = _count(db, "account")
    mutations = len(_outbox(db))
    if moment == "before-commit":
        assert (accounts, mutations) == (0, 0)
    else:
        assert proc.stdout.strip() == "saved"
        assert (accounts, mutations) == (1, 1)


def test_private_note_is_stored_locally_but_never_in_the_outbox(db):
    with changes(db) as c:
        account = c.create("account", {"name": "Cabinet Morel"})
        activity = c.create(
            "activity",
            {"account_id": account, "kind": "visit", "private_note": "SECRET-NOTE-1"},
        )
    with changes(db) as c:
        changed = c.update("activity", activity, {"private_note": "SECRET-NOTE-2"})
    assert changed == {"private_note"}
    with db.read() as conn:
        stored = conn.exec_driver_sql("SELECT private_note FROM activity").scalar()
    assert stored == "SECRET-NOTE-2"
    entries = _outbox(db)
    assert len(entries) == 2  # account and activity creation; the note edit sends nothing
    assert "SECRET-NOTE" not in json.dumps(entries)
    assert all("private_note" not in e["fields"] for e in entries)


notes = st.text(min_size=1, max_size=20).map(lambda s: f"PRIVATE<{s}>")
edits = st.lists(
    st.tuples(st.sampled_from(["notes", "outcome", "private_note"]), notes), max_size=8
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first_note=notes, edits=edits)
def test_no_sequence_of_edits_leaks_a_private_note(db, first_note, edits):
    with changes(db) as c:
        account = c.create("account", {"name": "A"})
        activity = c.create(
            "activity", {"account_id": account, "kind": "call", "private_note": first_note}
        )
    private_values = {first_note}
    for i, (field_name, value) in enumerate(edits):
        if field_name == "private_note":
            private_values.add(value)
        else:
            value = f"shared text {i}"  # synced fields carry ordinary text
        with changes(db) as c:
            c.update("activity", activity, {field_name: value})
    dumped = json.dumps(_outbox(db), ensure_ascii=False)
    assert not any(v in dumped for v in private_values)


def test_someone_elses_record_is_read_only_but_a_private_note_stays_possible(db):
    with changes(db) as c:
        account = c.create("account", {"name": "Client d'une collègue"})
        visit = c.create("activity", {"account_id": account, "kind": "visit"})
    with db.write() as conn:  # as a sync brings a colleague's records
        for table in ("account", "activity"):
            conn.exec_driver_sql(f"UPDATE {table} SET owner_id = 'colleague'")
    before = _outbox(db)
    for write in (
        lambda c: c.update("account", account, {"name": "Renamed"}),
        lambda c: c.delete("account", account),
        lambda c: c.update("activity", visit, {"notes": "mine now"}),
    ):
        with pytest.raises(NotYoursError, match="belongs to someone else"), changes(db) as c:
            write(c)
    assert _outbox(db) == before
    with changes(db) as c:  # a note for oneself never leaves the laptop: allowed
        assert c.update("activity", visit, {"private_note": "ask her about it"}) == {"private_note"}
    assert _outbox(db) == before


def test_a_transaction_says_which_records_it_changed(db):
    with changes(db) as c:
        account = c.create("account", {"name": "Fournil Petit"})
        visit = c.create("activity", {"account_id": account, "kind": "visit"})
        c.update("account", account, {"city": "Annecy"})
    assert c.changed().ids == {"account": {account}, "activity": {visit}}
    with changes(db) as c:
        c.update("account", account, {"city": "Annecy"})  # the same value: nothing changed
        c.delete("activity", visit)
    assert c.changed().ids == {"activity": {visit}}


def test_a_bulk_write_goes_through_the_outbox_like_any_other(db):
    rows = [{"name": f"Compte {n}", "city": "Lyon"} for n in range(250)]
    with changes(db) as c:
        ids = c.create_many("account", rows)
    assert len(set(ids)) == 250
    assert c.changed().ids == {"account": set(ids)}
    mutations = _outbox(db)
    assert [m["row_id"] for m in mutations] == ids  # one mutation per record, in order
    stamp = mutations[7]["hlc"]  # the compact form: one stamp for the batch, values only
    assert stamp and {m["hlc"] for m in mutations} == {stamp}
    assert mutations[7]["fields"]["name"] == {"v": "Compte 7", "hlc": stamp}
    assert mutations[7]["fields"]["city"] == {"v": "Lyon", "hlc": stamp}
    with db.read() as conn:
        stored = conn.exec_driver_sql("SELECT fields FROM outbox WHERE mid = 8").scalar_one()
    assert orjson.loads(stored)["name"] == "Compte 7"
    assert _count(db, "account") == 250


def _as_full_form(db):
    """Rewrite every compact outbox row in the full form, as create_many wrote it before."""
    with db.write() as conn:
        rows = conn.execute(sa.select(outbox.c.mid, outbox.c.fields, outbox.c.hlc)).all()
        for mid, fields, hlc in rows:
            full = orjson.dumps(wire_fields(fields, hlc)).decode()
            conn.exec_driver_sql("UPDATE outbox SET fields = ?, hlc = NULL WHERE mid = ?",
                                 (full, mid))  # fmt: skip


def _push_body(db):
    with db.read() as conn:
        mutations = replica.pending_mutations(conn, 1000)
    return SyncRequest(
        device_id="0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b", cursor=0, mutations=mutations
    ).model_dump_json()


def test_a_compact_bulk_mutation_is_pushed_byte_for_byte_as_the_full_form(db):
    rows = [{"name": f"Compte {n}", "city": "Lyon", "temperature": "hot"} for n in range(30)]
    with changes(db) as c:
        c.create_many("account", rows)
        c.create_many("offer", [{"account_id": c.create("account", {"name": "Solo"}),
                                 "amount_cents": 1250, "probability": 0.3,
                                 "sent_at": datetime(2026, 3, 2, 9, 30, tzinfo=UTC)}])  # fmt: skip
    compact = _push_body(db)
    _as_full_form(db)
    assert _push_body(db) == compact
    assert '"hlc"' in compact and '"v":"Lyon"' in compact.replace(" ", "")


def test_a_bulk_write_with_one_bad_row_writes_nothing(db):
    rows = [{"name": "Bon"}, {"name": "x" * 10_000}]
    with pytest.raises(ValidationError), changes(db) as c:
        c.create_many("account", rows)
    assert _count(db, "account") == 0
    assert _outbox(db) == []


def test_a_bulk_write_stores_exactly_what_a_single_write_stores(db):
    # create_many writes with plain sqlite3 (fast); every stored value, its SQLite type and
    # the outbox's JSON must be those of create (SQLAlchemy), field for field.
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from kpidesk.domain.vocabulary import OfferStatus

    sent = datetime(2026, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))
    values = {"account_id": "a" * 36, "reference": "D-1", "amount_cents": 125_000,
              "margin_cents": None, "status": OfferStatus.WON, "sent_at": sent,
              "decided_at": datetime(2026, 3, 9, tzinfo=UTC), "probability": 1,
              "created_at": sent, "title": "Fours\x00"}  # fmt: skip
    with changes(db) as c:
        one = c.create("offer", values)
        many = c.create_many("offer", [values])[0]
    columns = "reference, title, amount_cents, margin_cents, currency, status, sent_at," \
        " decided_at, probability, created_at, cl, server_version, owner_id"  # fmt: skip
    typed = ", ".join(f"{c.strip()}, typeof({c.strip()})" for c in columns.split(","))
    with db.read() as conn:
        rows = {r[0]: r[1:] for r in conn.exec_driver_sql(
            f"SELECT id, {typed} FROM offer").fetchall()}  # fmt: skip
    assert rows[one] == rows[many]
    assert rows[one][2] == "Fours"  # the NUL taken out, on both paths
    first, second = _outbox(db)
    strip = lambda fields: {k: v["v"] for k, v in fields.items()}  # noqa: E731
    assert strip(first["fields"]) == strip(second["fields"])


def test_renumbering_keeps_a_compact_mutation_as_it_is_pushed(db):
    # A restored backup renumbers its waiting changes (store.restore): the batch's stamp too.
    with changes(db) as c:
        c.create("account", {"name": "Seul"})
        c.create_many("account", [{"name": f"Compte {n}", "city": "Lyon"} for n in range(3)])
        c.delete("account", c.create("account", {"name": "Parti"}))
    with db.write() as conn:
        conn.exec_driver_sql("DELETE FROM outbox WHERE mid = 1")  # acknowledged: a gap
    with db.read() as conn:
        before = replica.pending_mutations(conn, 100)
    with db.write() as conn:
        assert outbox_store.renumber(conn) == 5
    with db.read() as conn:
        after = replica.pending_mutations(conn, 100)
    assert [m.mid for m in after] == [1, 2, 3, 4, 5]
    strip = lambda ms: [m.model_dump(exclude={"mid"}) for m in ms]  # noqa: E731
    assert strip(after) == strip(before)
    assert after[0].fields["city"].v == "Lyon" and after[0].fields["city"].hlc
