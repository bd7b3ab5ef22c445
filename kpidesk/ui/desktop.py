"""The pages around an open workspace: built once the first window is on screen.

``build_pages`` is the wiring half of the composition root (``kpidesk.ui.app``); the GUI tests
and the screenshot script call it directly with a synchronous task runner.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QDialog

from kpidesk.domain.i18n import QT_TRANSLATE_NOOP
from kpidesk.services.workspace import Workspace
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.dialogs.shortcuts import ShortcutsDialog
from kpidesk.ui.errors import plain_words
from kpidesk.ui.events import DataEvents
from kpidesk.ui.formatting import Formatter
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.pages.accounts import AccountsPage
from kpidesk.ui.pages.indicators import IndicatorsPage
from kpidesk.ui.pages.journal import JournalPage
from kpidesk.ui.pages.pipeline import PipelinePage
from kpidesk.ui.pages.settings import SettingsPage
from kpidesk.ui.pages.today import TodayPage
from kpidesk.ui.tasks import TaskRunner

PAGE_TITLES = {
    "today": QT_TRANSLATE_NOOP("MainWindow", "Today"),
    "indicators": QT_TRANSLATE_NOOP("MainWindow", "Indicators"),
    "pipeline": QT_TRANSLATE_NOOP("MainWindow", "Pipeline"),
    "accounts": QT_TRANSLATE_NOOP("MainWindow", "Accounts"),
    "journal": QT_TRANSLATE_NOOP("MainWindow", "Journal"),
    "settings": QT_TRANSLATE_NOOP("MainWindow", "Settings"),
}


@dataclass
class DesktopApp:
    """The live objects of a running app (kept referenced for its lifetime)."""

    window: MainWindow
    ctx: UiContext
    directory: AccountDirectory
    actions: RecordActions
    accounts: AccountsPage
    journal: JournalPage
    pipeline: PipelinePage
    today: TodayPage
    indicators: IndicatorsPage
    settings: SettingsPage


def build_pages(window: MainWindow, workspace: Workspace, tasks: TaskRunner) -> DesktopApp:
    """Create the services' UI around an open workspace (also used by the GUI tests)."""
    events = DataEvents(window)
    ctx = UiContext(workspace, tasks, events, Formatter(), window.toast)
    directory = AccountDirectory(workspace, tasks, events)
    actions = RecordActions(ctx, directory, window)
    today = TodayPage(ctx, directory, actions)
    accounts = AccountsPage(ctx, directory, actions)
    journal = JournalPage(ctx, actions)
    pipeline = PipelinePage(ctx, actions)
    settings = SettingsPage(ctx)
    # Periods are the rep's local days: the zone this laptop runs in.
    indicators = IndicatorsPage(ctx, workspace.kpis, workspace.objectives, actions)
    for key, page in (
        ("today", today),
        ("indicators", indicators),
        ("pipeline", pipeline),
        ("accounts", accounts),
        ("journal", journal),
        ("settings", settings),
    ):
        window.add_page(key, window.tr(PAGE_TITLES[key]), page)

    def open_account(account_id: str) -> None:
        window.show_page("accounts")
        accounts.open_account(account_id)

    pipeline.sig_open_account_requested.connect(open_account)
    indicators.sig_open_account_requested.connect(open_account)
    today.sig_open_account_requested.connect(open_account)

    def open_indicator(key: str) -> None:
        window.show_page("indicators")
        indicators.open_detail(key)

    today.sig_open_indicator_requested.connect(open_indicator)
    window.sig_quick_log_requested.connect(lambda: actions.log_activity(_account_in_view(accounts)))
    window.sig_shortcuts_requested.connect(lambda: _open_once(ShortcutsDialog(window)))
    tasks.sig_failed.connect(lambda exc: window.toast.error(plain_words(exc)))

    def refresh_sync_state(_tables: frozenset[str] = frozenset()) -> None:
        tasks.run(workspace.pending_changes, _show_pending, key="pending")

    def _show_pending(count: int) -> None:
        if workspace.is_demo:
            window.sync_label.setText(_tr("Demo data · never synced"))
        else:
            window.sync_label.setText(
                _tr("Not connected to a team server · changes kept on this laptop: {n}").format(
                    n=count
                )
            )

    events.sig_changed.connect(refresh_sync_state)
    refresh_sync_state()
    directory.refresh()
    window.show_page("today")
    return DesktopApp(
        window, ctx, directory, actions, accounts, journal, pipeline, today, indicators, settings
    )


def _open_once(dialog: QDialog) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def _tr(text: str) -> str:
    return QCoreApplication.translate("DesktopApp", text)


def _account_in_view(accounts: AccountsPage) -> str | None:
    """Ctrl+L on an account's page logs for that account."""
    if accounts.isVisible() and accounts.stack.currentWidget() is accounts.detail:
        return accounts.detail.account_id
    return None
