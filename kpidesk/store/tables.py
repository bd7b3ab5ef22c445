"""The local SQLite tables: the synced records plus what never leaves the laptop.

They live in their own SQLAlchemy registry so the server's tables, made from the same record
classes, can be loaded in the same process (tests do) without clashing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kpidesk.records import (
    AccountRecord,
    ActivityRecord,
    ContactRecord,
    ObjectiveRecord,
    OfferRecord,
    SyncedRecord,
)
from kpidesk.records.types import UtcDateTime

local_registry = registry()


class LocalTable(SQLModel, registry=local_registry):
    pass


class Account(AccountRecord, LocalTable, table=True):
    __tablename__ = "account"
    __table_args__ = (
        sa.Index("ix_account_created_at", "created_at"),
        sa.Index("ix_account_referred_by", "referred_by"),
        # hot_prospects reads this index alone (migration 0007).
        sa.Index(
            "ix_account_temperature_status",
            "temperature",
            "status",
            "created_at",
            "created_status",
            "cl",
            "owner_id",
            "id",
        ),
    )


class Contact(ContactRecord, LocalTable, table=True):
    __tablename__ = "contact"
    __table_args__ = (sa.Index("ix_contact_account", "account_id"),)


class Activity(ActivityRecord, LocalTable, table=True):
    __tablename__ = "activity"
    __table_args__ = (
        # Covering indexes (migration 0004): the indicators and the suggestions ("last contact",
        # "a follow-up within a week") read these indexes alone, never the table rows.
        # owner_id is in them too (migration 0006): "my" numbers filter on it.
        sa.Index(
            "ix_activity_done_kind_purpose", "done_at", "kind", "purpose", "cl", "owner_id", "id"
        ),
        sa.Index("ix_activity_due_at", "due_at"),
        sa.Index(
            "ix_activity_account_done_purpose", "account_id", "done_at", "purpose", "cl", "owner_id"
        ),
        sa.Index(
            "ix_activity_offer_done_purpose", "offer_id", "done_at", "purpose", "cl", "owner_id"
        ),
    )

    # Never synced: not a field of ActivityRecord, so no mutation can carry it.
    private_note: str | None = Field(default=None, max_length=10_000)


class Offer(OfferRecord, LocalTable, table=True):
    __tablename__ = "offer"
    __table_args__ = (
        sa.Index("ix_offer_status_sent", "status", "sent_at"),
        sa.Index("ix_offer_decided_at", "decided_at"),
        sa.Index("ix_offer_sent_at", "sent_at"),
        # Decisions by status, and wins per account (migration 0004).
        sa.Index("ix_offer_status_decided", "status", "decided_at"),
        sa.Index("ix_offer_account_status_decided", "account_id", "status", "decided_at", "cl"),
    )


class Objective(ObjectiveRecord, LocalTable, table=True):
    __tablename__ = "objective"


LOCAL_TABLES: dict[str, type[SyncedRecord]] = {
    "account": Account,
    "contact": Contact,
    "activity": Activity,
    "offer": Offer,
    "objective": Objective,
}

metadata = local_registry.metadata

# Local-only fields of synced tables: never written to the outbox, never sent.
LOCAL_ONLY_FIELDS: dict[str, frozenset[str]] = {"activity": frozenset({"private_note"})}

outbox = sa.Table(
    "outbox",
    metadata,
    # AUTOINCREMENT: a mid is never reused, and a rolled-back write does not consume one, so the
    # mids sent to the server are gap-free (SYNC.md: a gap is an error).
    sa.Column("mid", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("table_name", sa.String(24), nullable=False),
    sa.Column("row_id", sa.String(36), nullable=False),
    sa.Column("cl", sa.Integer, nullable=False),
    # The row's server_version when the write was made: the server uses it to tell a real
    # conflict (someone else changed the field since) from an ordinary update.
    sa.Column("base", sa.Integer, nullable=False, server_default="0"),
    # {name: {"v": value, "hlc": stamp}}; or, when ``hlc`` holds the one stamp of all its fields
    # (a bulk write: an import), only {name: value}, a quarter of the bytes. Read it through
    # kpidesk.store.outbox.wire_fields, which gives the first form either way.
    sa.Column("fields", sa.JSON, nullable=False),
    sa.Column("hlc", sa.String(64), nullable=True),
    sqlite_autoincrement=True,
)

# Device identity, clock and sync cursor, and flags such as "this is a demo database".
local_meta = sa.Table(
    "local_meta",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)


def table_of(key: str) -> sa.Table:
    table: Any = LOCAL_TABLES[key].__table__  # type: ignore[attr-defined]
    return table


# The rep's preferences (thresholds, temperature probabilities...): JSON values by key.
setting = sa.Table(
    "setting",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
)

# What the rep chose to do with a suggestion: dismissed for good, or snoozed until a time or
# until the record it is about changes (``fingerprint`` is that record's state when snoozed).
suggestion_choice = sa.Table(
    "suggestion_choice",
    metadata,
    sa.Column("rule_key", sa.String(40), primary_key=True),
    sa.Column("subject_key", sa.String(80), primary_key=True),
    sa.Column("choice", sa.String(16), nullable=False),
    sa.Column("until", UtcDateTime, nullable=True),
    sa.Column("fingerprint", sa.String(128), nullable=True),
    sa.Column("chosen_at", UtcDateTime, nullable=False),
)


# Conflicts the server reported for this device's writes, shown to the rep in business words
# until they keep one of the two values.
sync_conflict = sa.Table(
    "sync_conflict",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("table_name", sa.String(24), nullable=False),
    sa.Column("row_id", sa.String(36), nullable=False),
    sa.Column("field", sa.String(40), nullable=False),
    sa.Column("yours", sa.JSON, nullable=True),
    sa.Column("theirs", sa.JSON, nullable=True),
    sa.Column("their_author", sa.String(120), nullable=False),
    sa.Column("kept", sa.String(8), nullable=False),
    sa.Column("server_version", sa.Integer, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Column("resolved_at", UtcDateTime, nullable=True),
    # The server repeats a conflict until the device's cursor passes it: stored once.
    sa.UniqueConstraint("table_name", "row_id", "field", "server_version", name="uq_conflict"),
)
