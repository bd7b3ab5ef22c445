"""When to sync, one sync at a time, off the GUI thread, and what state to show the rep.

Every sync, sign-in and sign-out runs on the TaskRunner: HTTP and the keyring can block for
seconds. Syncs are automatic once signed in: a few seconds after local changes (debounced),
every few minutes otherwise, and with exponential backoff while the server cannot be reached
(reset after a success). "Sync now" runs one at once. Problems never raise into the GUI: they
become a state in plain words, and a toast only when the rep must act (clock, signed out).

The sync engine (``kpidesk.sync``) pulls in httpx and keyring; this module only names its types,
so importing it costs nothing at start-up.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from kpidesk.domain.changes import NOTHING, Changes, Kind
from kpidesk.domain.timeutil import from_wire, utc_now
from kpidesk.presentation import sync as words
from kpidesk.sync.errors import ProblemKind, SyncProblemError
from kpidesk.ui.context import Notifier
from kpidesk.ui.events import DataEvents
from kpidesk.ui.sync_state import (
    MUST_ACT,
    RETRIED,
    SyncPhase,
    SyncProgress,
    SyncState,
    SyncTimings,
    retry_delay,
)
from kpidesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from kpidesk.services.conflicts import ConflictService
    from kpidesk.sync.client import SyncReport
    from kpidesk.sync.session import SyncSession, SyncStatus
    from kpidesk.sync.transport import ServerConnection


@dataclass(frozen=True)
class _Snapshot:
    status: SyncStatus
    conflicts: int


@dataclass(frozen=True)
class _Outcome:
    report: SyncReport | None
    problem: SyncProblemError | None
    snapshot: _Snapshot
    followed: Changes = NOTHING  # what the after-sync step changed here (the team view)


class SyncController(QObject):
    """Signals:
    sig_state_changed: the SyncState to show (also re-sent now and then so "N min ago" stays
        true; no database read for that).
    sig_sync_finished: a sync ended; the SyncReport, or None when it failed.
    sig_signed_in: the sign-in worked; the SignInResult.
    sig_sign_in_failed: the sign-in was refused or failed; the exception (nothing was saved).
    sig_signed_out: signed out; a notice (str) when the server could not be told, else None.
    sig_keyring_checked: whether a system keyring exists (False: sign-ins last one session).
    """

    sig_state_changed = Signal(object)
    sig_sync_finished = Signal(object)
    sig_signed_in = Signal(object)
    sig_sign_in_failed = Signal(object)
    sig_signed_out = Signal(object)
    sig_keyring_checked = Signal(bool)
    _sig_progress = Signal(int, int, int)  # emitted on the worker thread, queued to this one

    def __init__(
        self,
        session: SyncSession,
        conflicts: ConflictService,
        tasks: TaskRunner,
        events: DataEvents,
        notifier: Notifier,
        *,
        has_keyring: Callable[[], bool] = lambda: True,
        timings: SyncTimings | None = None,
        now: Callable[[], datetime] = utc_now,
        after_sync: Callable[[ServerConnection], Changes] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        # Run on the worker after each sync that went through, on its connection (the team
        # view's fetch); its own failure never fails the sync.
        self._after_sync = after_sync
        self._conflicts = conflicts
        self._tasks = tasks
        self._events = events
        self._notifier = notifier
        self._has_keyring = has_keyring
        self.timings = timings or SyncTimings()
        self.now = now  # the clock of every time shown (tests pass their own)
        self.state = SyncState()
        self._busy = False  # a sync, sign-in or sign-out is running
        self._cancel = threading.Event()
        self._again = False  # something asked for a sync while one ran
        self._queued: list[Callable[[], None]] = []  # sign-in/out waiting for a sync to end
        self._failures = 0
        self._told: ProblemKind | None = None  # the problem last shown in a toast
        self._announcing = False
        self._closed = False
        self._sync_after_refresh: int | None = None  # ms; a sync to plan after the next refresh
        self._next_timer = self._single_shot(self._on_next_timer_timeout)
        self._debounce_timer = self._single_shot(self.sync_now)
        self._text_timer = QTimer(self)
        self._text_timer.timeout.connect(lambda: self.sig_state_changed.emit(self.state))
        self._text_timer.start(self.timings.refresh_text)
        self._sig_progress.connect(self._on_progress)
        events.sig_changed.connect(self._on_events_changed)

    def _single_shot(self, slot: Callable[[], None]) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.timeout.connect(slot)
        return timer

    # -- what the rep (or the app) asks for ------------------------------------------------

    def start(self) -> None:
        """Read the state; once signed in, the first sync follows shortly."""
        self.refresh(then_sync_in=self.timings.at_start)

    def sync_now(self) -> None:
        if self._closed:
            return
        if self._busy:
            self._again = True
            return
        if not self.state.connected:
            return
        self._run_sync()

    def cancel(self) -> None:
        """Stop a running sync after its current step (what was applied stays applied)."""
        if self.state.phase is SyncPhase.SYNCING and not self._cancel.is_set():
            self._cancel.set()
            self._again = False
            self._set(stopping=True)

    def shutdown(self) -> None:
        """The app is closing: no new sync, and a running one stops after its step."""
        self._closed = True
        for timer in (self._next_timer, self._debounce_timer, self._text_timer):
            timer.stop()
        self._cancel.set()
        self._queued.clear()
        self._again = False

    def check_keyring(self) -> None:
        self._tasks.run(self._has_keyring, self.sig_keyring_checked.emit, lambda _exc: None)

    def sign_in(self, url: str, username: str, password: str, ca_bundle: str | None) -> None:
        def run() -> None:
            self._busy = True
            self._tasks.run(
                lambda: self._session.sign_in(url, username, password, ca_bundle),
                self._on_signed_in,
                self._on_sign_in_failed,
            )

        self._after_current_sync(run)

    def sign_out(self) -> None:
        def run() -> None:
            self._busy = True
            self._tasks.run(self._session.sign_out, self._on_signed_out, self._on_sign_out_failed)

        self._stop_timers()
        self.cancel()
        self._after_current_sync(run)

    # -- syncing ---------------------------------------------------------------------------

    def _run_sync(self) -> None:
        self._stop_timers()
        self._busy = True
        self._again = False
        self._cancel = cancel = threading.Event()
        self._set(
            phase=SyncPhase.SYNCING, progress=SyncProgress(), stopping=False, next_try_at=None
        )
        self._tasks.run(lambda: self._sync_in_background(cancel), self._on_synced,
                        self._on_sync_crashed)  # fmt: skip

    def _sync_in_background(self, cancel: threading.Event) -> _Outcome:
        """On a worker thread: the keyring, HTTP and the database."""
        report, problem, followed = None, None, NOTHING
        try:
            client, connection = self._session.client()
            try:
                report = client.sync(progress=self._relay_progress, cancelled=cancel.is_set)
                if not report.cancelled:
                    followed = self._follow_sync(connection)
            finally:
                connection.close()
            if not report.cancelled:
                self._session.mark_synced(self.now())
        except SyncProblemError as exc:
            problem = exc
        return _Outcome(report, problem, self._read_snapshot(), followed)

    def _follow_sync(self, connection: ServerConnection) -> Changes:
        if self._after_sync is None:
            return NOTHING
        try:
            return self._after_sync(connection)
        except SyncProblemError as problem:
            log.info("after the sync: %s", problem.kind)
            return NOTHING

    def _relay_progress(self, report: SyncReport) -> None:
        self._sig_progress.emit(report.steps, report.sent, report.received)

    def _on_progress(self, steps: int, sent: int, received: int) -> None:
        if self.state.phase is SyncPhase.SYNCING:
            self._set(progress=SyncProgress(steps, sent, received))

    def _on_synced(self, outcome: _Outcome) -> None:
        self._busy = False
        report, problem = outcome.report, outcome.problem
        self._apply_snapshot(outcome.snapshot)
        if problem is None:
            assert report is not None
            self._after_success(report, outcome.followed)
        else:
            self._after_problem(problem)
        self.sig_sync_finished.emit(report if problem is None else None)
        self._run_queued()

    def _after_success(self, report: SyncReport, followed: Changes = NOTHING) -> None:
        self._failures = 0
        self._told = None
        self._set(phase=SyncPhase.IDLE, progress=None, stopping=False, problem=None,
                  problem_message="")  # fmt: skip
        # Only what the reply really changed here, and what the team view's fetch changed.
        self._announce(report.changes | followed)
        if Kind.OBJECTIVE in followed.kinds:
            self._again = True  # an agreed objective was written here: send it
        if report.conflicts:
            self._notifier.notify(words.conflicts_arrived())
        if report.rejected:
            self._notifier.error(words.refused(len(report.rejected), report.rejected[0].reason))
        if report.bad_rows:
            self._notifier.error(words.left_out(len(report.bad_rows), report.bad_rows[0]))
        if self._again and not report.cancelled:
            self._again = False
            self._debounce_timer.start(self.timings.after_change)
        self._plan_next(self.timings.every)

    def _after_problem(self, problem: SyncProblemError) -> None:
        kind = problem.kind
        phase = {ProblemKind.OFFLINE: SyncPhase.OFFLINE, ProblemKind.DEMO: SyncPhase.DEMO}.get(
            kind, SyncPhase.PROBLEM
        )
        self._set(phase=phase, progress=None, stopping=False, problem=kind,
                  problem_message=problem.message)  # fmt: skip
        self._again = False
        if kind in RETRIED:
            self._failures += 1
            self._plan_next(retry_delay(self._failures, self.timings))
        if kind in MUST_ACT and self._told is not kind:
            self._notifier.error(words.problem_text(kind, problem.message))
        self._told = kind if kind in MUST_ACT else self._told

    def _on_sync_crashed(self, error: BaseException) -> None:
        """Not a sync problem but a failure (a bug, a full disk): say so, retry later."""
        from kpidesk.ui.errors import plain_words

        self._busy = False
        self._failures += 1
        self._set(phase=SyncPhase.PROBLEM, progress=None, stopping=False, problem=None,
                  problem_message=plain_words(error))  # fmt: skip
        self._plan_next(retry_delay(self._failures, self.timings))
        self.sig_sync_finished.emit(None)
        self._run_queued()

    def _plan_next(self, delay_ms: int) -> None:
        if self._closed:
            return
        self._next_timer.start(delay_ms)
        self._set(next_try_at=self.now() + timedelta(milliseconds=delay_ms))

    def _on_next_timer_timeout(self) -> None:
        if self.state.connected and not self.state.needs_sign_in:
            self.sync_now()

    def _stop_timers(self) -> None:
        self._next_timer.stop()
        self._debounce_timer.stop()

    def _after_current_sync(self, action: Callable[[], None]) -> None:
        if self._busy:
            self._queued.append(action)
        else:
            action()

    def _run_queued(self) -> None:
        while self._queued and not self._busy:
            self._queued.pop(0)()

    # -- signing in and out ----------------------------------------------------------------

    def _on_signed_in(self, result: Any) -> None:
        self._busy = False
        self._failures = 0
        self._told = None
        self._set(problem=None, problem_message="", phase=SyncPhase.IDLE)
        self.sig_signed_in.emit(result)
        self._announce(result.changes)
        self._notifier.notify(words.signed_in(result.username, result.moved_records))
        self.refresh(then_sync_in=0)

    def _on_sign_in_failed(self, error: BaseException) -> None:
        self._busy = False
        self.sig_sign_in_failed.emit(error)
        self._run_queued()

    def _on_signed_out(self, notice: str | None) -> None:
        self._busy = False
        self._again = False
        self._failures = 0
        self._told = None
        self._stop_timers()
        self._set(phase=SyncPhase.NOT_CONNECTED, problem=None, problem_message="",
                  next_try_at=None, last_sync_at=None)  # fmt: skip
        self.sig_signed_out.emit(notice)
        self._notifier.notify(
            words.signed_out(server_told=notice is None, pending=self.state.pending)
        )
        self.refresh()
        self._run_queued()

    def _on_sign_out_failed(self, error: BaseException) -> None:
        from kpidesk.ui.errors import plain_words

        self._busy = False
        self._notifier.error(plain_words(error))
        self.refresh()
        self._run_queued()

    # -- state -----------------------------------------------------------------------------

    def _on_events_changed(self, _changes: Changes) -> None:
        if self._announcing:
            return  # our own "the sync changed things": no sync of its own
        self.refresh()
        if self._busy:
            self._again = True
        elif self.state.phase is SyncPhase.IDLE:
            # While offline or in trouble the planned retry carries the change.
            self._debounce_timer.start(self.timings.after_change)

    def _announce(self, changes: Changes) -> None:
        self._announcing = True
        try:
            self._events.announce(changes)
        finally:
            self._announcing = False

    def _read_snapshot(self) -> _Snapshot:
        return _Snapshot(self._session.status(), self._conflicts.open_count())

    def refresh(self, then_sync_in: int | None = None) -> None:
        """Read the state in the background; optionally plan a sync once known signed in.

        Refreshes supersede each other (only the latest result is shown), so a planned sync is
        remembered here rather than in the callback of a refresh that may be superseded.
        """
        if then_sync_in is not None:
            planned = self._sync_after_refresh
            self._sync_after_refresh = (
                then_sync_in if planned is None else min(planned, then_sync_in)
            )
        self._tasks.run(self._read_snapshot, self._on_refreshed, lambda _exc: None,
                        key="sync-state")  # fmt: skip

    def _on_refreshed(self, snapshot: _Snapshot) -> None:
        self._apply_snapshot(snapshot)
        delay, self._sync_after_refresh = self._sync_after_refresh, None
        if delay is None or self.state.phase is not SyncPhase.IDLE:
            return
        if delay == 0:
            self.sync_now()
        else:
            self._plan_next(delay)

    def _apply_snapshot(self, snapshot: _Snapshot) -> None:
        status = snapshot.status
        phase = self.state.phase
        if status.is_demo:
            phase = SyncPhase.DEMO
        elif not status.signed_in:
            phase = SyncPhase.NOT_CONNECTED
        elif phase in (SyncPhase.DEMO, SyncPhase.NOT_CONNECTED):
            phase = SyncPhase.IDLE
        self._set(
            phase=phase,
            server_url=status.server_url,
            username=status.username,
            pending=status.pending,
            conflicts=snapshot.conflicts,
            last_sync_at=from_wire(status.last_sync_at) if status.last_sync_at else None,
        )

    def _set(self, **changes: Any) -> None:
        state = replace(self.state, **changes)
        if state != self.state:
            self.state = state
            self.sig_state_changed.emit(state)
