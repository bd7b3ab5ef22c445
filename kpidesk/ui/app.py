"""Composition root of the desktop app: the one place where services meet widgets.

Start-up order keeps the first paint fast: this module imports only Qt and the window shell;
the window is shown, and only then are the heavy parts imported (SQLAlchemy, the services,
the pages: ``kpidesk.ui.desktop``) and the database opened on a worker thread.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QSocketNotifier,
    QTimer,
    QTranslator,
)
from PySide6.QtWidgets import QApplication

from kpidesk import presentation
from kpidesk.domain.cycles import cycle_collection_paused, keep_out_of_collection
from kpidesk.presentation import _
from kpidesk.services.preferences import chosen_language
from kpidesk.ui import theme
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.tasks import TaskRunner

# The stylesheet and translations ship inside the package (pyproject.toml installs the
# repository's resources/ folder as kpidesk.resources): found where kpidesk is installed.
RESOURCES = "kpidesk.resources"
log = logging.getLogger(__name__)


def install_translators(app: QApplication) -> None:
    """The language chosen in Settings, else the system's (KPIDESK_LANG forces one): kpidesk's
    own texts come from the gettext catalogue (``kpidesk.presentation``, process-wide like Qt's
    translators); Qt's qtbase translations remain only for Qt's built-in dialog buttons, and
    QLocale's default only for the input widgets (date editors, spin boxes)."""
    chosen = chosen_language()  # Settings > Language, if the rep chose one
    tag = presentation.system_language_tag(fallback=QLocale.system().name(), chosen=chosen)
    presentation.install(tag)
    language = presentation.active()
    QLocale.setDefault(QLocale(language.name))  # the name: Babel is not imported yet
    for previous in app.findChildren(QTranslator):  # called again when the language changes
        app.removeTranslator(previous)
        previous.deleteLater()
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(), "qtbase", "_", folder):
        app.installTranslator(translator)


class _EarlyRecords(logging.Handler):
    """kpidesk's log records of the start, kept until the log file opens just after the first
    paint (its module and the file took ~25 ms before the window), then written to it."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def open_log_file(self) -> None:
        """The rotating file from now on, with what was kept until now; at most once."""
        from kpidesk.services.logfile import setup_logging

        logger = logging.getLogger("kpidesk")
        if self not in logger.handlers:
            return  # already done
        try:
            setup_logging()
        except OSError as exc:  # a log folder this user cannot write: the app runs without it
            logger.removeHandler(self)
            self.records.clear()
            reason = exc.strerror or type(exc).__name__
            sys.stderr.write("kpidesk: " + _("no log file ({reason})").format(reason=reason) + "\n")
            return
        logger.removeHandler(self)
        for record in self.records:  # to the file (they reached the root's handlers already)
            for handler in logger.handlers:
                if record.levelno >= handler.level:
                    handler.handle(record)
        self.records.clear()


def _setup_logging() -> _EarlyRecords:
    early = _EarlyRecords()
    logger = logging.getLogger("kpidesk")
    logger.addHandler(early)
    logger.setLevel(logging.INFO)  # as the file will have it
    previous = sys.excepthook

    def _on_uncaught(kind: type[BaseException], error: BaseException, tb: Any) -> None:
        # An exception escaping a slot: logged by its shape (never its values), not printed.
        if not issubclass(kind, Exception):
            previous(kind, error, tb)
            return
        from kpidesk.services.logfile import log_failure

        log_failure("uncaught in the GUI", error.with_traceback(tb))

    sys.excepthook = _on_uncaught
    return early


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
    where the resources were found, the length of the stylesheet shipped there, and how many
    of its ``@name`` colours the sheet in use still lacks (its length depends on the theme and
    on the icons' folder, the shipped file's does not), then quit."""
    shipped = (files(RESOURCES) / "styles" / "kpidesk.qss").read_text(encoding="utf-8")
    in_use = app.styleSheet()
    print(f"resources {files(RESOURCES)}", flush=True)
    print(f"stylesheet-shipped-chars {len(shipped)}", flush=True)
    print(f"stylesheet-in-use-chars {len(in_use)}", flush=True)
    print(f"stylesheet-unfilled {len(re.findall(r'@[a-z_]+', in_use))}", flush=True)
    QApplication.quit()


DEMO_FILE_NAME = "kpidesk-demo.sqlite"  # = kpidesk.services.demo's, not imported before paint
BACKUP_CHECK_MS = 60 * 60 * 1000  # a laptop left open overnight takes the next day's backup


@dataclass
class _Opening:
    """What the next window opens: the rep's database, and perhaps the demo beside it."""

    own: Path
    demo: Path
    mode: str = "auto"  # "auto": the rep's, or the demo they were trying; "own"; "demo"
    build_demo: bool = False  # build the demo first (``kpidesk --demo``), with a progress bar


@dataclass
class _Closed:
    code: int
    restore_from: Path | None = None  # a backup to put back, then open the window again
    reopen: str | None = None  # open the window again: "own", "demo" or "same"


def run_app(
    db_path: Path,
    *,
    demo_path: Path | None = None,
    open_demo: bool = False,
    build_demo: bool = False,
) -> int:
    """The app on the rep's database at ``db_path``; the demo lives at ``demo_path`` (by
    default beside it). Trying the demo, going back, restoring a backup and changing the
    language each close the window and open a new one, on the same application."""
    early = _setup_logging()
    try:
        app = create_application()
        with _quit_when_terminated(app):
            demo = demo_path or db_path.with_name(DEMO_FILE_NAME)
            opening = _Opening(db_path, demo, "demo" if open_demo else "auto", build_demo)
            while True:
                closed, opened, was_demo = _run_window(app, opening, early.open_log_file)
                if closed.restore_from is not None:
                    _restore(opened, closed.restore_from)  # then open the window again on it
                if closed.reopen is None:
                    return closed.code
                if closed.reopen == "same":
                    closed.reopen = "demo" if was_demo else "own"
                install_translators(app)  # the language chosen in Settings, if it changed
                opening = _Opening(db_path, demo, closed.reopen)
    finally:  # a start that failed before its first paint still leaves its records
        early.open_log_file()


@contextmanager
def _quit_when_terminated(app: QApplication) -> Iterator[None]:
    """While inside, SIGTERM (a session logging out, ``kill``, a service manager) ends the app
    the way closing its window does: the database closed, a demo's temporary folder removed.
    Killed outright, it left each demo's 17 MB in the temporary folder.

    Python runs a signal handler only between its own bytecodes, never while Qt's event loop
    waits in C++: the byte the signal writes to a socket wakes a notifier, whose slot is
    Python, and the handler runs then."""
    reader, writer = socket.socketpair()
    for end in (reader, writer):
        end.setblocking(False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)
    notifier.activated.connect(lambda *_: reader.recv(64))
    previous_fd = signal.set_wakeup_fd(writer.fileno())
    previous_handler = signal.signal(signal.SIGTERM, lambda *_: app.quit())
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        signal.set_wakeup_fd(previous_fd)
        notifier.setEnabled(False)
        notifier.deleteLater()
        reader.close()
        writer.close()


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


def _open_chosen(opening: _Opening, report: Callable[[float], None]) -> Any:
    """On a worker thread: the workspace to show (the rep's, or the demo), built if asked."""
    from datetime import date

    from kpidesk.services.first_run import FirstRunChoice
    from kpidesk.services.workspace import open_workspace

    if opening.build_demo:  # only then the demo generator (``kpidesk --demo``)
        from kpidesk.services.demo import APP_DEMO_YEARS, create_demo_database

        create_demo_database(opening.demo, APP_DEMO_YEARS, 1, date.today(), report)
    if opening.mode == "demo":
        return open_workspace(opening.demo)
    own = open_workspace(opening.own)
    state = own.first_run.state()
    if opening.mode == "own" and state.choice is FirstRunChoice.DEMO:
        own.first_run.remember(None)  # back from the demo: the welcome screen again
    elif opening.mode == "auto" and state.in_demo and opening.demo.is_file():
        demo = open_workspace(opening.demo, create=False)
        if demo.is_demo:  # never a real database someone put in its place
            own.close()
            return demo
        demo.close()
    return own


def _run_window(
    app: QApplication, opening: _Opening, after_paint: Callable[[], None]
) -> tuple[_Closed, Path, bool]:
    settings = QSettings()
    window = MainWindow(settings)
    probe = _StartupProbe(window) if os.environ.get("KPIDESK_STARTUP_PROBE") else None
    window.show()
    window.raise_()
    window.activateWindow()
    tasks = TaskRunner(app)
    state: dict[str, Any] = {}
    closed = _Closed(0)

    def load(report: Callable[[float], None]) -> Any:
        # On a worker thread, once the window is on screen: the heavy imports (SQLAlchemy,
        # services, pages) and opening (perhaps migrating) the database.
        # The start's imports make a few hundred thousand objects and no garbage (measured:
        # the collector's passes over them were 10% of the imports' CPU time), and all of it
        # stays. Building the demo or migrating, which do make garbage, run with it on.
        with cycle_collection_paused():
            from kpidesk.services import backups
            from kpidesk.store.errors import DamagedDatabaseError
            from kpidesk.ui import desktop, first_run  # noqa: F401 - here, off the GUI thread

            keep_out_of_collection()

        try:
            workspace = _open_chosen(opening, report)
            # Read here too: the welcome screen is there with the pages, no Today flashing first.
            state = None if workspace.is_demo else workspace.first_run.state()
            return workspace, state
        except DamagedDatabaseError as exc:  # looked for here: checking backups reads them
            return exc, backups.latest_good_backup(opening.own)

    def reopen(how: str) -> None:
        closed.reopen = how
        window.close()
        app.quit()

    def restore_and_reopen(backup: Path) -> None:
        closed.restore_from = backup
        reopen("same")

    def wire_settings(desktop: Any) -> None:
        desktop.settings.backups.sig_restore_requested.connect(restore_and_reopen)
        desktop.language.sig_language_chosen.connect(lambda: reopen("same"))

    def on_progress(share: float) -> None:
        window.set_loading_progress(_("Building the demo data…"), share)

    def on_opened(result: Any) -> None:
        from kpidesk.ui.desktop import PAGE_TITLES, build_pages, build_remaining_pages
        from kpidesk.ui.first_run import FirstRunFlow

        workspace, first_run_state = result
        if isinstance(workspace, Exception):
            _show_damage(window, *result, restore_and_reopen)
            return
        state["workspace"] = workspace
        desktop = state["desktop"] = build_pages(window, workspace, tasks)
        desktop.when_built("settings", lambda page: wire_settings(desktop))
        if not workspace.is_demo:  # today's backup, beside the pages loading, then hourly
            path = workspace.db.path
            tasks.run(lambda: _daily_backup(path))
            timer = QTimer(window)
            timer.timeout.connect(lambda: tasks.run(lambda: _daily_backup(path)))
            timer.start(BACKUP_CHECK_MS)
        page = settings.value("window/page")
        if isinstance(page, str) and page in PAGE_TITLES:
            window.show_page(page)
        flow = state["first_run"] = FirstRunFlow(desktop, settings, opening.demo)
        flow.sig_switch_requested.connect(reopen)
        flow.start(first_run_state)
        if probe is not None:
            QTimer.singleShot(0, probe.ready)
        build_remaining_pages(window)  # after "ready": each visit then finds its page built
        if os.environ.get("KPIDESK_RESOURCES_PROBE"):
            QTimer.singleShot(0, lambda: _report_resources_and_quit(app))

    def on_failed(error: BaseException) -> None:
        from kpidesk.ui.errors import plain_words

        window.toast.error(plain_words(error))

    def on_painted() -> None:
        # The log file first: once the worker runs, its records could reach the file while
        # the kept ones are being written there (twice, or one lost).
        after_paint()
        tasks.run_reporting(load, on_progress, on_opened, on_failed)

    _after_first_paint(window, on_painted)
    closed.code = app.exec()
    if "desktop" in state:
        state["desktop"].sync.shutdown()  # a running sync stops after its current step
    tasks.wait()
    opened, was_demo = opening.own, False
    if "workspace" in state:
        opened, was_demo = state["workspace"].db.path, state["workspace"].is_demo
        state["workspace"].close()
    window.deleteLater()
    return closed, opened, was_demo


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
