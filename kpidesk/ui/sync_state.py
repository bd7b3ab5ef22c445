"""The sync state the desktop shows, and the timings that decide when to sync: plain values,
shared by the controller and the views that show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from kpidesk.sync.errors import ProblemKind


class SyncPhase(Enum):
    DEMO = "demo"  # a demo database never syncs
    NOT_CONNECTED = "not_connected"  # no team server: everything stays on this laptop
    IDLE = "idle"  # signed in, waiting for the next sync (or never synced yet)
    SYNCING = "syncing"
    OFFLINE = "offline"  # the server cannot be reached: retried with backoff
    PROBLEM = "problem"  # another problem, in ``SyncState.problem``


# Problems that may go away by themselves (network, server, a hotel's captive portal, the clock
# being set right): retried with backoff. The others need the rep (sign in again...).
RETRIED = frozenset(
    {ProblemKind.OFFLINE, ProblemKind.SERVER, ProblemKind.GARBLED, ProblemKind.TLS,
     ProblemKind.CLOCK}
)  # fmt: skip
# Problems worth a toast: nothing will sync until the rep does something.
MUST_ACT = frozenset({ProblemKind.CLOCK, ProblemKind.SIGNED_OUT, ProblemKind.NOT_CONNECTED})


@dataclass(frozen=True)
class SyncProgress:
    steps: int = 0
    sent: int = 0
    received: int = 0


@dataclass(frozen=True)
class SyncState:
    phase: SyncPhase = SyncPhase.NOT_CONNECTED
    server_url: str | None = None
    username: str | None = None
    pending: int = 0  # local changes not yet acknowledged by the server
    conflicts: int = 0  # open conflicts for the rep to review
    last_sync_at: datetime | None = None
    progress: SyncProgress | None = None  # while syncing
    stopping: bool = False  # the rep asked a running sync to stop
    next_try_at: datetime | None = None  # the next automatic sync, when one is planned
    problem: ProblemKind | None = None
    problem_message: str = ""  # the engine's own words (English), for the details

    @property
    def connected(self) -> bool:
        return self.phase not in (SyncPhase.DEMO, SyncPhase.NOT_CONNECTED)

    @property
    def needs_sign_in(self) -> bool:
        return self.problem in (ProblemKind.SIGNED_OUT, ProblemKind.NOT_CONNECTED)


@dataclass(frozen=True)
class SyncTimings:
    """Milliseconds; tests pass short ones."""

    every: int = 5 * 60_000  # automatic sync while all is well
    after_change: int = 5_000  # debounce after a local change
    at_start: int = 3_000  # the first sync once the app is open
    first_retry: int = 30_000  # backoff while offline: 30 s, 1 min, 2 min…
    max_retry: int = 15 * 60_000  # …never more than 15 min apart
    refresh_text: int = 20_000  # "synced 3 min ago" stays true


def retry_delay(failures: int, timings: SyncTimings) -> int:
    """Exponential backoff: the delay before the next try after ``failures`` in a row."""
    if failures <= 0:
        return timings.every
    return min(timings.max_retry, timings.first_retry * 2 ** min(failures - 1, 30))
