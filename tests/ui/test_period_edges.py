"""The Indicators page at the edges of a period, on a fixed clock: the 1st of the month opens on
the month just ended, a finished month says reached or missed, day one gives no verdict, and the
objective's bar is coloured by what it means."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor

from kpidesk.domain.changes import Changes, Kind
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import AccountStatus, PeriodKind
from kpidesk.services.kpis import KpiService
from kpidesk.ui.app import create_application
from kpidesk.ui.desktop import build_pages
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.pages.indicators import ALL
from kpidesk.ui.tasks import TaskRunner

# 1 April 2026, 10:00 UTC: the 1st of the month in every zone the tests may run in.
FIRST_OF_APRIL = datetime(2026, 4, 1, 10, tzinfo=UTC)
GREEN, ORANGE = QColor("#15803d"), QColor("#c2410c")


def visit(workspace, account_id, when):
    workspace.activities.create(
        {"account_id": account_id, "kind": "visit", "purpose": "prospecting", "done_at": when}
    )


@pytest.fixture
def history(workspace):
    """Three visits in March 2026 and one in January: a rep with history."""
    account = workspace.accounts.create({"name": "Garage Moreau", "status": AccountStatus.PROSPECT})
    for day in (3, 10, 17):
        visit(workspace, account.id, datetime(2026, 3, day, 12, tzinfo=UTC))
    visit(workspace, account.id, datetime(2026, 1, 14, 12, tzinfo=UTC))
    return account.id


@pytest.fixture
def open_at(qapp, qtbot, workspace, tmp_path):
    """Opens the real pages with the indicators' clock fixed at the given instant."""
    return lambda now: open_desktop(qtbot, workspace, tmp_path, now)


def open_desktop(qtbot, workspace, tmp_path, now):
    create_application()
    fixed = dataclasses.replace(
        workspace, kpis=KpiService(workspace.db, workspace.tz, clock=lambda: now)
    )
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)  # the shortcuts need it
    app = build_pages(window, fixed, TaskRunner(window, synchronous=True))
    window.show_page("indicators")
    return app.indicators


def test_the_first_of_the_month_opens_on_the_month_just_ended(qtbot, workspace, history, open_at):
    page = open_at(FIRST_OF_APRIL)
    march = period_containing(PeriodKind.MONTH, date(2026, 3, 15), workspace.tz)
    april = period_containing(PeriodKind.MONTH, date(2026, 4, 15), workspace.tz)
    assert page.report is not None and page.report.period == march
    assert page.selector.period == march
    assert page.boards[ALL].tile("visits").value_label.text() == "3"  # 3, 10 and 17 March
    assert page.fallback_hint.isVisible() and not page.empty_hint.isVisible()
    hint = page.fallback_hint.text()
    assert "April 2026" in hint and "March 2026" in hint and "Alt+Home" in hint
    # One key goes to the running month: empty, and saying so.
    page.boards[ALL].tiles()[0].setFocus()
    qtbot.keyClick(page.boards[ALL].tiles()[0], Qt.Key.Key_Home, Qt.KeyboardModifier.AltModifier)
    assert page.report.period == april
    assert page.boards[ALL].tile("visits").value_label.text() == "0"
    assert page.empty_hint.isVisible() and not page.fallback_hint.isVisible()
    # Going back shows March again without the explanation: the rep chose it.
    qtbot.keyClick(page.boards[ALL].tiles()[0], Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert page.report.period == march and not page.fallback_hint.isVisible()


def test_the_first_of_the_month_without_any_history_stays_on_it(qtbot, workspace, open_at):
    page = open_at(FIRST_OF_APRIL)
    april = period_containing(PeriodKind.MONTH, date(2026, 4, 15), workspace.tz)
    assert page.report.period == april
    assert page.empty_hint.isVisible() and not page.fallback_hint.isVisible()


def test_the_first_visit_of_the_month_brings_the_running_month_back(
    qtbot, workspace, history, open_at
):
    page = open_at(FIRST_OF_APRIL)
    assert page.fallback_hint.isVisible()
    april = period_containing(PeriodKind.MONTH, date(2026, 4, 15), workspace.tz)
    workspace.activities.create(
        {"account_id": history, "kind": "call", "purpose": "prospecting",
         "done_at": datetime(2026, 4, 1, 9, tzinfo=UTC)}
    )  # fmt: skip
    page._ctx.events.announce(Changes.of([Kind.ACTIVITY]))
    assert page.report.period == april and not page.fallback_hint.isVisible()
    assert page.boards[ALL].tile("calls").value_label.text() == "1"


def chunk_colour(bar) -> QColor:
    """The colour painted at the start of a progress bar's filled part."""
    image = bar.grab().toImage()
    return QColor(image.pixel(2, image.height() // 2))


def test_a_finished_month_says_reached_or_missed_in_its_colour(qtbot, workspace, history, open_at):
    workspace.objectives.set_target("visits", PeriodKind.MONTH, 3)
    workspace.objectives.set_target("calls", PeriodKind.MONTH, 2)
    # 4 May: March and April are over.
    page = open_at(datetime(2026, 5, 4, 10, tzinfo=UTC))
    march = period_containing(PeriodKind.MONTH, date(2026, 3, 15), workspace.tz)
    page.show_period(march)
    visits, calls = page.boards[ALL].tile("visits"), page.boards[ALL].tile("calls")
    # 3 visits of 3: reached; 0 calls of 2: missed. Never "pace" on a finished month.
    assert visits.pace_label.text().startswith("Reached") and "3" in visits.pace_label.text()
    assert calls.pace_label.text().startswith("Missed")
    assert "pace" not in visits.pace_label.text() + calls.pace_label.text()
    assert visits.progress.value() == 1000 and calls.progress.value() == 0
    assert visits.progress.property("meaning") == "good"
    assert calls.progress.property("meaning") == "bad"
    assert chunk_colour(visits.progress) == GREEN
    workspace.objectives.set_target("visits", PeriodKind.MONTH, 6)
    page._ctx.events.announce(Changes.of([Kind.OBJECTIVE]))
    # 3 of 6: half a bar, orange now that the target is missed.
    assert visits.pace_label.text().startswith("Missed")
    assert visits.progress.value() == 500
    assert chunk_colour(visits.progress) == ORANGE


def test_day_one_with_one_visit_of_310_is_neither_ahead_nor_behind(
    qtbot, workspace, history, open_at
):
    visit(workspace, history, datetime(2026, 4, 1, 8, tzinfo=UTC))
    workspace.objectives.set_target("visits", PeriodKind.MONTH, 310)
    page = open_at(FIRST_OF_APRIL)
    april = period_containing(PeriodKind.MONTH, date(2026, 4, 15), workspace.tz)
    assert page.report.period == april  # something is logged: the running month
    tile = page.boards[ALL].tile("visits")
    text = tile.pace_label.text()
    assert "Ahead" not in text and "Behind" not in text
    # April 2026 has 22 working days (Wed 1 - Thu 30); none is over on the morning of the 1st.
    assert "too early" in text and "0 of 22 working days" in text
    assert tile.progress.property("meaning") == "none"
    assert tile.progress.value() == round(1 / 310 * 1000)


def test_my_objectives_shows_every_target_and_its_pace(qtbot, workspace, history, open_at):
    workspace.objectives.set_target("visits", PeriodKind.MONTH, 310)
    workspace.objectives.set_target("visits", PeriodKind.YEAR, 40)
    workspace.objectives.set_target("offers_sent", PeriodKind.QUARTER, 12)
    page = open_at(FIRST_OF_APRIL)
    qtbot.mouseClick(page.view_buttons.button(3), Qt.MouseButton.LeftButton)
    assert page.views.currentWidget() is page.objectives
    lines = {
        (line.standing.definition.key, line.standing.period.kind): line
        for line in page.objectives.lines
    }
    assert set(lines) == {
        ("visits", PeriodKind.MONTH),
        ("offers_sent", PeriodKind.QUARTER),
        ("visits", PeriodKind.YEAR),
    }
    assert not page.objectives.empty.isVisible()
    # The running periods on 1 April, whatever the page's period (March, just ended).
    month, quarter, year = (
        lines[("visits", PeriodKind.MONTH)],
        lines[("offers_sent", PeriodKind.QUARTER)],
        lines[("visits", PeriodKind.YEAR)],
    )
    assert (month.period.text(), quarter.period.text(), year.period.text()) == (
        "April 2026",
        "Q2 2026",
        "2026",
    )
    assert month.value.text() == "0 of 310" and "too early" in month.pace.text()
    assert month.bar.property("meaning") == "none"
    # The year: 4 visits (January, and three in March) of 40. 64 of its 261 working days are
    # over (Jan 22, Feb 20, Mar 22): more than a fifth, and 4 is under 40 × 64 / 261 ≈ 9.8.
    assert year.value.text() == "4 of 40"
    assert year.standing.progress.working_days_elapsed == 64
    assert year.pace.text().startswith("Behind pace")
    assert year.bar.property("meaning") == "bad"
    assert year.bar.value() == 100  # 4 / 40
    # Enter on a line opens that indicator's detail.
    year.name.setFocus()
    qtbot.keyClick(year.name, Qt.Key.Key_Return)
    assert page.detail.isVisible() and page.detail.key == "visits"


def test_my_objectives_without_any_says_how_to_set_one(qtbot, workspace, open_at):
    page = open_at(FIRST_OF_APRIL)
    qtbot.mouseClick(page.view_buttons.button(3), Qt.MouseButton.LeftButton)
    assert page.objectives.lines == [] and page.objectives.empty.isVisible()
    assert "No objective yet" in page.objectives.empty.text()
