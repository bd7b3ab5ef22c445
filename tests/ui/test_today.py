"""The Today page: suggestions acted on with the keyboard, planned work done in one keystroke."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kpidesk.domain.changes import Changes
from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose, OfferStatus
from kpidesk.services.rows import ActivityFilter
from kpidesk.ui.dialogs.complete_activity import CompleteActivityDialog

NOW = datetime.now(UTC)


def test_enter_on_a_stale_offer_suggestion_plans_the_follow_up(qtbot, workspace, desktop):
    account = workspace.accounts.create({"name": "Transports Faure"}).id
    offer = workspace.offers.create(
        {"account_id": account, "amount_cents": 900_000, "status": OfferStatus.SENT,
         "sent_at": NOW - timedelta(days=12), "reference": "2026-077"}
    ).id  # fmt: skip
    desktop.ctx.events.announce(Changes.of(["offer"]))
    desktop.window.show_page("today")
    page = desktop.today
    keys = [s.subject_key for s in page.suggestions.suggestions()]
    assert keys == [f"offer:{offer}"]
    page.suggestions.setFocus()
    qtbot.keyClick(page.suggestions, Qt.Key.Key_Return)
    planned = workspace.activities.list(ActivityFilter(planned=True, offer_id=offer))
    assert len(planned) == 1
    assert planned[0].purpose is ActivityPurpose.FOLLOW_UP
    assert planned[0].due_at > NOW
    assert page.suggestions.suggestions() == []  # acted on: gone
    assert page._suggestion_stack.currentWidget() is page.no_suggestion
    desktop.window.toast.undo()  # and the undo brings it back
    assert [s.subject_key for s in page.suggestions.suggestions()] == [f"offer:{offer}"]


def test_del_dismisses_a_suggestion_for_good(qtbot, workspace, desktop):
    account = workspace.accounts.create({"name": "Garage Moreau"}).id
    workspace.offers.create(
        {"account_id": account, "amount_cents": 10_000, "status": OfferStatus.SENT,
         "sent_at": NOW - timedelta(days=20)}
    )  # fmt: skip
    desktop.ctx.events.announce(Changes.of(["offer"]))
    desktop.window.show_page("today")
    page = desktop.today
    assert len(page.suggestions.suggestions()) == 1
    qtbot.keyClick(page.suggestions, Qt.Key.Key_Delete)
    assert page.suggestions.suggestions() == []
    assert workspace.suggestions.today() == []


def test_ctrl_d_completes_a_due_call_and_plans_the_next_step(qtbot, workspace, desktop):
    account = workspace.accounts.create({"name": "Hôtel du Lac"}).id
    due = workspace.activities.plan(account, NOW - timedelta(hours=1)).id
    desktop.ctx.events.announce(Changes.of(["activity"]))
    desktop.window.show_page("today")
    page = desktop.today
    page.due_table.setFocus()
    page.due_table.selectRow(0)
    qtbot.keyClick(page.due_table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    dialog = desktop.actions.last_dialog
    assert isinstance(dialog, CompleteActivityDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.outcome.hasFocus()  # the first field
    qtbot.keyClicks(dialog.outcome, "r")  # "Reached"
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Tab)
    qtbot.keyClicks(dialog.notes, "Rendez-vous jeudi")
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)
    done = workspace.activities.get(due)
    assert done["outcome"] == "reached"
    assert done["notes"] == "Rendez-vous jeudi"
    assert done["done_at"] is not None
    upcoming = [r for r in page.upcoming_model.rows() if r.account_id == account]
    assert len(upcoming) == 1  # the next step: a call 7 days later at 09:30, on a working day
    expected = (done["done_at"].astimezone() + timedelta(days=7)).date()
    expected += timedelta(days={6: 2, 7: 1}.get(expected.isoweekday(), 0))
    step = upcoming[0].due_at.astimezone()
    assert (step.date(), step.hour, step.minute) == (expected, 9, 30)
    assert upcoming[0].kind is ActivityKind.CALL


def test_the_hot_list_ranks_open_offers_by_weighted_value(qtbot, workspace, desktop):
    hot = workspace.accounts.create({"name": "Hot", "temperature": "hot"}).id
    cold = workspace.accounts.create({"name": "Cold", "temperature": "cold"}).id
    prospect = workspace.accounts.create({"name": "Hot prospect", "temperature": "hot"}).id
    for account, amount in ((hot, 100_000), (cold, 500_000)):
        workspace.offers.create({"account_id": account, "amount_cents": amount,
                                 "status": "sent", "sent_at": NOW})  # fmt: skip
    desktop.ctx.events.announce(Changes.of(["offer"]))
    rows = desktop.today.hot_model.rows()
    # hot: 100,000 x 0.6 = 60,000; cold: 500,000 x 0.1 = 50,000; then the hot prospect.
    assert [(r.account_id, r.weighted_cents) for r in rows] == [
        (hot, 60_000),
        (cold, 50_000),
        (prospect, 0),
    ]


def test_a_suggestion_about_an_indicator_opens_its_detail(qtbot, workspace, desktop):
    from kpidesk.domain.i18n import Message
    from kpidesk.domain.suggestions import ActionKind, SuggestedAction, Suggestion

    suggestion = Suggestion(
        rule="conversion_drop", subject_key="kpi:conversion",
        title=Message("t"), why=Message("w"),
        action=SuggestedAction(ActionKind.OPEN_INDICATOR, Message("a"),
                               kpi_key="conversion"),
        priority=45, records=(), fingerprint="",
    )  # fmt: skip
    desktop.today.act_on(suggestion)
    assert desktop.window.current_page_key() == "indicators"
    assert desktop.indicators.detail.isVisible()
    assert desktop.indicators.detail.key == "conversion"
