"""Composition root of the desktop app: the one place where services meet widgets.

Start-up order keeps the first paint fast: this module imports only Qt and the window shell;
the window is shown, and only then are the heavy parts imported (SQLAlchemy, the services,
the pages: ``kpidesk.ui.desktop``) and the database opened on a worker thread.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from kpidesk import presentation
from kpidesk.presentation import _
from kpidesk.ui import theme
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.tasks import TaskRunner

# The stylesheet and translations ship inside the package (pyproject.toml installs the
# repository's resources/ folder as kpidesk.resources): found where kpidesk is installed.
RESOURCES = "kpidesk.resources"
log = logging.getLogger(__name__)


def install_translators(app: QApplication) -> None:
    """The language from the system locale, or KPIDESK_LANG to force one: kpidesk's own texts
    come from the gettext catalogue (``kpidesk.presentation``, process-wide like Qt's
    translators); Qt's qtbase translations remain only for Qt's built-in dialog buttons, and
    QLocale's default only for the input widgets (date editors, spin boxes)."""
    presentation.install(presentation.system_language_tag(fallback=QLocale.system().name()))
    language = presentation.active()
    QLocale.setDefault(QLocale(str(language.locale)))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(), "qtbase", "_", folder):
        app.installTranslator(translator)


def _setup_logging() -> None:
    from kpidesk.services.logfile import log_failure, setup_logging

    setup_logging()
    previous = sys.excepthook

    def _on_uncaught(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        # An exception escaping a slot: logged by its shape (never its values), not printed.
        if not issubclass(kind, Exception):
            previous(kind, error, tb)
            return
        log_failure("uncaught in the GUI", error.with_traceback(tb))

    sys.excepthook = _on_uncaught


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    if app.property("kpidesk_ready"):
        return app
    app.setProperty("kpidesk_ready", True)
    app.setApplicationName("kpidesk")
    app.setOrganizationName("kpidesk")
    install_translators(app)
    theme.install(app)  # the system's light or dark, followed while the app runs
    return app


class _FirstPaintWatcher(QObject):
    def __init__(self, window: MainWindow, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._callback = callback
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._callback)  # after this paint reaches the screen
        return False


def _after_first_paint(window: MainWindow, callback: Callable[[], None]) -> None:
    _FirstPaintWatcher(window, callback)


class _StartupProbe(QObject):
    """For the start-up benchmark (KPIDESK_STARTUP_PROBE=1): prints the wall-clock time of the
    first paint and of the pages being ready, then quits."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._painted = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            print(f"first-paint {time.time():.6f}", flush=True)
        return False

    def ready(self) -> None:
        print(f"ready {time.time():.6f}", flush=True)
        QApplication.quit()


def _report_resources_and_quit(app: QApplication) -> None:
    """For tests/test_packaging.py (KPIDESK_RESOURCES_PROBE=1): once the pages are built, print
    where the resources were found and the length of the stylesheet in use, then quit."""
    print(f"resources {files(RESOURCES)}", flush=True)
    print(f"stylesheet-chars {len(app.styleSheet())}", flush=True)
    QApplication.quit()


BACKUP_CHECK_MS = 60 * 60 * 1000  # a laptop left open overnight takes the next day's backup


def run_app(db_path: Path, *, demo: bool = False) -> int:
    _setup_logging()
    app = create_application()
    while True:
        code, restore_from = _run_window(app, db_path, demo=demo)
        if restore_from is None:
            return code
        _restore(db_path, restore_from)  # then open the window again, on the restored file


def _restore(db_path: Path, backup: Path) -> None:
    """With the workspace closed (nothing else holds the file): replace it, or say why not."""
    from PySide6.QtWidgets import QMessageBox

    from kpidesk.services.backups import restore
    from kpidesk.ui.errors import plain_words

    try:
        restore(db_path, backup)
    except Exception as exc:  # the database was left as it was: say why, and open it again
        log.error("restore failed: %s", type(exc).__name__)
        QMessageBox.critical(None, "kpidesk", plain_words(exc))


def _run_window(app: QApplication, db_path: Path, *, demo: bool) -> tuple[int, Path | None]:
    settings = QSettings()
    window = MainWindow(settings, title_suffix=" — " + _("demo") if demo else "")
    probe = _StartupProbe(window) if os.environ.get("KPIDESK_STARTUP_PROBE") else None
    window.show()
    window.raise_()
    window.activateWindow()
    tasks = TaskRunner(app)
    state: dict[str, Any] = {}

    def load() -> Any:
        # On a worker thread, once the window is on screen: the heavy imports (SQLAlchemy,
        # services, pages) and opening (perhaps migrating) the database.
        from kpidesk.services import backups
        from kpidesk.services.workspace import open_workspace
        from kpidesk.store.errors import DamagedDatabaseError
        from kpidesk.ui import desktop  # noqa: F401 - imported here, off the GUI thread

        try:
            return open_workspace(db_path)
        except DamagedDatabaseError as exc:  # looked for here: checking backups reads them
            return exc, backups.latest_good_backup(db_path)

    def restore_and_reopen(backup: Path) -> None:
        state["restore_from"] = backup
        window.close()
        app.quit()

    def on_opened(result: Any) -> None:
        from kpidesk.ui.desktop import PAGE_TITLES, build_pages

        if isinstance(result, tuple):
            _show_damage(window, *result, restore_and_reopen)
            return
        workspace = result
        state["workspace"] = workspace
        state["desktop"] = build_pages(window, workspace, tasks)
        state["desktop"].settings.backups.sig_restore_requested.connect(restore_and_reopen)
        if not workspace.is_demo:  # today's backup, beside the pages loading, then hourly
            tasks.run(lambda: _daily_backup(db_path))
            timer = QTimer(window)
            timer.timeout.connect(lambda: tasks.run(lambda: _daily_backup(db_path)))
            timer.start(BACKUP_CHECK_MS)
        page = settings.value("window/page")
        if isinstance(page, str) and page in PAGE_TITLES:
            window.show_page(page)
        if probe is not None:
            QTimer.singleShot(0, probe.ready)
        if os.environ.get("KPIDESK_RESOURCES_PROBE"):
            QTimer.singleShot(0, lambda: _report_resources_and_quit(app))

    def on_failed(error: BaseException) -> None:
        from kpidesk.ui.errors import plain_words

        window.toast.error(plain_words(error))

    _after_first_paint(window, lambda: tasks.run(load, on_opened, on_failed))
    code = app.exec()
    if "desktop" in state:
        state["desktop"].sync.shutdown()  # a running sync stops after its current step
    tasks.wait()
    if "workspace" in state:
        state["workspace"].close()
    window.deleteLater()
    return code, state.get("restore_from")


def _daily_backup(db_path: Path) -> None:
    """Best effort: a backup that cannot be made (full disk) is logged, never in the way."""
    from kpidesk.services import backups

    try:
        backups.daily_backup(db_path)
    except Exception as exc:
        log.warning("daily backup not made: %s", type(exc).__name__)


def _show_damage(window: MainWindow, error: Any, latest: Any, restore: Callable) -> None:
    """No pages, no writes: the damage, and the latest good backup to put back."""
    from kpidesk.ui.dialogs.damaged import DamagedDatabaseDialog

    dialog = DamagedDatabaseDialog(error, latest, window)
    dialog.exec()
    if dialog.wants_restore():
        restore(latest.path)
    else:
        window.close()
