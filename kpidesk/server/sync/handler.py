"""One sync request, in one transaction: merge the device's mutations, read its changes, then
write. The counter's lock (taken by every writing sync) is held only for that last step."""

from __future__ import annotations

from typing import Any

from kpidesk.protocol.schemas import SyncRequest
from kpidesk.server.db import Database
from kpidesk.server.devices import Principal
from kpidesk.server.profile import etag_of, profile_of
from kpidesk.server.sync.audience import audience_for
from kpidesk.server.sync.changes import read_changes, undelivered_conflicts
from kpidesk.server.sync.echo import mark_writer
from kpidesk.server.sync.mutations import SyncRefusedError, merge_mutations


def handle_sync(
    db: Database, principal: Principal, request: SyncRequest, now_ms: int
) -> dict[str, Any]:
    """The SyncResponse as a plain dict (large replies are serialised without a model pass)."""
    if request.device_id != principal.device_id:
        raise SyncRefusedError(
            "device_mismatch", "This request names another device than the one signed in."
        )
    with db.session(write=True) as session:
        audience = audience_for(session, principal.user_id, principal.role)
        pending = merge_mutations(session, audience, principal.device_id, request.mutations, now_ms)
        # Read before writing: this device's own new rows are not in this reply, and with
        # `skip_own` not in the next ones either when it holds them (echo.py).
        batch = read_changes(
            session, audience, principal.device_id, request.cursor, request.limit,
            skip_own=request.skip_own, compact=request.compact,
        )  # fmt: skip
        earlier = undelivered_conflicts(
            session, principal.device_id, 0 if batch.resync else request.cursor
        )
        mark_writer(session, pending, principal.device_id, request.cursor)
        outcome = pending.commit(session)
        profile = profile_of(session, principal.user_id, principal.username, principal.role)
    etag = etag_of(profile)
    changed_profile = etag != request.profile_etag
    # Only a client that asked for pages gets the key: an older one refuses unknown keys.
    pages = {"pages": batch.pages} if request.compact else {}
    return {
        **pages,
        "acked_mid": outcome.acked_mid,
        "changes": batch.changes,
        "next_cursor": batch.next_cursor,
        "has_more": batch.has_more,
        "server_hlc": outcome.server_hlc,
        "conflicts": [c.model_dump(mode="json") for c in (*earlier, *outcome.conflicts)],
        "rejected": [r.model_dump(mode="json") for r in outcome.rejected],
        "resync": batch.resync,
        "profile": profile.model_dump(mode="json") if changed_profile else None,
        "profile_etag": etag,
        # Only to a client that asked: an older one refuses unknown keys.
        **({"purged_before": batch.purged_before} if request.purge_mark else {}),
    }
