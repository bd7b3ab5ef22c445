"""The one helper for background work (like Anki's CollectionOp/QueryOp).

The GUI thread never runs SQL, HTTP or keyring calls that can block: a page hands a function to
:class:`TaskRunner`, which runs it on a worker thread and calls ``on_success`` or ``on_failure``
back on the GUI thread. Tasks started with the same ``key`` supersede each other: only the latest
result is delivered, so fast typing or filter changes never paint stale rows.

Tests make the runner synchronous (``TaskRunner(synchronous=True)``) so they can assert on results
right after the call, as Picard does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]
ProgressCallback = Callable[[float], None]


class _Relay(QObject):
    """Carries a worker's outcome back to the GUI thread (signals cross threads safely)."""

    sig_done = Signal(int, object, object)  # (ticket, result, error)
    sig_progress = Signal(int, float)  # (ticket, share done)


class _Job(QRunnable):
    def __init__(self, ticket: int, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._ticket, self._fn, self._relay = ticket, fn, relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # delivered to on_failure; never lost in a thread
            self._relay.sig_done.emit(self._ticket, None, exc)
        else:
            self._relay.sig_done.emit(self._ticket, result, None)


class TaskRunner(QObject):
    """Runs callables off the GUI thread and reports back on it.

    ``sig_failed`` is emitted for failures that have no ``on_failure`` of their own, so the main
    window can show them to the rep in plain words.
    """

    sig_failed = Signal(object)  # the exception
    sig_busy_changed = Signal(bool)  # True while at least one task runs

    def __init__(self, parent: QObject | None = None, *, synchronous: bool = False) -> None:
        super().__init__(parent)
        self._synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._relay = _Relay(self)
        self._relay.sig_done.connect(self._on_relay_done)
        self._relay.sig_progress.connect(self._on_relay_progress)
        self._progress: dict[int, ProgressCallback] = {}
        self._next_ticket = 0
        self._pending: dict[int, tuple[SuccessCallback | None, FailureCallback | None]] = {}
        self._latest_by_key: dict[str, int] = {}
        self._key_of: dict[int, str] = {}

    def run(
        self,
        fn: Callable[[], Any],
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
        *,
        key: str | None = None,
    ) -> None:
        self._next_ticket += 1
        ticket = self._next_ticket
        self._pending[ticket] = (on_success, on_failure)
        if key is not None:
            self._latest_by_key[key] = ticket
            self._key_of[ticket] = key
        if len(self._pending) == 1:
            self.sig_busy_changed.emit(True)
        if self._synchronous:
            try:
                result = fn()
            except Exception as exc:
                self._on_relay_done(ticket, None, exc)
            else:
                self._on_relay_done(ticket, result, None)
        else:
            self._pool.start(_Job(ticket, fn, self._relay))

    def run_reporting(
        self,
        fn: Callable[[ProgressCallback], Any],
        on_progress: ProgressCallback,
        on_success: SuccessCallback | None = None,
        on_failure: FailureCallback | None = None,
    ) -> None:
        """Like :meth:`run` for work that takes seconds: ``fn`` is given a ``report(share)``
        to call from the worker (0 to 1), and ``on_progress`` hears it on the GUI thread."""
        ticket = self._next_ticket + 1  # the ticket run() is about to take
        self._progress[ticket] = on_progress
        relay = self._relay
        if self._synchronous:
            report: ProgressCallback = on_progress
        else:

            def report(share: float) -> None:
                relay.sig_progress.emit(ticket, share)  # queued: crosses to the GUI thread

        self.run(lambda: fn(report), on_success, on_failure)

    @Slot(int, float)
    def _on_relay_progress(self, ticket: int, share: float) -> None:
        on_progress = self._progress.get(ticket)
        if on_progress is not None:  # a report that arrives after the end is dropped
            on_progress(share)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every running task has finished (used at shutdown and in tests)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object, object)
    def _on_relay_done(self, ticket: int, result: Any, error: BaseException | None) -> None:
        on_success, on_failure = self._pending.pop(ticket, (None, None))
        self._progress.pop(ticket, None)
        key = self._key_of.pop(ticket, None)
        if not self._pending:
            self.sig_busy_changed.emit(False)
        if key is not None:
            if self._latest_by_key.get(key) != ticket:
                return  # superseded by a newer task with the same key
            del self._latest_by_key[key]
        if error is None:
            if on_success is not None:
                on_success(result)
            return
        if not isinstance(error, Exception):
            raise error  # KeyboardInterrupt, SystemExit: not ours to swallow
        from kpidesk.services.logfile import log_failure  # light: no Qt, no SQL imported

        log_failure("background task failed", error)
        if on_failure is not None:
            on_failure(error)
        else:
            self.sig_failed.emit(error)
