"""The first start, wired: the welcome screen's four ways in, the demo's banner, the tour.

Built by the composition root (``kpidesk.ui.app``) beside the pages. Opening another database
(the demo, or back to the rep's own) needs a new window on it: this object asks for it with
``sig_switch_requested`` and ``run_app`` closes this window and opens the next one, so the
rep's database is closed cleanly, untouched by the demo, and opened again as it was.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from kpidesk.domain.changes import Changes
from kpidesk.presentation import _
from kpidesk.services.first_run import FirstRunChoice, FirstRunState
from kpidesk.ui.desktop import DesktopApp
from kpidesk.ui.dialogs.tour import TourDialog
from kpidesk.ui.errors import plain_words
from kpidesk.ui.pages.welcome import WelcomePage

TOUR_SHOWN = "tour/shown"  # per computer (QSettings): once, whichever database is open
DEMO_SEED = 1


class FirstRunFlow(QObject):
    """Signals:
    sig_switch_requested: open the window again on "demo" data or on the rep's "own".
    """

    sig_switch_requested = Signal(str)

    def __init__(self, desktop: DesktopApp, settings: QSettings, demo_path: Path) -> None:
        super().__init__(desktop.window)
        self._desktop, self._settings, self._demo_path = desktop, settings, demo_path
        self._ctx = desktop.ctx
        self.welcome: WelcomePage | None = None
        self.tour: TourDialog | None = None
        window = desktop.window
        window.sig_tour_requested.connect(self.show_tour)
        window.tour_action.setEnabled(True)

    def start(self, state: FirstRunState | None = None) -> None:
        """``state``: the first-run state when already read (the app reads it with the
        database, so the welcome screen comes with the pages); else it is read now."""
        workspace = self._ctx.workspace
        if workspace.is_demo:
            self._desktop.window.mark_demo(self._demo_banner())
            self._offer_tour()
        elif state is not None:
            self._on_state(state)
        else:
            self._ctx.tasks.run(workspace.first_run.state, self._on_state)

    def _on_state(self, state: FirstRunState) -> None:
        if state.wants_welcome:
            self.show_welcome()
        else:
            self._offer_tour()

    # -- the welcome screen ---------------------------------------------------------------------

    def show_welcome(self) -> None:
        if self.welcome is None:
            self.welcome = WelcomePage(self._ctx)
            self.welcome.sig_demo_requested.connect(self._on_demo_requested)
            self.welcome.sig_started_empty.connect(self._on_started_empty)
            self.welcome.sig_import_requested.connect(self._on_import_requested)
            self.welcome.sig_server_requested.connect(self._on_server_requested)
        self._desktop.window.show_welcome(self.welcome)
        self.welcome.show_choices()

    def _on_demo_requested(self) -> None:
        assert self.welcome is not None
        welcome, first_run, path = self.welcome, self._ctx.workspace.first_run, self._demo_path

        def build(report) -> None:  # on a worker: seconds of work, the bar follows it
            # The demo generator loads only when the rep asks for the demo.
            from kpidesk.services.demo import APP_DEMO_YEARS, create_demo_database

            create_demo_database(path, APP_DEMO_YEARS, DEMO_SEED, date.today(), report)
            first_run.remember(FirstRunChoice.DEMO)  # in the rep's database: open it next time

        def failed(error: BaseException) -> None:
            welcome.show_choices()
            self._ctx.notifier.error(plain_words(error))

        def built(_none: None) -> None:
            self.sig_switch_requested.emit("demo")

        welcome.show_building()
        self._ctx.tasks.run_reporting(build, welcome.set_progress, built, failed)

    def _on_started_empty(self, _changes: Changes) -> None:
        self._desktop.window.leave_welcome("today")
        self._offer_tour()

    def _chosen(self, choice: FirstRunChoice, page: str) -> None:
        first_run = self._ctx.workspace.first_run
        self._ctx.tasks.run(lambda: first_run.remember(choice))
        self._desktop.window.leave_welcome(page)

    def _on_import_requested(self) -> None:
        self._chosen(FirstRunChoice.IMPORT, "today")
        self._desktop.window.sig_import_requested.emit()

    def _on_server_requested(self) -> None:
        self._chosen(FirstRunChoice.SERVER, "settings")
        settings = self._desktop.settings
        settings.scroll.ensureWidgetVisible(settings.server)
        settings.server.form.server.setFocus()  # the server's address: the first thing to type

    # -- demo -----------------------------------------------------------------------------------

    def _demo_banner(self) -> QWidget:
        banner = QWidget()
        banner.setObjectName("demoBanner")
        text = QLabel(_("Demo data: made up, never synced. Your own data is kept aside."))
        self.back_button = QPushButton(_("Back to &my data"))
        self.back_button.clicked.connect(lambda: self.sig_switch_requested.emit("own"))
        layout = QHBoxLayout(banner)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(text)
        layout.addWidget(self.back_button)
        return banner

    # -- the tour -------------------------------------------------------------------------------

    def _offer_tour(self) -> None:
        if not self._settings.value(TOUR_SHOWN, False, type=bool):
            self.show_tour()

    def show_tour(self) -> None:
        if self.tour is not None:
            self.tour.raise_()
            return
        self.tour = TourDialog(self._desktop.window)
        self._settings.setValue(TOUR_SHOWN, True)  # seen once, finished or skipped
        self.tour.finished.connect(self._on_tour_finished)
        self.tour.open()

    def _on_tour_finished(self, _result: int) -> None:
        tour, self.tour = self.tour, None
        if tour is not None:
            tour.deleteLater()
        # The keys go back to the window the rep works in: without a window manager that gives
        # the focus back (or with one that does not), none had it, and Ctrl+L did nothing.
        # Not from another window that took them meanwhile (a message, a reminder).
        if QApplication.activeWindow() in (None, tour):
            self._desktop.window.activateWindow()
