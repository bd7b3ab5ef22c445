"""A colleague's records on the rep's laptop (as a sync brings them): listed with their owner's
name, counted in none of the rep's totals, opened read-only, their edit controls disabled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton

from kpidesk.domain.hlc import Hlc, HybridClock
from kpidesk.domain.ids import uuid7
from kpidesk.domain.people import Person, Profile
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.protocol.schemas import Change, SyncResponse
from kpidesk.store import meta, replica
from kpidesk.store.profile import write_profile

NOW = datetime.now(UTC)
COLLEAGUE = str(uuid7())


def _receive_a_colleagues_offer(workspace, mine_account):
    """What a sync would bring: the colleague's offer on an account shared with the rep, and
    the profile that names them."""
    account, offer = str(uuid7()), str(uuid7())
    stamp = Hlc(int(NOW.timestamp() * 1000), 0, "server").encode()

    def change(table, row_id, version, fields):
        return Change(table=table, id=row_id, cl=1, server_version=version,
                      owner_id=COLLEAGUE, fields=fields, clocks={"*": stamp})  # fmt: skip

    sent = (NOW - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    reply = SyncResponse(
        acked_mid=0,
        changes=[
            change("account", account, 1, {"name": "Garage partagé", "status": "prospect",
                   "created_status": "prospect", "temperature": "hot", "source": "referral",
                   "created_at": sent}),
            change("offer", offer, 2, {"account_id": account, "reference": "2026-900",
                   "title": "Pont", "amount_cents": 90_000, "currency": "EUR", "status": "sent",
                   "sent_at": sent, "created_at": sent}),
        ],
        next_cursor=2, has_more=False, server_hlc=stamp,
    )  # fmt: skip
    with workspace.db.write() as conn:
        device, me = meta.ensure_identity(conn)
        replica.apply_reply(conn, reply, HybridClock(device, meta.get(conn, meta.HLC)))
        write_profile(conn, Profile(me, "me", "rep", people=(Person(COLLEAGUE, "bruno"),)), None)
    return account, offer


def test_a_colleagues_offer_is_named_and_read_only_in_the_pipeline(qtbot, seeded, desktop,
                                                                   workspace):  # fmt: skip
    _, offer = _receive_a_colleagues_offer(workspace, seeded["garage"])
    desktop.window.show_page("pipeline")
    page = desktop.pipeline
    owner_column = page.model.owner_column_index()
    page.reload()
    rows = {page.proxy.row_at(r).id: r for r in range(page.proxy.rowCount())}
    assert set(rows) == {seeded["offer"], offer}
    # Totals are the rep's own: 4,800 € open (not 4,800 + 900), the colleague's counted apart.
    assert page.summary.text().startswith("1 open offer · total €4,800 · weighted €2,880")
    assert page.summary.text().endswith("1 colleague's offer shown read-only")
    assert not page.table.isColumnHidden(owner_column)
    owner_index = page.proxy.index(rows[offer], owner_column)
    assert page.proxy.data(owner_index) == "bruno"
    assert page.proxy.data(page.proxy.index(rows[seeded["offer"]], owner_column)) == ""

    buttons = {b.text(): b for b in page.findChildren(QPushButton)}
    page.table.selectRow(rows[offer])
    assert not buttons["Won…"].isEnabled() and not buttons["Edit"].isEnabled()
    page.table.selectRow(rows[seeded["offer"]])
    assert buttons["Won…"].isEnabled() and buttons["Edit"].isEnabled()

    # Deciding it anyway (Enter, a shortcut) is refused with the owner named; nothing written.
    pending = workspace.pending_changes()
    desktop.actions.decide_offer(page.proxy.row_at(rows[offer]), OfferStatus.WON)
    assert "bruno" in desktop.window.toast.text()
    assert workspace.pending_changes() == pending
    assert workspace.offers.get(offer)["status"] is OfferStatus.SENT

    # Opening it shows it read-only, with its owner named and nothing to save.
    desktop.actions.edit_offer(offer)
    dialog = desktop.actions.last_dialog
    assert "bruno" in dialog.findChild(QLabel, "readOnlyNote").text()
    assert dialog.buttons.standardButtons() == QDialogButtonBox.StandardButton.Close
    assert not dialog.amount.isEnabled()
    dialog.reject()


def test_a_colleagues_account_page_offers_no_edit(qtbot, seeded, desktop, workspace):
    account, _ = _receive_a_colleagues_offer(workspace, seeded["garage"])
    desktop.window.show_page("accounts")
    detail = desktop.accounts.detail
    detail.show_account(account)
    assert "bruno" in detail.meta.text()
    assert all(not button.isEnabled() for button in detail._owner_only)
    detail.show_account(seeded["garage"])
    assert all(button.isEnabled() for button in detail._owner_only)
