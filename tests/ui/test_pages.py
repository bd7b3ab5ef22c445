"""Accounts, journal, pipeline and forms, driven as a rep would (keys and clicks)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kpidesk.domain.vocabulary import AccountStatus, ActivityKind, OfferStatus, Temperature
from kpidesk.ui.dialogs.complete_activity import CompleteActivityDialog
from kpidesk.ui.dialogs.offer_dialogs import DecideOfferDialog, OfferDialog
from kpidesk.ui.dialogs.record_dialogs import AccountDialog
from kpidesk.ui.formatting import to_qdatetime
from tests.ui.conftest import outbox_count


def _names(shown):
    return [shown.row_at(i).name for i in range(shown.rowCount())]


def test_accounts_search_ignores_case_and_accents_and_filters_by_status(qtbot, seeded, desktop):
    page = desktop.accounts
    desktop.window.show_page("accounts")
    assert _names(page.model) == ["Boulangerie Héloïse", "Garage Moreau", "Hôtel du Lac"]
    qtbot.keyClicks(page.search, "HOTEL")
    assert _names(page.model) == ["Hôtel du Lac"]
    page.search.clear()
    qtbot.keyClicks(page.search, "annecy")  # the city counts too
    assert _names(page.model) == ["Garage Moreau", "Hôtel du Lac"]
    page.status_filter.setCurrentIndex(1)  # prospects and suspects
    assert _names(page.model) == ["Garage Moreau"]
    page.search.clear()
    page.status_filter.setCurrentIndex(2)  # clients
    assert _names(page.model) == ["Boulangerie Héloïse"]


def test_accounts_sort_by_last_contact_through_the_header(qtbot, seeded, desktop):
    page = desktop.accounts
    desktop.window.show_page("accounts")
    header = page.table.horizontalHeader()
    last_contact = 5  # after the (hidden) owner column
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + _section_center(header, last_contact),
    )  # fmt: skip
    first = _names(page.model)
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton,
        pos=header.rect().topLeft() + _section_center(header, last_contact),
    )  # fmt: skip
    second = _names(page.model)
    # Contacts were 2 days (Boulangerie), 9 days (Garage) and 40 days (Hôtel) ago.
    assert {tuple(first), tuple(second)} == {
        ("Hôtel du Lac", "Garage Moreau", "Boulangerie Héloïse"),
        ("Boulangerie Héloïse", "Garage Moreau", "Hôtel du Lac"),
    }


def _section_center(header, section):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(section) + header.sectionSize(section) // 2, 5)


def test_temperature_changes_in_one_click(qtbot, seeded, desktop, workspace):
    desktop.window.show_page("accounts")
    desktop.accounts.open_account(seeded["hotel"])
    detail = desktop.accounts.detail
    assert detail.title.text() == "Hôtel du Lac"
    buttons = detail.temperature_buttons.buttons()
    hot = next(b for b in buttons if b.property("temperature") == "hot")
    qtbot.mouseClick(hot, Qt.MouseButton.LeftButton)
    assert workspace.accounts.get(seeded["hotel"])["temperature"] is Temperature.HOT
    assert hot.isChecked()


def test_journal_filters_by_kind_state_and_account(qtbot, seeded, desktop):
    page = desktop.journal
    desktop.window.show_page("journal")
    # Default: the last 30 days and upcoming. Done, newest first: the visit (2 days ago), then
    # the call (9 days ago); planned, in its own section: the call.
    done = [page.proxy.row_at(i).kind for i in range(page.proxy.rowCount())]
    assert done == [ActivityKind.VISIT, ActivityKind.CALL]
    assert [page.planned_proxy.row_at(0).id] == [seeded["planned"]]
    assert page.planned_proxy.rowCount() == 1
    assert page.done_title.text() == "Done (2)" and page.planned_title.text() == "Planned (1)"
    page.period.setCurrentIndex(2)  # last 90 days: the e-mail of 40 days ago comes in
    assert page.proxy.rowCount() == 3
    page.kind.setCurrentIndex(page.kind.findData(ActivityKind.CALL.value))
    assert (page.proxy.rowCount(), page.planned_proxy.rowCount()) == (1, 1)
    page.state.setCurrentIndex(1)  # planned only: the done section goes
    assert not page.done_section.isVisible() and page.planned_section.isVisible()
    page.state.setCurrentIndex(2)  # done only
    assert page.done_section.isVisible() and not page.planned_section.isVisible()
    page.state.setCurrentIndex(0)
    page.kind.setCurrentIndex(0)
    qtbot.keyClicks(page.account_filter, "heloise")
    assert {page.proxy.row_at(i).account_name for i in range(page.proxy.rowCount())} == {
        "Boulangerie Héloïse"
    }
    assert page.planned_proxy.rowCount() == 0  # the planned call is the garage's


def test_marking_a_planned_activity_done_from_the_journal(qtbot, seeded, desktop, workspace):
    page = desktop.journal
    desktop.window.show_page("journal")
    page.planned_table.setFocus()
    assert page.planned_table.current_row().id == seeded["planned"]
    qtbot.keyClick(page.planned_table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = desktop.actions.last_dialog  # the outcome and the next step, as on Today
    assert isinstance(dialog, CompleteActivityDialog)
    dialog.next_step.choice.setCurrentIndex(dialog.next_step.choice.findData("none"))
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)
    assert workspace.activities.get(seeded["planned"])["done_at"] is not None
    assert page.planned_proxy.rowCount() == 0  # nothing planned any more
    assert page.proxy.rowCount() == 3  # done now: in the done section
    desktop.window.toast.undo()
    assert workspace.activities.get(seeded["planned"])["done_at"] is None


def test_a_negative_amount_is_refused_in_the_form_and_nothing_is_saved(
    qtbot, seeded, desktop, workspace
):
    before = outbox_count(workspace)
    dialog = desktop.actions.new_offer(seeded["garage"])
    assert isinstance(dialog, OfferDialog)
    dialog.amount.setValue(-250)
    qtbot.keyClick(dialog.title_edit, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert "cannot be negative" in dialog.errors.text_for("amount_cents")
    assert outbox_count(workspace) == before


def test_a_decision_before_the_sent_date_is_refused(qtbot, seeded, desktop, workspace):
    desktop.window.show_page("pipeline")
    page = desktop.pipeline
    page.table.selectRow(0)
    offer = page.table.current_row()
    dialog = desktop.actions.decide_offer(offer, OfferStatus.WON)
    assert isinstance(dialog, DecideOfferDialog)
    dialog.decided_at.setDateTime(to_qdatetime(offer.sent_at).addDays(-1))
    qtbot.keyClick(dialog.decided_at, Qt.Key.Key_Return)
    assert "before the sent date" in dialog.errors.text_for("decided_at")
    assert workspace.offers.get(offer.id)["status"] is OfferStatus.SENT


def test_winning_an_offer_from_the_pipeline_makes_a_client(qtbot, seeded, desktop, workspace):
    desktop.window.show_page("pipeline")
    page = desktop.pipeline
    assert "1 open offer ·" in page.summary.text()
    page.table.selectRow(0)
    dialog = desktop.actions.decide_offer(page.table.current_row(), OfferStatus.WON)
    qtbot.keyClick(dialog.decided_at, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert workspace.offers.get(seeded["offer"])["status"] is OfferStatus.WON
    assert workspace.accounts.get(seeded["garage"])["status"] is AccountStatus.CLIENT
    assert page.proxy.rowCount() == 0
    assert page._stack.currentWidget() is page.empty


def test_an_account_without_a_name_is_refused(qtbot, desktop, workspace):
    dialog = desktop.actions.new_account()
    assert isinstance(dialog, AccountDialog)
    qtbot.keyClicks(dialog.name, "   ")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert "name is required" in dialog.errors.text_for("name")
    assert workspace.accounts.list() == []
    dialog.name.setText("Fromagerie Vidal")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert [a.name for a in workspace.accounts.list()] == ["Fromagerie Vidal"]


def test_a_first_time_rep_sees_what_to_do(qtbot, desktop):
    desktop.window.show_page("accounts")
    assert desktop.accounts._list_stack.currentWidget() is desktop.accounts.empty
    assert "Ctrl+L" in desktop.accounts.empty.text()
    desktop.window.show_page("today")
    assert "Ctrl+L" in desktop.today.empty.text()
    assert desktop.today._due_stack.currentWidget() is desktop.today.empty


def test_page_shortcuts(qtbot, desktop):
    pages = ("today", "indicators", "pipeline", "accounts", "journal", "team", "settings")
    for n, key in enumerate(pages, 1):
        qtbot.keyClick(
            QApplication.focusWidget() or desktop.window,
            getattr(Qt.Key, f"Key_{n}"),
            Qt.KeyboardModifier.ControlModifier,
        )
        assert desktop.window.current_page_key() == key


def test_cancelling_the_activity_form_closes_it_and_changes_nothing(qtbot, seeded, desktop):
    activity_id = seeded["planned"]
    before = desktop.ctx.workspace.activities.get(activity_id)
    desktop.actions.edit_activity(activity_id)
    dialog = desktop.actions.last_dialog
    assert dialog.isVisible()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert desktop.ctx.workspace.activities.get(activity_id) == before


def test_accounts_search_widens_again_and_keeps_its_filter_through_a_sort(qtbot, seeded, desktop):
    """The list narrows from the rows shown while the rep types on; deleting a letter or
    sorting must still show every account that matches, and only those."""
    page = desktop.accounts
    desktop.window.show_page("accounts")
    qtbot.keyClicks(page.search, "garage")
    assert _names(page.model) == ["Garage Moreau"]
    for _ in range(6):
        qtbot.keyClick(page.search, Qt.Key.Key_Backspace)
    assert _names(page.model) == ["Boulangerie Héloïse", "Garage Moreau", "Hôtel du Lac"]
    qtbot.keyClicks(page.search, "a")  # every name has an "a"; the cities decide nothing here
    page.model.sort(0, Qt.SortOrder.DescendingOrder)
    assert _names(page.model) == ["Hôtel du Lac", "Garage Moreau", "Boulangerie Héloïse"]
    qtbot.keyClicks(page.search, "nnecy")  # "annecy": the garage and the hotel
    assert _names(page.model) == ["Hôtel du Lac", "Garage Moreau"]
    assert len(page.model.all_rows()) == 3
