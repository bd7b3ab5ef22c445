"""Pages built on their first visit: the start builds Today only; a shortcut, a link from
another page, or idle time builds the others, each wired as before."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kpidesk.ui.desktop import build_remaining_pages
from kpidesk.ui.pages.indicators import IndicatorsPage
from kpidesk.ui.pages.journal import JournalPage
from kpidesk.ui.pages.settings import SettingsPage

OTHERS = ["indicators", "pipeline", "accounts", "journal", "team", "settings"]


def test_only_today_is_built_at_start(desktop):
    window = desktop.window
    assert window.is_built("today")
    assert window.unbuilt_pages() == OTHERS
    assert window._nav.count() == 7  # every page is in the list, with its shortcut, at once


def test_a_shortcut_builds_the_page_and_shows_it(desktop, qtbot):
    window = desktop.window
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    page = window._stack.currentWidget()
    assert isinstance(page, JournalPage)
    assert window.current_page_key() == "journal" and window.is_built("journal")
    assert desktop.journal is page  # the same page, built once
    assert "settings" in window.unbuilt_pages()


def test_a_link_from_today_builds_the_indicators_page_and_opens_the_detail(desktop, seeded):
    desktop.today.sig_open_indicator_requested.emit("conversion")
    page = desktop.window._stack.currentWidget()
    assert isinstance(page, IndicatorsPage)
    assert page.detail.isVisible() and page.detail.key == "conversion"


def test_the_settings_signals_are_wired_when_the_page_is_built(desktop):
    seen = []
    desktop.when_built("settings", lambda page: seen.append(page))
    assert seen == []  # not built yet: nothing built for it
    desktop.window.show_page("settings")
    assert seen == [desktop.settings] and isinstance(seen[0], SettingsPage)
    later = []
    desktop.when_built("settings", later.append)  # already built: at once
    assert later == [desktop.settings]


def test_idle_time_builds_the_rest_one_page_per_turn(desktop, qtbot):
    window = desktop.window
    build_remaining_pages(window)
    QApplication.processEvents()
    assert len(window.unbuilt_pages()) < len(OTHERS)  # started, one page per turn
    qtbot.waitUntil(lambda: window.unbuilt_pages() == [], timeout=5000)
    assert window.current_page_key() == "today"  # built behind, never shown


def test_idle_building_stops_when_the_window_closes(desktop):
    window = desktop.window
    build_remaining_pages(window)
    window.close()
    for _ in range(10):
        QApplication.processEvents()
    assert window.unbuilt_pages() == OTHERS
