"""The sync client: one step at a time, so the app can show progress and cancel.

A step sends the oldest waiting mutations and receives the next batch of changes in one
request; the reply is applied in one SQLite transaction. If the laptop is killed in between,
the next step simply repeats: the server skips mutations it already has, and the cursor only
moves when a reply is fully applied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from kpidesk.domain.changes import NOTHING, Changes
from kpidesk.domain.cycles import cycle_collection_paused
from kpidesk.domain.hlc import HybridClock
from kpidesk.protocol.schemas import (
    MAX_CHANGES_PER_RESPONSE,
    MAX_MUTATIONS_PER_REQUEST,
    Conflict,
    Rejected,
    SyncRequest,
    SyncResponse,
)
from kpidesk.store import meta, outbox, references, replica
from kpidesk.store.changes import changes
from kpidesk.store.database import Database
from kpidesk.store.profile import profile_etag
from kpidesk.sync.errors import ProblemKind, SyncProblemError

FIRST_BATCH = 1000


class SyncEndpoint(Protocol):
    def sync(self, request: SyncRequest) -> SyncResponse: ...


@dataclass(frozen=True)
class StepReport:
    sent: int
    received: int
    conflicts: list[Conflict]
    rejected: list[Rejected]
    cursor: int
    done: bool  # nothing left to send, nothing left to receive
    changes: Changes = NOTHING  # what the reply really changed here
    bad_rows: list[str] = field(default_factory=list)  # rows from the server left out


@dataclass
class SyncReport:
    sent: int = 0
    received: int = 0
    steps: int = 0
    cursor: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    cancelled: bool = False
    pending: int = 0  # changes still waiting to be sent (after a cancel)
    changes: Changes = NOTHING  # what the sync really changed here, for the views
    # Rows from the server that did not hold up, left out (the rest was applied): what was
    # wrong in each, naming the record and field.
    bad_rows: list[str] = field(default_factory=list)


class SyncCancelledError(Exception):
    pass


class SyncClient:
    def __init__(
        self,
        db: Database,
        endpoint: SyncEndpoint,
        *,
        mutations_per_step: int = 500,
        # The largest page the server sends: a first sync of 58,000 records took 0.7-0.8 of
        # its time with pages of 10,000 rather than 5,000 (half the requests and commits).
        changes_per_step: int = MAX_CHANGES_PER_RESPONSE,
    ) -> None:
        self._db = db
        self._endpoint = endpoint
        self._mutations_per_step = min(mutations_per_step, MAX_MUTATIONS_PER_REQUEST)
        self._changes_per_step = changes_per_step
        self._lock = threading.Lock()  # one sync at a time in this process

    def step(self) -> StepReport:
        """One request and its reply. Indexes a first pull sets aside come back with its last
        page, or with :meth:`sync`'s end: a pull stopped between steps leaves them to the next
        sync or opening."""
        with self._lock, cycle_collection_paused():
            return self._step()

    def sync(
        self,
        progress: Callable[[SyncReport], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        max_steps: int = 10_000,
    ) -> SyncReport:
        """Step until nothing is left to send or receive (or ``cancelled()`` says stop).

        While a reply is being applied, the next batch of a long pull is already asked for
        (the cursor it needs is in the reply): the server and the laptop work side by side.
        A prefetched reply is used only if the cursor it was asked from is where the laptop
        is after applying; otherwise it is dropped.
        """
        report = SyncReport()
        # A long pull decodes and applies pages of 10,000 rows: with the collector on, its
        # passes over everything the app holds were a fifth of a first sync's time.
        with cycle_collection_paused():
            try:
                self._steps(report, progress, cancelled, max_steps)
            finally:
                # A pull cut short (Cancel, a lost connection, a refused reply) builds now the
                # indexes its first pages set aside (store.bulk.defer_indexes), not at its end.
                self._db.restore_deferred_indexes()
                if report.steps > 1:  # the replies' commits left the WAL to grow
                    self._db.checkpoint()  # (Database.write)
        with self._db.read() as conn:
            report.pending = outbox.pending_count(conn)
        return report

    def _steps(
        self,
        report: SyncReport,
        progress: Callable[[SyncReport], None] | None,
        cancelled: Callable[[], bool] | None,
        max_steps: int,
    ) -> None:
        renumbered = False
        with self._lock, ThreadPoolExecutor(max_workers=1) as background:
            ahead: tuple[SyncRequest, Future[SyncResponse]] | None = None
            for number in range(max_steps):
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    break
                # A small first batch: the laptop starts applying (and the next batch is
                # under way) sooner on a long first sync; an empty sync costs the same.
                request = self._request(FIRST_BATCH if number == 0 else None)
                if ahead is not None and ahead[0] == request:
                    reply = self._read(ahead[1].result())
                else:
                    reply = self._endpoint.sync(request)
                ahead = None
                if reply.has_more and not request.mutations:
                    following = request.model_copy(  # as the next step asks (full pages)
                        update={"cursor": reply.next_cursor, "profile_etag": reply.profile_etag,
                                "limit": self._changes_per_step}
                    )  # fmt: skip
                    ahead = (following, background.submit(self._fetch, following))
                step = self._apply(request, reply)
                report.steps += 1
                report.sent += step.sent
                report.received += step.received
                report.cursor = step.cursor
                report.conflicts.extend(step.conflicts)
                report.rejected.extend(step.rejected)
                report.changes |= step.changes
                report.bad_rows.extend(step.bad_rows)
                if progress is not None:
                    progress(report)
                if step.done:
                    if not renumbered:  # once all is in: duplicated references (one more step
                        renumbered = True  # sends the new ones)
                        fixed = self._renumber_references()
                        if fixed:
                            report.changes |= fixed
                            continue
                    break
            if ahead is not None:
                ahead[1].cancel()

    def _renumber_references(self) -> Changes:
        """This laptop's offer references that another offer also has, given the new form
        (store.references); what changed, NOTHING when none."""
        with self._db.read() as conn:
            if meta.get(conn, meta.DEVICE_ID) is None:
                return NOTHING
        with changes(self._db) as change_set:
            renamed = references.renumber_duplicates(change_set)
        return Changes.of(offer=renamed) if renamed else NOTHING

    def _fetch(self, request: SyncRequest) -> Any:
        """The network half of a sync request (decoding stays on the calling thread)."""
        fetch = getattr(self._endpoint, "fetch_sync", None)
        return fetch(request) if fetch is not None else self._endpoint.sync(request)

    def _read(self, fetched: Any) -> SyncResponse:
        if isinstance(fetched, SyncResponse):
            return fetched
        return self._endpoint.read_sync(fetched)  # type: ignore[attr-defined]

    def _step(self) -> StepReport:
        request = self._request()
        reply = self._endpoint.sync(request)  # no transaction open while on the network
        return self._apply(request, reply)

    def _request(self, limit: int | None = None) -> SyncRequest:
        with self._db.read() as conn:
            if meta.is_demo(conn):
                raise SyncProblemError(ProblemKind.DEMO, "A demo database is never synced.")
            device_id = meta.get(conn, meta.DEVICE_ID)
            if device_id is None or meta.get(conn, meta.USER_ID) is None:
                raise SyncProblemError(
                    ProblemKind.NOT_CONNECTED, "Sign in to your team server first."
                )
            return SyncRequest(
                device_id=device_id,
                cursor=replica.cursor(conn),
                mutations=replica.pending_mutations(conn, self._mutations_per_step),
                profile_etag=profile_etag(conn),
                limit=min(limit, self._changes_per_step) if limit else self._changes_per_step,
                # No echo of our own writes, except while pulling everything again after a
                # resync: the rows not heard of by its end are dropped here.
                skip_own=not replica.resync_pending(conn),
                compact=True,  # rows as arrays, checked a page at a time
                purge_mark=True,  # to purge the tombstones the server has purged
            )

    def _apply(self, request: SyncRequest, reply: SyncResponse) -> StepReport:
        self._check_reply(request, reply)
        with self._db.write(durable=False) as conn:  # a lost apply is simply fetched again
            if replica.cursor(conn) != request.cursor:
                # Another process synced meanwhile; this reply is stale: apply nothing.
                return StepReport(0, 0, [], [], replica.cursor(conn), done=False)
            clock = HybridClock(request.device_id, meta.get(conn, meta.HLC))
            try:
                # One bad row is left out and reported; the rest of the team's data comes in.
                applied = replica.apply_reply(conn, reply, clock, keep_going=True)
            except ValueError as exc:
                raise SyncProblemError(
                    ProblemKind.GARBLED,
                    f"The team server sent data that does not hold up ({exc}); nothing was "
                    "changed here.",
                ) from None
            left = outbox.pending_count(conn)
        sent = sum(1 for m in request.mutations if m.mid <= reply.acked_mid)
        return StepReport(
            sent=sent,
            received=reply.row_count(),
            conflicts=applied.conflicts,
            rejected=reply.rejected,
            cursor=reply.next_cursor,
            done=not reply.has_more and left == 0,
            changes=applied.changes,
            bad_rows=applied.bad_rows,
        )

    @staticmethod
    def _check_reply(request: SyncRequest, reply: SyncResponse) -> None:
        """Refuse replies that cannot be right, before touching the database."""
        sent_mids = [m.mid for m in request.mutations]
        if sent_mids and reply.acked_mid > sent_mids[-1]:
            raise SyncProblemError(
                ProblemKind.GARBLED, "The team server acknowledged changes it was never sent."
            )
        if reply.next_cursor < request.cursor and not reply.resync:
            raise SyncProblemError(
                ProblemKind.GARBLED, "The team server's reply would move this laptop backwards."
            )
        if reply.row_count() > request.limit:
            raise SyncProblemError(
                ProblemKind.GARBLED, "The team server sent more than was asked for."
            )
