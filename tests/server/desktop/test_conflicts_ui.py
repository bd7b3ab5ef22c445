"""The Conflicts view: a conflict made by two laptops reads in business words, and the rep keeps
either value (their own is written again and synced; the one kept is only marked reviewed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt

from kpidesk.domain.changes import Changes
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.store import replica
from kpidesk.ui.dialogs.conflicts import ConflictsDialog
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
NOW = datetime.now(UTC)


def _outbox(workspace) -> list[tuple[str, dict]]:
    rows = table_rows(workspace.db, "outbox", "row_id, fields")
    return [(row_id, json.loads(fields)) for row_id, fields in rows]


@pytest.fixture
def crossed(open_desktop, people, app, tmp_path):
    """The rep's desktop and another computer of the rep: both changed an offer's amount and
    title offline, the other computer later; the other synced first."""
    rep = open_desktop(signed_in_as="rep")
    other = laptop(app, tmp_path / "other.sqlite")
    other.session.sign_in(SERVER_URL, "rep", PASSWORD)
    garage = rep.workspace.accounts.create({"name": "Garage Moreau"}).id
    offer = rep.workspace.offers.create(
        {"account_id": garage, "reference": "2026-031", "title": "Pont élévateur",
         "amount_cents": 1_000_000, "status": OfferStatus.SENT, "sent_at": NOW}
    ).id  # fmt: skip
    rep.sync.sync_now()
    other.sync()
    rep.workspace.offers.update(offer, {"amount_cents": 1_240_000, "title": "Pont 2 colonnes"})
    other.workspace.offers.update(offer, {"amount_cents": 1_190_000, "title": "Pont 4 colonnes"})
    other.sync()
    rep.desktop.ctx.events.announce(Changes.of(["offer"]))
    rep.sync.sync_now()
    yield rep, other, offer
    other.close()


def test_a_conflict_from_two_laptops_reads_in_business_words(crossed):
    rep, _other, _offer = crossed
    assert rep.sync.state.conflicts == 2
    link = rep.desktop.sync_status.conflicts
    assert link.isVisible()
    assert "2 conflicts to review" in link.text()
    assert "review them" in rep.window.toast.text()
    link.linkActivated.emit("#conflicts")  # what a click on the link does
    dialog = rep.desktop.conflicts_dialog
    assert isinstance(dialog, ConflictsDialog) and dialog.isVisible()
    money = rep.desktop.ctx.fmt.money
    assert sorted(card.sentence.text() for card in dialog.cards) == [
        f"Offer 2026-031 (Garage Moreau), amount: yours {money(1_240_000)}, your other computer "
        f"{money(1_190_000)}; your other computer's was kept because it was later.",
        "Offer 2026-031 (Garage Moreau), title: yours “Pont 2 colonnes”, your other computer "
        "“Pont 4 colonnes”; your other computer's was kept because it was later.",
    ]
    card = dialog.cards[0]
    assert (card.keep_yours.text(), card.keep_theirs.text()) == (
        "Keep yours", "Keep your other computer's",
    )  # fmt: skip


def test_keeping_mine_writes_it_and_keeping_theirs_only_resolves(qtbot, crossed):
    rep, other, offer = crossed
    rep.desktop.sync_status.conflicts.linkActivated.emit("#conflicts")
    dialog = rep.desktop.conflicts_dialog
    by_field = {card.item.field: card for card in dialog.cards}
    before = _outbox(rep.workspace)
    assert before == []

    qtbot.mouseClick(by_field["amount_cents"].keep_yours, Qt.MouseButton.LeftButton)
    assert rep.workspace.offers.get(offer)["amount_cents"] == 1_240_000
    ((row_id, fields),) = _outbox(rep.workspace)
    assert row_id == offer
    assert set(fields) == {"amount_cents"}
    assert fields["amount_cents"]["v"] == 1_240_000
    assert [card.item.field for card in dialog.cards] == ["title"]  # the list reloaded

    qtbot.mouseClick(dialog.cards[0].keep_theirs, Qt.MouseButton.LeftButton)
    assert rep.workspace.offers.get(offer)["title"] == "Pont 4 colonnes"
    assert len(_outbox(rep.workspace)) == 1  # no write for the value already kept
    with rep.workspace.db.read() as conn:
        assert replica.open_conflicts(conn) == []
    assert dialog.cards == [] and dialog.empty.isVisible()
    assert not rep.desktop.sync_status.conflicts.isVisible()

    rep.sync.sync_now()  # the value kept is an ordinary change: it reaches the other computer
    other.sync()
    assert table_rows(other.db, "offer", "amount_cents, title") == [(1_240_000, "Pont 4 colonnes")]


def test_settings_offers_no_review_when_there_is_nothing_to_review(qtbot, open_desktop, people):
    rep = open_desktop(signed_in_as="rep")
    rep.sync.sync_now()
    rep.window.show_page("settings")
    connected = rep.desktop.settings.server.connected
    assert connected.conflicts.text() == "none"
    assert not connected.review_button.isVisible()
    assert connected.isVisible()
