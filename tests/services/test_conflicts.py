"""Conflicts the server reported: read with what names the record, and settled by keeping one
value (a new write when that value is not the one kept; resolved in the same transaction)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from kpidesk.domain.timeutil import to_wire
from kpidesk.domain.vocabulary import ActivityKind, OfferStatus
from kpidesk.services.conflicts import Choice
from kpidesk.store import replica
from kpidesk.store.errors import RecordNotFoundError
from kpidesk.store.tables import outbox, sync_conflict

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def offer(workspace):
    """An offer whose amount the office changed to 11,900 € after the rep's 12,400 €."""
    garage = workspace.accounts.create({"name": "Garage Moreau"}).id
    return workspace.offers.create(
        {"account_id": garage, "reference": "2026-031", "amount_cents": 1_190_000,
         "status": OfferStatus.SENT, "sent_at": T0}
    ).id  # fmt: skip


_VERSIONS = itertools.count(7)


def _record_conflict(workspace, table, row_id, field, yours, theirs, kept="theirs") -> int:
    """As ``replica.apply_reply`` stores one: wire values, the other writer's name, a server
    version of its own (the laptop keeps one conflict per field and version)."""
    with workspace.db.write() as conn:
        return conn.execute(
            sa.insert(sync_conflict).values(
                table_name=table, row_id=row_id, field=field, yours=yours, theirs=theirs,
                their_author="office", kept=kept, server_version=next(_VERSIONS), received_at=T0,
            )
        ).inserted_primary_key[0]  # fmt: skip


def _outbox(workspace) -> list[tuple[str, str, dict]]:
    with workspace.db.read() as conn:
        rows = conn.execute(sa.select(outbox.c.table_name, outbox.c.row_id, outbox.c.fields))
        return [tuple(r) for r in rows]


def _open_ids(workspace) -> list[int]:
    with workspace.db.read() as conn:
        return [c["id"] for c in replica.open_conflicts(conn)]


def test_a_conflict_is_read_with_the_record_and_its_account(workspace, offer):
    _record_conflict(workspace, "offer", offer, "amount_cents", 1_240_000, 1_190_000)
    (item,) = workspace.conflicts.list_open()
    assert (item.field, item.yours, item.theirs, item.kept) == (
        "amount_cents", 1_240_000, 1_190_000, Choice.THEIRS,
    )  # fmt: skip
    assert item.record["reference"] == "2026-031"
    assert item.account_name == "Garage Moreau"
    assert item.their_author == "office"
    assert workspace.conflicts.open_count() == 1


def test_wire_values_come_back_as_instants_and_statuses(workspace, offer):
    _record_conflict(workspace, "offer", offer, "status", "won", "lost")
    _record_conflict(workspace, "offer", offer, "sent_at", to_wire(T0), None)
    status, sent_at = workspace.conflicts.list_open()
    assert (status.yours, status.theirs) == (OfferStatus.WON, OfferStatus.LOST)
    assert (sent_at.yours, sent_at.theirs) == (T0, None)


def test_ids_in_a_conflict_are_named(workspace):
    hotel = workspace.accounts.create({"name": "Hôtel du Lac"}).id
    bakery = workspace.accounts.create({"name": "Boulangerie Héloïse"}).id
    visit = workspace.activities.create(
        {"account_id": hotel, "kind": ActivityKind.VISIT, "done_at": T0}
    ).id
    _record_conflict(workspace, "activity", visit, "account_id", bakery, hotel)
    (item,) = workspace.conflicts.list_open()
    assert item.references == {bakery: "Boulangerie Héloïse", hotel: "Hôtel du Lac"}
    assert item.account_name == "Hôtel du Lac"


def test_keeping_yours_when_theirs_was_kept_is_a_new_write_and_resolves(workspace, offer):
    first = _record_conflict(workspace, "offer", offer, "amount_cents", 1_240_000, 1_180_000)
    second = _record_conflict(workspace, "offer", offer, "amount_cents", 1_240_000, 1_190_000)
    other_field = _record_conflict(workspace, "offer", offer, "title", "Pont", "Pont élévateur")
    before = _outbox(workspace)

    assert workspace.conflicts.keep(second, Choice.YOURS).fields == {"amount_cents"}

    assert workspace.offers.get(offer)["amount_cents"] == 1_240_000
    (mutation,) = _outbox(workspace)[len(before) :]
    assert mutation[:2] == ("offer", offer)
    assert mutation[2]["amount_cents"]["v"] == 1_240_000
    # Both conflicts on the amount are settled (the amount holds the chosen value); not the
    # one on the title.
    assert _open_ids(workspace) == [other_field]
    assert first not in _open_ids(workspace)


def test_keeping_the_value_already_kept_only_marks_it_resolved(workspace, offer):
    conflict = _record_conflict(workspace, "offer", offer, "amount_cents", 1_240_000, 1_190_000)
    before = _outbox(workspace)
    assert not workspace.conflicts.keep(conflict, Choice.THEIRS).fields
    assert _outbox(workspace) == before
    assert workspace.offers.get(offer)["amount_cents"] == 1_190_000
    assert _open_ids(workspace) == []
    assert not workspace.conflicts.keep(conflict, Choice.YOURS)  # settled: a second click


def test_keeping_theirs_when_yours_was_kept_writes_theirs(workspace, offer):
    conflict = _record_conflict(
        workspace, "offer", offer, "amount_cents", 1_190_000, 1_000_000, kept="yours"
    )
    assert workspace.conflicts.keep(conflict, Choice.THEIRS).fields == {"amount_cents"}
    assert workspace.offers.get(offer)["amount_cents"] == 1_000_000
    assert _open_ids(workspace) == []


def test_a_refused_write_leaves_the_conflict_open(workspace, offer):
    conflict = _record_conflict(workspace, "offer", offer, "amount_cents", 1_240_000, 1_190_000)
    workspace.offers.delete(offer)
    before = _outbox(workspace)
    with pytest.raises(RecordNotFoundError):
        workspace.conflicts.keep(conflict, Choice.YOURS)
    assert _open_ids(workspace) == [conflict]  # one transaction: nothing half-done
    assert _outbox(workspace) == before
