"""The Team page and Settings > Sharing, driven as a manager and a rep would, against the
real server: the manager sees the rep's pipeline quality (no activity count until the rep
opts in), proposes an objective, the rep answers with another target, the manager accepts,
and the rep's laptop has the agreed objective; the rep's page shows what the manager's does.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, PeriodKind, Temperature
from kpidesk.presentation.coaching import CoachingWords
from kpidesk.ui.pages.team import TeamMode
from tests.server.desktop.conftest import DesktopLaptop

NOW = datetime.now(UTC)


def _pipeline(ws) -> None:
    hot = ws.accounts.create({"name": "Hôtel Rhône", "status": AccountStatus.PROSPECT,
                              "temperature": Temperature.HOT}).id  # fmt: skip
    ws.offers.create({"account_id": hot, "amount_cents": 1_000_000, "status": OfferStatus.SENT,
                      "sent_at": NOW - timedelta(days=20)})  # fmt: skip
    ws.activities.create({"account_id": hot, "kind": "visit", "done_at": NOW})


def _synced(qtbot, laptop: DesktopLaptop) -> None:
    finished = []
    laptop.sync.sig_sync_finished.connect(finished.append)
    laptop.sync.sync_now()
    qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    assert finished[0] is not None, laptop.status_text


def _team_page(qtbot, laptop: DesktopLaptop):
    # Two windows in one test process share their application-wide shortcuts (Ctrl+6 would be
    # ambiguous): the page is opened as its navigation entry does. The key is tested alone.
    laptop.activate(qtbot)
    laptop.window.show_page("team")
    assert laptop.window.current_page_key() == "team"
    return laptop.desktop.team


def _figures(view) -> dict[str, str]:
    return {key: label.text() for key, label in view.figures.values.items()}


def test_a_manager_coaches_a_rep_from_the_team_page(qtbot, open_desktop, people, client):
    rep = open_desktop("rep", signed_in_as="rep")
    manager = open_desktop("manager", signed_in_as="manager")
    _pipeline(rep.workspace)
    _synced(qtbot, rep)
    _synced(qtbot, manager)

    page = _team_page(qtbot, manager)
    assert page._stack.currentWidget() is page.manager
    assert [r.rep_name for r in page.reps_model.rows()] == ["rep"]
    assert not page.reps.isSortingEnabled()  # reps are never ranked
    figures = _figures(page.rep_detail)
    fmt = manager.desktop.ctx.fmt
    assert figures["pipeline_value"] == fmt.money(1_000_000)
    assert figures["weighted_pipeline"] == fmt.money(600_000)  # hot: 60 %
    assert figures["stale_offers"] == "1"
    assert figures["activity_counts"] == "not shared"
    assert page.rep_detail.offers_model.rows()[0].account_name == "Hôtel Rhône"

    # The rep's "What my manager sees" shows the very same figures.
    mine = _team_page(qtbot, rep)
    assert mine._stack.currentWidget() is mine.mine
    assert TeamMode(mine.mode.currentData()) is TeamMode.MY_MANAGER
    assert _figures(mine.mine_detail) == figures

    # The manager proposes 20,000 € of revenue this month, with the keyboard.
    manager.activate(qtbot)
    page.propose_button.click()
    dialog = manager.desktop.team_wiring.last_dialog
    assert dialog.kpi_key() == "revenue" and dialog.period_kind() is PeriodKind.MONTH
    dialog.target.setValue(20_000)
    qtbot.keyClick(dialog.note, Qt.Key.Key_A)
    dialog.accept()
    assert [p.target for p in manager.workspace.coaching.proposals()] == [2_000_000]

    # The rep sees it at their next sync and answers with 15,000 €.
    _synced(qtbot, rep)
    box = mine.proposals
    assert box.accept_button.isEnabled() and box.counter_button.isEnabled()
    assert not box.withdraw_button.isVisible()
    box.counter_button.click()
    answer = rep.desktop.team_wiring.last_dialog
    assert not answer.indicator.isEnabled()  # an answer keeps the indicator and period
    answer.target.setValue(15_000)
    answer.accept()
    assert not box.accept_button.isEnabled()  # now waiting for the manager
    assert rep.workspace.objectives.list() == []

    # The manager accepts the rep's target; the rep's laptop then has it as their objective.
    _synced(qtbot, manager)
    assert page.proposals.accept_button.isEnabled()
    page.proposals.accept_button.click()
    _synced(qtbot, rep)
    objectives = rep.workspace.objectives.list()
    assert [(o.kpi_key, o.target) for o in objectives] == [("revenue", 1_500_000)]
    assert "agreed" in box.model.rows()[0].state.value


def test_the_rep_decides_from_settings_what_the_manager_sees(qtbot, open_desktop, people, client):
    rep = open_desktop("rep", signed_in_as="rep")
    manager = open_desktop("manager", signed_in_as="manager")
    _pipeline(rep.workspace)
    _synced(qtbot, rep)
    rep.window.show_page("settings")
    sharing = rep.desktop.team_wiring.sharing
    assert sharing.isVisible()
    qtbot.waitUntil(sharing.activities.isEnabled)  # the server said what is shared now
    assert not sharing.activities.isChecked()
    assert "do not see them" in sharing.state.text()
    sharing.activities.click()
    qtbot.waitUntil(sharing.activities.isEnabled)
    seen = client.get("/v1/me/sharing", headers=people.rep.auth).json()
    assert seen == {"activities": True}

    _synced(qtbot, manager)
    page = _team_page(qtbot, manager)
    words = CoachingWords(manager.desktop.ctx.fmt)
    rep_part = page.reps_model.rows()[0]
    assert rep_part.activity_counts.visits == 1
    shown = _figures(page.rep_detail)["activity_counts"]
    assert shown == words.lines(rep_part)[-1].value.replace(" · ", "\n")
    assert shown.splitlines()[0] == "1 visit"
