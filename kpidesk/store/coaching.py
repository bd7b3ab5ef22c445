"""The team view the server last sent (``GET /v1/coaching``), kept in ``local_meta`` so the
team page and "What my manager sees" work offline until the next sync.

Kept for the user it was fetched for only: after another user signs in here it is not shown.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from pydantic import ValidationError

from kpidesk.protocol.coaching import CoachingReply
from kpidesk.store import meta

COACHING = "coaching"  # {"user_id": ..., "etag": ..., "reply": CoachingReply JSON}
# The agreed proposals this laptop has already turned into objectives: an objective the rep
# later deletes is not brought back by the next sync.
APPLIED_PROPOSALS = "coaching_applied"


def read_coaching(conn: sa.Connection) -> CoachingReply | None:
    stored = _stored(conn)
    if stored is None:
        return None
    try:
        return CoachingReply.model_validate(stored["reply"])
    except (KeyError, ValidationError):
        return None  # written by another version: the next sync brings a new one


def coaching_etag(conn: sa.Connection) -> str | None:
    stored = _stored(conn)
    return stored.get("etag") if stored else None


def write_coaching(conn: sa.Connection, reply: CoachingReply, etag: str | None) -> None:
    document = {
        "user_id": meta.my_id(conn),
        "etag": etag,
        "reply": reply.model_dump(mode="json"),
    }
    meta.put(conn, COACHING, json.dumps(document, separators=(",", ":")))


def retag_coaching(conn: sa.Connection, etag: str) -> None:
    """The server says the kept reply still holds, under a new tag (its fingerprint or how
    long it stays valid moved): keep the reply, with the tag the next request sends."""
    stored = _stored(conn)
    if stored is not None and stored.get("etag") != etag:
        meta.put(conn, COACHING, json.dumps({**stored, "etag": etag}, separators=(",", ":")))


def forget_coaching(conn: sa.Connection) -> None:
    meta.delete(conn, COACHING)


def applied_proposals(conn: sa.Connection) -> set[str]:
    stored = meta.get(conn, APPLIED_PROPOSALS)
    return set(json.loads(stored)) if stored else set()


def mark_applied(conn: sa.Connection, proposal_ids: set[str]) -> None:
    if proposal_ids:
        ids = sorted(applied_proposals(conn) | proposal_ids)
        meta.put(conn, APPLIED_PROPOSALS, json.dumps(ids))


def _stored(conn: sa.Connection) -> dict | None:  # type: ignore[type-arg]
    text = meta.get(conn, COACHING)
    if not text:
        return None
    try:
        stored = json.loads(text)
    except ValueError:
        return None
    if not isinstance(stored, dict) or stored.get("user_id") != meta.my_id(conn):
        return None
    return stored
