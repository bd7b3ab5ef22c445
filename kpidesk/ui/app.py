"""Composition root of the desktop app: the one place where services meet widgets.

Start-up order keeps the first paint fast: the bare window appears first, then the database is
opened (and migrated if needed) on a worker thread, and only then are the pages built.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QDialog

from kpidesk.domain.i18n import QT_TRANSLATE_NOOP
from kpidesk.services.workspace import Workspace, open_workspace
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.actions import RecordActions
from kpidesk.ui.context import UiContext
from kpidesk.ui.dialogs.shortcuts import ShortcutsDialog
from kpidesk.ui.errors import plain_words
from kpidesk.ui.events import DataEvents
from kpidesk.ui.formatting import Formatter
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.pages.accounts import AccountsPage
from kpidesk.ui.pages.journal import JournalPage
from kpidesk.ui.pages.pipeline import PipelinePage
from kpidesk.ui.pages.placeholder import PlaceholderPage
from kpidesk.ui.pages.settings import SettingsPage
from kpidesk.ui.pages.today import TodayPage
from kpidesk.ui.tasks import TaskRunner

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
log = logging.getLogger(__name__)

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
    indicators = PlaceholderPage(
        _tr("Indicators"),
        _tr(
            "<h3>Your indicators will appear here</h3><p>Conversion, follow-up rate, "
            "revenue, pipeline quality… computed from what you log, each one explained.</p>"
        ),
    )
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
    today.sig_open_account_requested.connect(open_account)
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
    return DesktopApp(window, ctx, directory, actions, accounts, journal, pipeline, today, settings)


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


def install_translators(app: QApplication) -> None:
    """French (or another language) from the system locale, or KPIDESK_LANG to force one."""
    wanted = os.environ.get("KPIDESK_LANG")
    locale = QLocale(wanted) if wanted else QLocale.system()
    if locale.language() == QLocale.Language.C:  # no locale configured: write like en_GB
        locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    QLocale.setDefault(locale)
    for folder, name in (
        (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), "qtbase"),
        (str(RESOURCES / "translations"), "kpidesk"),
    ):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)


def _setup_logging() -> None:
    import platformdirs

    folder = Path(platformdirs.user_log_dir("kpidesk", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(folder / "kpidesk.log", maxBytes=1_000_000, backupCount=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("kpidesk").addHandler(handler)
    logging.getLogger("kpidesk").setLevel(logging.INFO)


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    if app.property("kpidesk_ready"):
        return app
    app.setProperty("kpidesk_ready", True)
    app.setApplicationName("kpidesk")
    app.setOrganizationName("kpidesk")
    install_translators(app)
    style = RESOURCES / "styles" / "kpidesk.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    return app


def run_app(db_path: Path, *, demo: bool = False) -> int:
    _setup_logging()
    app = create_application()
    settings = QSettings()
    window = MainWindow(settings, title_suffix=" — demo" if demo else "")
    window.show()
    window.raise_()
    window.activateWindow()
    tasks = TaskRunner(app)
    state: dict[str, DesktopApp | Workspace] = {}

    def on_opened(workspace: Workspace) -> None:
        state["workspace"] = workspace
        state["app"] = build_pages(window, workspace, tasks)
        page = settings.value("window/page")
        if isinstance(page, str) and page in PAGE_TITLES:
            window.show_page(page)

    def on_failed(error: BaseException) -> None:
        window.toast.error(plain_words(error))

    QTimer.singleShot(0, lambda: tasks.run(lambda: open_workspace(db_path), on_opened, on_failed))
    code = app.exec()
    tasks.wait()
    workspace = state.get("workspace")
    if isinstance(workspace, Workspace):
        workspace.close()
    return code
