"""The pages around an open workspace: built once the first window is on screen.

``build_pages`` is the wiring half of the composition root (``kpidesk.ui.app``); the GUI tests
and the screenshot script call it directly with a synchronous task runner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QWidget

from kpidesk.domain.i18n import N_
from kpidesk.domain.timeutil import utc_now
from kpidesk.presentation import Formatter, _
from kpidesk.services.workspace import Workspace
from kpidesk.sync.coaching import CoachingLink
from kpidesk.sync.credentials import CredentialStore
from kpidesk.sync.session import SyncSession
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.events import DataEvents
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.pages.today import TodayPage
from kpidesk.ui.reminders import ReminderClock
from kpidesk.ui.sync_controller import SyncController
from kpidesk.ui.sync_state import SyncTimings
from kpidesk.ui.tasks import TaskRunner
from kpidesk.ui.team_wiring import TeamWiring, after_sync
from kpidesk.ui.tray import DesktopTray, system_tray_icon
from kpidesk.ui.undo_history import RememberingNotifier, UndoHistory
from kpidesk.ui.widgets.sync_status import SyncStatusView

# Imported where used: the wizard (and the import service) when File > Import… opens it, and
# each page's module with the page, on its first visit (see build_pages).
if TYPE_CHECKING:
    from kpidesk.ui.dialogs.conflicts import ConflictsDialog
    from kpidesk.ui.dialogs.import_wizard import ImportWizard
    from kpidesk.ui.pages.accounts import AccountsPage
    from kpidesk.ui.pages.indicators import IndicatorsPage
    from kpidesk.ui.pages.journal import JournalPage
    from kpidesk.ui.pages.language_box import LanguageBox
    from kpidesk.ui.pages.pipeline import PipelinePage
    from kpidesk.ui.pages.settings import SettingsPage
    from kpidesk.ui.pages.sharing_box import SharingBox
    from kpidesk.ui.pages.team import TeamPage

PAGE_TITLES = {
    "today": N_("Today"),
    "indicators": N_("Indicators"),
    "pipeline": N_("Pipeline"),
    "accounts": N_("Accounts"),
    "journal": N_("Journal"),
    "team": N_("Team"),
    "settings": N_("Settings"),
}


@dataclass
class DesktopApp:
    """The live objects of a running app (kept referenced for its lifetime).

    The pages are built on their first visit or use (``window.page``): reading one of them
    here builds it, so callers and tests see every page as before.
    """

    window: MainWindow
    ctx: UiContext
    directory: AccountDirectory
    actions: RecordActions
    team_wiring: TeamWiring
    sync: SyncController
    sync_status: SyncStatusView
    conflicts_dialog: ConflictsDialog | None = None  # the one open, if any
    history: UndoHistory | None = None  # the last changes, undoable (Ctrl+Z, Journal)
    import_wizard: ImportWizard | None = None  # the one open, if any
    tray: DesktopTray | None = None  # the tray icon and its menu
    reminders: ReminderClock | None = None  # reminders of planned activities, each minute

    @property
    def today(self) -> TodayPage:
        return cast("TodayPage", self.window.page("today"))

    @property
    def indicators(self) -> IndicatorsPage:
        return cast("IndicatorsPage", self.window.page("indicators"))

    @property
    def pipeline(self) -> PipelinePage:
        return cast("PipelinePage", self.window.page("pipeline"))

    @property
    def accounts(self) -> AccountsPage:
        return cast("AccountsPage", self.window.page("accounts"))

    @property
    def journal(self) -> JournalPage:
        return cast("JournalPage", self.window.page("journal"))

    @property
    def team(self) -> TeamPage:
        return cast("TeamPage", self.window.page("team"))

    @property
    def settings(self) -> SettingsPage:
        return cast("SettingsPage", self.window.page("settings"))

    @property
    def language(self) -> LanguageBox:
        """Settings > Language."""
        from kpidesk.ui.pages.language_box import LanguageBox

        return next(box for box in self.settings.sections if isinstance(box, LanguageBox))

    def when_built(self, key: str, callback: Callable[[QWidget], None]) -> None:
        """``callback(page)`` once the page ``key`` exists: now, or when it is built."""
        if self.window.is_built(key):
            callback(self.window.page(key))
            return

        def on_built(built: str) -> None:
            if built == key:
                self.window.sig_page_built.disconnect(on_built)
                callback(self.window.page(key))

        self.window.sig_page_built.connect(on_built)


def build_pages(
    window: MainWindow,
    workspace: Workspace,
    tasks: TaskRunner,
    *,
    sync_session: SyncSession | None = None,
    credentials: CredentialStore | None = None,
    sync_timings: SyncTimings | None = None,
    sync_clock: Callable[[], datetime] = utc_now,
    tray_icon: Callable[[QObject], Any] = system_tray_icon,
    reminder_clock: Callable[[], datetime] = utc_now,
) -> DesktopApp:
    """Create the services' UI around an open workspace (also used by the GUI tests, which
    pass a sync session talking to an in-process server, its credentials, and short timings;
    a fake tray icon and a fixed clock for the reminders).

    Only Today is built here; every other page on its first visit (building them all took
    ~0.7 s of the start on the 5-year data): each page's builder wires its own signals.
    """
    events = DataEvents(window)
    history = UndoHistory(window)
    notifier = RememberingNotifier(window.toast, history)
    ctx = UiContext(workspace, tasks, events, Formatter(), notifier)
    credentials = credentials or CredentialStore()
    session = sync_session or SyncSession(workspace.db, credentials)
    link = CoachingLink(session, workspace.db, workspace.tz)
    sync = SyncController(
        session,
        workspace.conflicts,
        tasks,
        events,
        window.toast,
        has_keyring=credentials.has_keyring,
        timings=sync_timings,
        now=sync_clock,
        after_sync=lambda connection: after_sync(link, workspace, connection),
        parent=window,
    )
    directory = AccountDirectory(workspace, tasks, events)
    actions = RecordActions(ctx, directory, window, history)
    team_wiring = TeamWiring(ctx, link, window)
    sync_status = SyncStatusView(window.sync_label, window.statusBar(), sync, ctx.fmt)
    app = DesktopApp(
        window, ctx, directory, actions, team_wiring, sync, sync_status, history=history
    )
    team_parts: list[tuple[TeamPage, SharingBox]] = []

    def open_account(account_id: str) -> None:
        window.show_page("accounts")
        app.accounts.open_account(account_id)

    def open_indicator(key: str) -> None:
        window.show_page("indicators")
        app.indicators.open_detail(key)

    def open_conflicts() -> None:
        if app.conflicts_dialog is not None:
            app.conflicts_dialog.raise_()
            app.conflicts_dialog.activateWindow()
            return
        from kpidesk.ui.dialogs.conflicts import ConflictsDialog

        dialog = ConflictsDialog(ctx, sync, window)
        dialog.finished.connect(lambda _result: setattr(app, "conflicts_dialog", None))
        app.conflicts_dialog = dialog
        _open_once(dialog)

    def open_import() -> None:
        if app.import_wizard is not None:
            app.import_wizard.raise_()
            app.import_wizard.activateWindow()
            return
        from kpidesk.ui.dialogs.import_wizard import open_import_wizard

        wizard = open_import_wizard(ctx, window)
        wizard.finished.connect(lambda _result: setattr(app, "import_wizard", None))
        app.import_wizard = wizard

    def build_accounts() -> AccountsPage:
        from kpidesk.ui.pages.accounts import AccountsPage

        return AccountsPage(ctx, directory, actions)

    def build_journal() -> JournalPage:
        from kpidesk.ui.pages.journal import JournalPage

        return JournalPage(ctx, actions)

    def build_today() -> TodayPage:
        today = TodayPage(ctx, directory, actions)
        today.sig_open_account_requested.connect(open_account)
        today.sig_open_indicator_requested.connect(open_indicator)
        today.sig_import_requested.connect(open_import)
        return today

    def build_indicators() -> IndicatorsPage:
        from kpidesk.ui.pages.indicators import IndicatorsPage

        # Periods are the rep's local days: the zone this laptop runs in.
        indicators = IndicatorsPage(ctx, workspace.kpis, workspace.objectives, actions)
        indicators.sig_open_account_requested.connect(open_account)
        return indicators

    def build_pipeline() -> PipelinePage:
        from kpidesk.ui.pages.pipeline import PipelinePage

        pipeline = PipelinePage(ctx, actions)
        pipeline.sig_open_account_requested.connect(open_account)
        return pipeline

    def team_and_sharing() -> tuple[TeamPage, SharingBox]:
        """The Team page and Settings' sharing box come together (one wiring)."""
        if not team_parts:
            team, sharing = team_wiring.build()
            team.sig_account_requested.connect(open_account)
            team.sig_offer_requested.connect(actions.edit_offer)
            team.sig_sync_requested.connect(sync.sync_now)
            team.sig_sharing_requested.connect(lambda: window.show_page("settings"))
            sharing.sig_view_requested.connect(lambda: window.show_page("team"))
            team_parts.append((team, sharing))
        return team_parts[0]

    def build_settings() -> SettingsPage:
        from kpidesk.ui.pages.language_box import LanguageBox
        from kpidesk.ui.pages.reminders_box import RemindersBox
        from kpidesk.ui.pages.settings import SettingsPage

        settings = SettingsPage(ctx, sync)
        settings.add_section(team_and_sharing()[1])
        settings.add_section(RemindersBox(ctx))
        settings.add_section(LanguageBox(ctx))
        settings.sig_conflicts_requested.connect(open_conflicts)
        return settings

    builders: dict[str, Callable[[], QWidget]] = {
        "today": build_today,
        "indicators": build_indicators,
        "pipeline": build_pipeline,
        "accounts": build_accounts,
        "journal": build_journal,
        "team": lambda: team_and_sharing()[0],
        "settings": build_settings,
    }
    for key, build in builders.items():
        window.add_page_builder(key, _(PAGE_TITLES[key]), build)

    window.sig_quick_log_requested.connect(lambda: actions.log_activity(_account_in_view(window)))
    window.sig_shortcuts_requested.connect(lambda: _open_shortcuts(window))
    tasks.sig_failed.connect(lambda exc: window.toast.error(plain_words(exc)))
    window.sig_import_requested.connect(open_import)
    window.import_action.setEnabled(True)
    window.sig_sync_requested.connect(sync.sync_now)
    window.sig_undo_requested.connect(notifier.undo_last)
    QShortcut(QKeySequence("Ctrl+H"), window, actions.open_recent_changes)
    sync_status.sig_conflicts_requested.connect(open_conflicts)
    sync_status.sig_settings_requested.connect(lambda: window.show_page("settings"))
    app.tray, app.reminders = _reminders(window, ctx, sync, tray_icon, reminder_clock)
    directory.refresh()
    window.show_page("today")
    sync.start()
    app.reminders.start()
    return app


def build_remaining_pages(window: MainWindow) -> None:
    """In idle time once the app is ready: the pages not visited yet, one per turn of the
    event loop, so that a click or a key between two of them is answered at once. Never
    once the window is closed (its workspace closes next)."""
    closed: list[bool] = []
    window.sig_closed.connect(lambda: closed.append(True))

    def next_page() -> None:
        remaining = window.unbuilt_pages()
        if remaining and not closed:
            window.page(remaining[0])
            QTimer.singleShot(0, window, next_page)

    QTimer.singleShot(0, window, next_page)


def _reminders(
    window: MainWindow,
    ctx: UiContext,
    sync: SyncController,
    tray_icon: Callable[[QObject], Any],
    clock: Callable[[], datetime],
) -> tuple[DesktopTray, ReminderClock]:
    """The tray menu's actions, and the minute clock that raises reminders."""
    tray = DesktopTray(window, tray_icon(window))

    def bring_forward(page: str | None = None) -> None:
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()
        if page is not None:
            window.show_page(page)

    def quick_log() -> None:
        bring_forward()
        window.sig_quick_log_requested.emit()

    tray.sig_show_requested.connect(bring_forward)
    tray.sig_today_requested.connect(lambda: bring_forward("today"))
    tray.sig_quick_log_requested.connect(quick_log)
    tray.sig_sync_requested.connect(sync.sync_now)
    tray.sig_quit_requested.connect(window.close)
    return tray, ReminderClock(ctx, tray, window, clock=clock)


def _open_shortcuts(window: MainWindow) -> None:
    from kpidesk.ui.dialogs.shortcuts import ShortcutsDialog  # the F1 sheet, when asked

    _open_once(ShortcutsDialog(window))


def _open_once(dialog: QDialog) -> None:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()


def _account_in_view(window: MainWindow) -> str | None:
    """Ctrl+L on an account's page logs for that account."""
    if not window.is_built("accounts"):
        return None
    accounts = cast("AccountsPage", window.page("accounts"))
    if accounts.isVisible() and accounts.stack.currentWidget() is accounts.detail:
        return accounts.detail.account_id
    return None
