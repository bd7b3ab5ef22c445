"""Layouts that fit: the telling column on screen at 1366 × 768, tiles filling a wide screen,
the detail's records list given the height, the window filling a laptop screen. (The black
scroll-bar groove showed only on a real X server: it was checked there, with xshot.)"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.pages.indicators import ALL
from kpidesk.ui.pages.kpi_detail import RECORDS_TAB


@pytest.fixture
def laptop_size(desktop):
    desktop.window.setWindowState(Qt.WindowState.WindowNoState)
    desktop.window.resize(1366, 740)
    return desktop


def test_the_pipeline_title_is_on_screen_beside_the_account(qtbot, seeded, laptop_size):
    desktop = laptop_size
    desktop.window.show_page("pipeline")
    table = desktop.pipeline.table
    model = desktop.pipeline.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    title = titles.index("Title")
    assert titles.index("Account") < title < titles.index("Amount")
    header = table.horizontalHeader()
    right_edge = header.sectionViewportPosition(title) + header.sectionSize(title)
    assert header.sectionViewportPosition(title) >= 0 and right_edge <= table.viewport().width()
    # Every column fits: no horizontal scrolling to reach the status.
    assert table.horizontalScrollBar().maximum() == 0
    # The title takes the width the others leave: the columns end at the viewport's edge.
    last = max(c for c in range(model.columnCount()) if not table.isColumnHidden(c))
    end = header.sectionViewportPosition(last) + header.sectionSize(last)
    assert end == table.viewport().width()


def test_tiles_widen_rather_than_leave_empty_columns(qtbot, desktop):
    desktop.window.setWindowState(Qt.WindowState.WindowNoState)
    desktop.window.resize(1900, 1000)
    desktop.window.show_page("indicators")
    board = desktop.indicators.boards[ALL]
    longest = max(len(section.tiles) for section in board.sections)
    assert all(section.columns == longest for section in board.sections)
    desktop.window.resize(900, 700)
    qtbot.waitUntil(lambda: board.sections[0].columns < longest)
    # Narrow: as many as fit, at least one.
    assert 1 <= board.sections[0].columns < longest


def test_the_records_tab_gives_the_list_the_charts_height(qtbot, seeded, desktop):
    desktop.window.show_page("indicators")
    page = desktop.indicators
    page.open_detail("conversion")
    detail = page.detail
    assert detail.chart_area.isVisible()
    detail.tabs.setCurrentIndex(RECORDS_TAB)
    assert not detail.chart_area.isVisible()
    detail.tabs.setCurrentIndex(0)
    assert detail.chart_area.isVisible()


def test_the_first_window_fills_a_laptop_screen(qtbot, tmp_path):
    window = MainWindow(QSettings(str(tmp_path / "fresh.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    if screen.width() <= 1440 or screen.height() <= 900:
        assert window.windowState() & Qt.WindowState.WindowMaximized
    else:
        assert window.width() == int(screen.width() * 0.9)
