"""The Indicators page, driven as a rep would: the numbers are checked against values worked
out by hand from the records created here, never against the page's own output."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QLocale, QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget

from kpidesk.domain.changes import Changes
from kpidesk.domain.kpis import CATALOGUE, RecordKind
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, PeriodKind, Temperature
from kpidesk.presentation import DASH
from kpidesk.presentation.kpis import KpiDisplay
from kpidesk.services.kpis import KpiService
from kpidesk.services.local_zone import machine_zone
from kpidesk.services.objectives import ObjectiveService
from kpidesk.ui.dialogs.offer_dialogs import OfferDialog
from kpidesk.ui.dialogs.record_dialogs import ActivityDialog
from kpidesk.ui.pages.indicators import ALL
from kpidesk.ui.pages.kpi_detail import RECORDS_TAB
from tests.ui.conftest import outbox_count


def at(month: int, day: int, hour: int = 12) -> datetime:
    # Noon UTC in mid-month: the same local day in any zone the tests may run in.
    return datetime(2025, month, day, hour, tzinfo=UTC)


MARCH = period_containing(PeriodKind.MONTH, date(2025, 3, 15), machine_zone())


@pytest.fixture
def march(workspace):
    """A rep's March 2025 (and one February win), small enough to count by hand.

    March: 3 visits, 2 calls; offers O1 (1,000 €, margin 300 €) and O2 (2,500 €, margin 500 €)
    won, O3 (800 €) lost, all three sent in March. February: 1 visit, offer O4 won (400 €).
    """
    accounts = workspace.accounts
    ids = {
        "client": accounts.create({"name": "Boulangerie Héloïse", "status": AccountStatus.CLIENT,
                                   "temperature": Temperature.WARM}).id,
        "prospect": accounts.create({"name": "Garage Moreau", "status": AccountStatus.PROSPECT,
                                     "temperature": Temperature.HOT}).id,
    }  # fmt: skip
    activities = workspace.activities
    ids["visits"] = [
        activities.create({"account_id": ids[a], "kind": "visit", "purpose": "prospecting",
                           "done_at": at(3, d)}).id
        for a, d in (("client", 5), ("prospect", 12), ("prospect", 19))
    ]  # fmt: skip
    for d in (6, 13):
        activities.create({"account_id": ids["client"], "kind": "call",
                           "purpose": "account_management", "done_at": at(3, d)})  # fmt: skip
    activities.create({"account_id": ids["client"], "kind": "visit",
                       "purpose": "account_management", "done_at": at(2, 10)})  # fmt: skip
    offers = workspace.offers

    def offer(account, ref, amount, margin, sent, status, decided):
        return offers.create({"account_id": ids[account], "reference": ref, "title": ref,
                              "amount_cents": amount, "margin_cents": margin, "status": status,
                              "sent_at": sent, "decided_at": decided}).id  # fmt: skip

    ids["O4"] = offer("client", "O4", 40_000, 10_000, at(2, 3), OfferStatus.WON, at(2, 20))
    ids["O1"] = offer("client", "O1", 100_000, 30_000, at(3, 3), OfferStatus.WON, at(3, 20))
    ids["O2"] = offer("client", "O2", 250_000, 50_000, at(3, 4), OfferStatus.WON, at(3, 25))
    ids["O3"] = offer("prospect", "O3", 80_000, None, at(3, 6), OfferStatus.LOST, at(3, 21))
    return ids


@pytest.fixture
def page(desktop, march):
    desktop.window.show_page("indicators")
    page = desktop.indicators
    page.show_period(MARCH)
    assert page.report is not None and page.report.period == MARCH
    return page


def tile(page, key):
    found = page.boards[ALL].tile(key)
    assert found is not None, key
    return found


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_every_indicator_has_a_tile_showing_the_services_number(page, workspace, desktop):
    tiles = page.boards[ALL].tiles()
    assert [t.key for t in tiles] == [d.key for d in CATALOGUE]
    expected = KpiService(workspace.db, machine_zone()).compute(MARCH)
    display = KpiDisplay(desktop.ctx.fmt, expected.currency)
    for t in tiles:
        assert t.value_label.text() == display.value(t.definition, expected[t.key].value), t.key


def test_the_cli_writes_each_value_as_its_tile_does(page, workspace):
    from kpidesk.commands.kpi import report_as_text

    report = KpiService(workspace.db, machine_zone()).compute(MARCH)
    table = report_as_text(report)
    rows = {}
    for line in table.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) >= 2:
            rows[cells[0]] = cells[1]
    for t in page.boards[ALL].tiles():
        cli_value = rows[t.title.text()]
        assert cli_value == t.value_label.text(), t.key
    assert rows["Conversion rate"] == "67%"  # 2 won of 3 decided, as the page writes it


def test_values_worked_out_by_hand(page):
    assert tile(page, "visits").value_label.text() == "3"
    assert tile(page, "calls").value_label.text() == "2"
    assert tile(page, "offers_sent").value_label.text() == "3"
    conversion = tile(page, "conversion")
    assert conversion.value_label.text() == "67%"  # 2 won of 3 decided (CLDR en_GB: no space)
    assert conversion.fraction_label.text().startswith("2 / 3")
    assert digits(tile(page, "revenue").value_label.text()) == "3500"  # 1,000 + 2,500
    assert digits(tile(page, "margin").value_label.text()) == "800"  # 300 + 500
    # The client stays active (1 of 1: a low-confidence rate, marked so).
    assert tile(page, "retention").fraction_label.text().startswith("1 / 1")
    funnel = page.funnel
    assert digits(funnel.stage_buttons["visits"].text()) == "3"
    assert digits(funnel.stage_buttons["offers_won"].text()) == "2"
    assert [digits(s.text()) for s in funnel.step_labels] == ["100", "67"]


def test_a_rate_over_nothing_is_a_dash_never_zero(page):
    # No account had its first win in March (the client's was in February): no new client.
    recommendation = tile(page, "recommendation")
    assert recommendation.value_label.text() == DASH
    assert recommendation.fraction_label.text().startswith("0 / 0")
    assert "0%" not in recommendation.value_label.text()


def test_no_arrow_for_a_low_confidence_rate(page):
    # Conversion fell from 1 / 1 in February to 2 / 3: too few cases for an arrow.
    conversion = tile(page, "conversion")
    assert conversion.trend_label.text() == ""
    assert "few cases" in conversion.fraction_label.text()
    assert "95% interval" in conversion.toolTip()
    # A count has one: 3 visits against 1 in February.
    assert tile(page, "visits").trend_label.text().startswith("▲ +2")
    assert tile(page, "visits").trend_label.property("state") == "better"


def test_the_period_selector_changes_the_numbers(qtbot, page):
    visits = tile(page, "visits")
    visits.setFocus()
    qtbot.keyClick(visits, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # February
    assert page.report.period.first_day == date(2025, 2, 1)
    assert visits.value_label.text() == "1"
    assert tile(page, "conversion").fraction_label.text().startswith("1 / 1")
    qtbot.keyClick(visits, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # March again
    assert visits.value_label.text() == "3"
    selector = page.selector
    selector.kind.setCurrentIndex(selector.kind.findData(PeriodKind.YEAR.value))
    assert page.report.period.kind is PeriodKind.YEAR  # the running year: nothing logged
    assert page.report.period.first_day.year > 2025
    assert visits.value_label.text() == "0" and visits.so_far_label.isVisible()
    while page.report.period.first_day.year > 2025:
        qtbot.keyClick(visits, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert visits.value_label.text() == "4"  # 3 in March + 1 in February 2025
    assert not visits.so_far_label.isVisible()
    assert digits(tile(page, "revenue").value_label.text()) == "3900"  # with February's 400


def test_a_custom_period_refuses_an_end_before_its_start(page):
    selector = page.selector
    selector.kind.setCurrentIndex(selector.kind.findData(PeriodKind.CUSTOM.value))
    assert page.report.period.kind is PeriodKind.CUSTOM
    selector.first_day.setDate(date(2025, 3, 10))
    selector.last_day.setDate(date(2025, 3, 15))  # 10 to 15 March: one visit (the 12th)
    assert tile(page, "visits").value_label.text() == "1"
    selector.last_day.setDate(date(2025, 3, 1))
    assert "before the first" in selector.custom_error.text()
    assert tile(page, "visits").value_label.text() == "1"  # the last valid period stays


def test_the_detail_lists_exactly_the_counted_records(qtbot, page, march, desktop):
    page.open_detail("conversion")
    detail = page.detail
    assert detail.isVisible() and detail.key == "conversion"
    offers = detail.models[RecordKind.OFFER]
    assert {row.id for row in offers.rows()} == {march["O1"], march["O2"]}  # won
    qtbot.mouseClick(detail.denominator_button, Qt.MouseButton.LeftButton)
    assert {row.id for row in offers.rows()} == {march["O1"], march["O2"], march["O3"]}
    table = detail.tables[RecordKind.OFFER]
    table.setFocus()
    table.selectRow(0)
    opened = table.current_row()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = desktop.actions.last_dialog
    assert isinstance(dialog, OfferDialog)
    assert dialog.reference.text() == opened.reference
    dialog.reject()

    page.open_detail("visits")
    assert {row.id for row in detail.models[RecordKind.ACTIVITY].rows()} == set(march["visits"])
    table = detail.tables[RecordKind.ACTIVITY]
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert isinstance(desktop.actions.last_dialog, ActivityDialog)
    desktop.actions.last_dialog.reject()

    page.open_detail("retention")  # accounts open on the Accounts page
    accounts = detail.models[RecordKind.ACCOUNT]
    assert [row.id for row in accounts.rows()] == [march["client"]]
    table = detail.tables[RecordKind.ACCOUNT]
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert desktop.window.current_page_key() == "accounts"
    assert desktop.accounts.detail.account_id == march["client"]


def test_the_chart_shows_the_last_12_periods(qtbot, page):
    page.open_detail("conversion")
    chart = page.detail.chart
    assert chart is not None
    assert chart.drawn_values == []  # built in this turn of the event loop, drawn in the next
    qtbot.waitUntil(lambda: len(chart.drawn_values) == 12)
    assert chart.drawn_values[-1] == pytest.approx(200 / 3)  # 2 / 3, in percent
    assert chart.drawn_values[-2] == pytest.approx(100.0)  # February: 1 / 1


def test_setting_an_objective_shows_progress_and_persists(qtbot, page, workspace):
    page.open_detail("visits")
    form = page.detail.objective_form
    assert form.selected_kind() is PeriodKind.MONTH  # the kind on screen
    form.target.setValue(6)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    saved = ObjectiveService(workspace.db).find("visits", PeriodKind.MONTH)
    assert saved is not None and saved.target == 6
    visits = tile(page, "visits")
    assert visits.progress.isVisible()
    assert visits.progress.value() == 500  # 3 of 6
    # March is over: 3 visits for a target of 6 is missed (not "behind": nothing can change).
    assert "Missed" in visits.pace_label.text() and "6" in visits.pace_label.text()
    assert not tile(page, "calls").progress.isVisible()
    assert "6" in form.summary.text()


def test_a_negative_target_is_refused_and_nothing_is_saved(qtbot, page, workspace):
    before = outbox_count(workspace)
    page.open_detail("revenue")
    form = page.detail.objective_form
    form.target.setValue(-500)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "zero or more" in form.errors.text_for("target")
    assert ObjectiveService(workspace.db).list() == []
    assert outbox_count(workspace) == before
    assert not tile(page, "revenue").progress.isVisible()


def test_keyboard_reaches_a_tile_and_enter_opens_its_detail(qtbot, page, desktop):
    first = page.boards[ALL].tiles()[0]
    first.setFocus()
    assert QApplication.focusWidget() is first
    qtbot.keyClick(first, Qt.Key.Key_Right)
    second = QApplication.focusWidget()
    assert second is tile(page, "visit_to_offer")
    qtbot.keyClick(second, Qt.Key.Key_Down)
    below = QApplication.focusWidget()
    assert below is not second and below in page.boards[ALL].tiles()
    assert (
        below.mapToGlobal(below.rect().center()).y()
        > second.mapToGlobal(second.rect().center()).y()
    )
    qtbot.keyClick(below, Qt.Key.Key_Return)
    assert page.detail.isVisible() and page.detail.key == below.key
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not page.detail.isVisible()
    assert QApplication.focusWidget() is below


def test_the_drill_down_counts_the_outcomes_of_its_activities(
    qtbot, page, march, workspace, desktop
):
    # Two more March calls with outcomes; March's two calls of the fixture have none.
    for outcome, day in (("voicemail", 7), ("reached", 14), ("voicemail", 21)):
        workspace.activities.create({"account_id": march["client"], "kind": "call",
                                     "purpose": "follow_up", "outcome": outcome,
                                     "done_at": at(3, day)})  # fmt: skip
    desktop.ctx.events.announce(Changes.of(["activity"]))
    page.open_detail("calls")
    page.detail.tabs.setCurrentIndex(RECORDS_TAB)
    # 5 calls in March: voicemail twice, reached once, two with no outcome (not counted).
    qtbot.waitUntil(lambda: "Outcomes" in page.detail.records_caption.text())
    assert page.detail.records_caption.text() == (
        "5 activities counted. Enter opens one. Outcomes: Voicemail 2 · Reached 1."
    )
    page.open_detail("offers_sent")  # offers: no outcome line
    qtbot.waitUntil(lambda: "offer" in page.detail.records_caption.text())
    assert "Outcomes" not in page.detail.records_caption.text()


def test_esc_closes_the_detail_when_a_tile_has_focus(qtbot, page, desktop):
    opened_from = tile(page, "visits")
    opened_from.setFocus()
    qtbot.keyClick(opened_from, Qt.Key.Key_Return)
    assert page.detail.isVisible() and page.detail.key == "visits"
    # The rep goes back to the tiles (the detail stays open beside them), then presses Esc there.
    other = tile(page, "calls")
    other.setFocus()
    assert QApplication.focusWidget() is other
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert not page.detail.isVisible()
    assert QApplication.focusWidget() is opened_from  # back where the detail was opened
    # Closed, Esc on a tile opens nothing and closes nothing.
    qtbot.keyClick(opened_from, Qt.Key.Key_Escape)
    assert not page.detail.isVisible()
    # The period selector has focus: Esc still closes an open detail.
    page.open_detail("calls")
    assert page.detail.isVisible()
    focusable = [
        w
        for w in page.selector.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible()
    ]
    focusable[0].setFocus()
    assert QApplication.focusWidget() is focusable[0]
    qtbot.keyClick(focusable[0], Qt.Key.Key_Escape)
    assert not page.detail.isVisible()


def _box(widget):
    """``widget``'s rectangle in page coordinates."""
    page = widget.window()
    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("custom", [False, True], ids=["month", "custom days"])
@pytest.mark.parametrize("width", [900, 1100, 1366, 1920])
def test_the_controls_fit_at_every_window_width(qtbot, page, desktop, width, custom):
    desktop.window.resize(width, 700)
    qtbot.waitUntil(lambda: desktop.window.width() == width)
    selector = page.selector
    if custom:
        selector.kind.setCurrentIndex(selector.kind.findData(PeriodKind.CUSTOM.value))
    QApplication.processEvents()
    buttons = page.view_buttons.buttons()
    days = [selector.first_day, selector.last_day] if custom else []
    assert all(d.isVisible() for d in days)
    # Nothing elided or squeezed: each control gets at least the width its text asks for.
    for widget in [*buttons, selector.label, selector.kind, *days]:
        assert widget.width() >= widget.sizeHint().width(), (
            widget,
            widget.text() if hasattr(widget, "text") else "",
        )
    label, views = _box(selector.label), _box(buttons[0]).united(_box(buttons[-1]))
    assert not label.intersects(views)
    for day in days:
        assert not _box(day).intersects(label) and not _box(day).intersects(views)
    selector = _box(selector)
    # Everything inside the page, nothing past its right edge.
    right = page.mapTo(page.window(), QPoint(page.width(), 0)).x()
    assert views.right() < right and selector.right() < right
    side_by_side = views.top() < selector.bottom()
    if side_by_side:
        assert views.top() < selector.bottom() and views.left() > selector.right()
    else:
        assert views.top() > selector.bottom() and views.left() == selector.left()
    # The comparison sentence wraps rather than running off the edge.
    assert _box(page.comparison).right() < right
    assert page.comparison.height() >= page.comparison.heightForWidth(page.comparison.width())
    if width <= 900:
        assert not side_by_side  # the width the issue saw crowded: two lines now
    if width >= 1366:
        assert side_by_side


def test_tab_goes_from_the_period_to_its_custom_dates_then_to_the_views(qtbot, page):
    selector = page.selector
    selector.kind.setCurrentIndex(selector.kind.findData(PeriodKind.CUSTOM.value))
    selector.previous_button.setFocus()
    wanted = [selector.first_day, selector.last_day, page.view_buttons.button(0)]
    reached = []
    for _ in range(10):  # a date takes three Tabs: day, month, year
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        widget = next((w for w in wanted if w is focused or w.isAncestorOf(focused)), focused)
        if not reached or reached[-1] is not widget:
            reached.append(widget)
    steps = [w for w in reached if w is not selector.next_button]  # when it is enabled
    assert steps[:3] == wanted


def test_a_change_refreshes_the_same_tiles(page, workspace, march, desktop):
    visits = tile(page, "visits")
    workspace.activities.create({"account_id": march["prospect"], "kind": "visit",
                                 "purpose": "follow_up", "done_at": at(3, 26)})  # fmt: skip
    desktop.ctx.events.announce(Changes.of(["activity"]))
    assert tile(page, "visits") is visits  # updated in place, not rebuilt
    assert visits.value_label.text() == "4"


def test_the_lenses_gather_prospecting_and_closing(qtbot, page):
    qtbot.mouseClick(page.view_buttons.button(1), Qt.MouseButton.LeftButton)
    board = page.current_board()
    assert [t.key for t in board.tiles()] == [
        "visits", "new_prospects", "hot_prospects", "visit_to_offer", "new_clients",
        "recommendation",
    ]  # fmt: skip
    prospecting_visits = board.tile("visits")
    assert prospecting_visits.title.text() == "Prospecting visits"
    assert prospecting_visits.value_label.text() == "3"  # all three March visits prospected
    qtbot.mouseClick(page.view_buttons.button(2), Qt.MouseButton.LeftButton)
    assert page.current_board().tile("conversion") is not None


def test_a_running_period_says_so_far_and_an_empty_one_says_how_it_fills(desktop):
    desktop.window.show_page("indicators")
    page = desktop.indicators
    assert page.report is not None and page.report.is_partial
    assert "so far" in page.selector.label.text()
    assert tile(page, "visits").so_far_label.isVisible()
    assert not tile(page, "conversion").so_far_label.isVisible()  # a rate is not a running sum
    assert page.empty_hint.isVisible()
    assert not page.selector.next_button.isEnabled()  # the future holds no numbers yet


def test_a_running_month_names_the_same_days_of_the_month_before(desktop):
    desktop.window.show_page("indicators")
    page = desktop.indicators
    today = datetime.now(machine_zone()).date()
    running = period_containing(PeriodKind.MONTH, today, machine_zone())
    page.show_period(running)
    assert page.report is not None and page.report.period == running
    days_begun = today.day
    last_month_end = running.first_day - timedelta(days=1)
    shown_last = min(days_begun, last_month_end.day)
    month = QLocale().monthName(last_month_end.month, QLocale.FormatType.ShortFormat)
    expected = (
        f"1 {month} {last_month_end.year} to {shown_last} {month} {last_month_end.year}"
        if shown_last < last_month_end.day
        else None  # the whole previous month has no more days than this one has begun
    )
    text = page.comparison.text()
    if expected is not None:
        assert text.startswith(f"Arrows compare with {expected};"), text
    else:
        assert f"Arrows compare with {QLocale().monthName(last_month_end.month)}" in text, text


def test_pyqtgraph_stays_off_the_start_up_path():
    code = (
        "import sys, kpidesk.ui.desktop, kpidesk.ui.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyqtgraph', 'numpy')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_margin_left_blank_is_left_out_and_the_tile_says_so(page, workspace, march, desktop):
    margin, rate = tile(page, "margin"), tile(page, "margin_rate")
    assert margin.fraction_label.text() == ""  # every March win has its margin
    assert not margin.fraction_label.isVisibleTo(margin)  # and no empty line gaps the tile
    assert rate.value_label.text() == "23%"  # 800 / 3,500
    workspace.offers.create({"account_id": march["client"], "reference": "O5", "title": "O5",
                             "amount_cents": 150_000, "status": OfferStatus.WON,
                             "sent_at": at(3, 7), "decided_at": at(3, 27)})  # fmt: skip
    desktop.ctx.events.announce(Changes.of(["offer"]))
    # 5,000 € won, but O5's margin is unknown: 800 € on O1 and O2, whose 3,500 € it is 23 % of.
    assert digits(tile(page, "revenue").value_label.text()) == "5000"
    assert digits(margin.value_label.text()) == "800"
    assert rate.value_label.text() == "23%"
    assert margin.fraction_label.text() == "on 2 of 3 offers won"
    assert rate.fraction_label.text() == "on 2 of 3 offers won"
    assert margin.fraction_label.isVisibleTo(margin)
    assert "Computed on the offers won with a margin entered" in margin.toolTip()
