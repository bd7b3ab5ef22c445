"""Offer references stay unique when several laptops number offers offline (SYNC.md,
domain/references.py): new ones carry the laptop's tag, old duplicates are renumbered."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest

from kpidesk.domain.references import device_tag
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.store import meta
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows

SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def two_laptops(app, people, tmp_path):
    first = laptop(app, tmp_path / "first.sqlite")
    second = laptop(app, tmp_path / "second.sqlite")
    for machine in (first, second):
        machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
    yield first, second
    first.close()
    second.close()


def _offer(machine, account, **values):
    return machine.workspace.offers.create({"account_id": account, "amount_cents": 100_000,
                                            "status": OfferStatus.SENT, "sent_at": SENT,
                                            **values}).id  # fmt: skip


def _tag(machine):
    with machine.db.read() as conn:
        return device_tag(meta.get(conn, meta.DEVICE_ID))


def _references(machine):
    return sorted(r[0] for r in table_rows(machine.db, "offer", "reference"))


def test_the_tag_is_four_unambiguous_characters_of_the_device_id():
    device = uuid.UUID(int=(0b00001_00010_11110_11111)).hex  # last 20 bits: 1, 2, 30, 31
    assert device_tag(str(uuid.UUID(device))) == "12YZ"
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}", device_tag(str(uuid.uuid4())))


def test_two_laptops_of_one_rep_number_offers_apart(two_laptops):
    first, second = two_laptops
    first_account = first.workspace.accounts.create({"name": "Garage Moreau"}).id
    second_account = second.workspace.accounts.create({"name": "Hôtel du Lac"}).id
    for _ in range(2):  # offline, on both
        _offer(first, first_account)
        _offer(second, second_account)
    for machine in (first, second, first):
        machine.sync()
    tags = [_tag(m) for m in (first, second)]
    assert tags[0] != tags[1]
    expected = sorted(f"2026-{tag}-{n:03d}" for tag in tags for n in (1, 2))
    assert _references(first) == _references(second) == expected
    assert first.session.status().pending == second.session.status().pending == 0


def test_old_duplicates_are_renumbered_by_the_laptop_that_wrote_them(two_laptops, people):
    first, second = two_laptops
    account = first.workspace.accounts.create({"name": "Garage Moreau"}).id
    first.sync()
    second.sync()
    # Numbered as kpidesk did before the tag: both laptops made a "2026-001".
    mine = _offer(first, account, reference="2026-001")
    theirs = _offer(second, account, reference="2026-001")
    unique = _offer(second, account, reference="2026-002")
    typed = _offer(first, account, reference="DEVIS-7")
    first.sync()
    second.sync()
    first.sync()
    first_tag = _tag(first)
    second_tag = _tag(second)
    by_id = dict(table_rows(first.db, "offer", "id, reference"))
    # The second laptop met the duplicate first (its sync brought the first's "2026-001") and
    # renamed its own copy; the first then had the only "2026-001" and kept it (it may be on
    # a quote a customer holds).
    assert by_id == {mine: "2026-001", theirs: f"2026-{second_tag}-001",
                     unique: "2026-002", typed: "DEVIS-7"}  # fmt: skip
    assert first_tag != second_tag
    assert dict(table_rows(second.db, "offer", "id, reference")) == by_id
    assert first.session.status().pending == second.session.status().pending == 0
