"""Reminders while kpidesk runs: a QTimer asks, once a minute, which planned activities are due
soon (``ReminderService.take_due``, on the task runner: it reads and writes the database), and
shows them as a desktop notification, or in the window where the system has no tray.

What is due and when is decided in ``kpidesk.domain.reminders``; this is only the clock and
the display.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from kpidesk.domain.reminders import Planned
from kpidesk.domain.timeutil import utc_now
from kpidesk.presentation.reminders import reminder_words
from kpidesk.ui.context import UiContext
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.tray import DesktopTray

log = logging.getLogger(__name__)
CHECK_MS = 60_000  # a minute: a reminder is never more than a minute late


class ReminderClock(QObject):
    """Signals:
    sig_reminded: reminders were shown (the activities, earliest first).
    """

    sig_reminded = Signal(list)

    def __init__(
        self,
        ctx: UiContext,
        tray: DesktopTray,
        window: MainWindow,
        *,
        clock: Callable[[], datetime] = utc_now,
        interval_ms: int = CHECK_MS,
    ) -> None:
        super().__init__(window)
        self._ctx = ctx
        self._tray = tray
        self._window = window
        self._clock = clock
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self._first = QTimer(self)  # what fell due while kpidesk was closed, once it is open
        self._first.setSingleShot(True)
        self._first.setInterval(0)
        self._first.timeout.connect(self.check)
        # The workspace is closed after the window: a check a minute later would find no
        # database (and a language switch opens a new window beside this one until it goes).
        window.sig_closed.connect(self.stop)

    def start(self) -> None:
        self.timer.start()
        self._first.start()

    def stop(self) -> None:
        self.timer.stop()
        self._first.stop()

    def check(self) -> None:
        if self._busy:  # the previous check is still reading
            return
        self._busy = True
        now = self._clock()
        self._ctx.tasks.run(
            lambda: self._ctx.workspace.reminders.take_due(now),
            lambda due: self._on_due(due, now),
            self._on_failed,
        )

    def _on_failed(self, error: BaseException) -> None:
        self._busy = False  # the next minute tries again; no reminder is worth an error box
        log.warning("reminder check failed: %s", type(error).__name__)

    def _on_due(self, due: list[Planned], now: datetime) -> None:
        self._busy = False
        if not due:
            return
        title, text = reminder_words(due, now, self._ctx.fmt)
        if not self._tray.notify(title, text):
            # No tray here: in the window, kept until dismissed, and the window asks for
            # attention (a blinking task bar entry) if it is not in front.
            self._window.toast.remind(f"{title}\n{text}")
            QApplication.alert(self._window)
        self.sig_reminded.emit(due)
