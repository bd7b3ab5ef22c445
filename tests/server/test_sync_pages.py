"""Compact pages are negotiated: a client that asks (``compact``) gets the rows as arrays in
``pages``, one that does not gets ``changes`` and no ``pages`` key (an older laptop refuses
keys it does not know); both carry the same rows."""

from __future__ import annotations

from datetime import UTC, datetime

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.protocol.schemas import SyncRequest
from kpidesk.store import meta
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop


def test_pages_and_changes_carry_the_same_rows(app, people, tmp_path):
    machine = laptop(app, tmp_path / "rep.sqlite")
    try:
        machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
        garage = machine.workspace.accounts.create({"name": "Garage", "city": None}).id
        machine.workspace.offers.create({"account_id": garage, "amount_cents": 5,
                                         "status": OfferStatus.SENT,
                                         "sent_at": datetime.now(UTC)})  # fmt: skip
        machine.sync()
        _client, connection = machine.session.client()
        with machine.db.read() as conn:
            device_id = meta.get(conn, meta.DEVICE_ID)
        plain = connection.fetch_sync(SyncRequest(device_id=device_id, cursor=0))
        assert "pages" not in plain.json()
        old = connection.read_sync(plain)
        new = connection.sync(SyncRequest(device_id=device_id, cursor=0, compact=True))
    finally:
        machine.close()
    assert new.changes == [] and new.row_count() == old.row_count() == 2
    as_dicts = []
    for page in new.pages:
        for values in page["rows"]:
            cells = dict(zip(page["columns"], values, strict=True))
            head = {k: cells.pop(k) for k in ("id", "owner_id", "cl", "server_version", "clocks")}
            fields = {k: v for k, v in cells.items() if v is not None}
            as_dicts.append({"table": page["table"], **head, "fields": fields})
    assert sorted(as_dicts, key=lambda c: c["id"]) == sorted(old.changes, key=lambda c: c["id"])
