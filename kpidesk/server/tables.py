"""The server's tables: people, teams, devices, login throttling, and the synced records.

They live in the server's own SQLAlchemy registry: the laptop's tables are made from the same
record classes in another registry, and both can be loaded in one process (tests do).

Names: the people table is ``app_user`` because ``user`` is a reserved word in PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kpidesk.domain.coaching import ProposalAction, ProposalState
from kpidesk.domain.ids import uuid7
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.protocol.auth import Role
from kpidesk.records import (
    AccountRecord,
    ActivityRecord,
    ContactRecord,
    ObjectiveRecord,
    OfferRecord,
    SyncedRecord,
)
from kpidesk.records.types import EnumText, UtcDateTime

server_registry = registry()


class ServerTable(SQLModel, registry=server_registry):
    pass


def _id() -> str:
    return uuid7()


class User(ServerTable, table=True):
    __tablename__ = "app_user"

    id: str = Field(default_factory=_id, primary_key=True, max_length=36)
    # Stored normalised (lower case): "Marie" and "marie" are one person.
    username: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    password_hash: str = Field(max_length=255)  # argon2id, PHC string format
    role: Role = Field(default=Role.REP, sa_type=EnumText(Role))
    disabled: bool = Field(default=False)
    # The rep's choice (SYNC.md, "Visibility"): their managers pull their activities too.
    shares_activities: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class Team(ServerTable, table=True):
    __tablename__ = "team"

    id: str = Field(default_factory=_id, primary_key=True, max_length=36)
    name: str = Field(max_length=100, sa_column_kwargs={"unique": True})
    # One manager per team; a manager may lead several teams.
    manager_id: str = Field(foreign_key="app_user.id", max_length=36, index=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class TeamMember(ServerTable, table=True):
    __tablename__ = "team_member"

    team_id: str = Field(foreign_key="team.id", primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="app_user.id", primary_key=True, max_length=36, index=True)


class Device(ServerTable, table=True):
    """A laptop registered to one user, with its one current bearer token.

    Only the token's SHA-256 is stored: a copy of the database gives no usable token.
    """

    __tablename__ = "device"

    # The laptop's own device id (SYNC.md) when it sends one at login, else made here.
    id: str = Field(default_factory=_id, primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="app_user.id", max_length=36, index=True)
    name: str = Field(max_length=100)
    token_sha256: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    last_seen_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The last mutation id applied from this device: a retried request changes nothing.
    last_mid: int = Field(default=0, sa_type=sa.BigInteger)
    # What this user may see changed (a share, a team): the device pulls everything again.
    resync_needed: bool = Field(default=False)
    # The highest cursor this device has sent: it has applied every change up to it. Tombstones
    # are purged only up to the lowest of these (kpidesk.server.sync.purge).
    synced_to: int = Field(default=0, sa_type=sa.BigInteger)


class LoginFailure(ServerTable, table=True):
    """One failed login, kept for the throttle window. In the database, not in memory, so
    every worker and every server process behind a load balancer counts the same failures."""

    __tablename__ = "login_failure"
    __table_args__ = (
        sa.Index("ix_login_failure_username_at", "username", "failed_at"),
        sa.Index("ix_login_failure_address_at", "client_address", "failed_at"),
        sa.Index("ix_login_failure_at", "failed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    client_address: str = Field(max_length=64)
    failed_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ServerState(ServerTable, table=True):
    """One row (id 1) holding the global change counter of SYNC.md.

    Versions are taken with ``UPDATE ... SET last_server_version = last_server_version + n``:
    the row lock is held until commit, so versions commit in the order they are handed out.
    """

    __tablename__ = "server_state"

    id: int = Field(primary_key=True)
    last_server_version: int = Field(default=0, sa_type=sa.BigInteger)
    # The server's hybrid logical clock: never behind any stamp it accepted.
    hlc: str | None = Field(default=None, max_length=120)
    # Tombstones up to this version were purged: a cursor below it needs a full resync.
    purged_before: int = Field(default=0, sa_type=sa.BigInteger)


class AccountShare(ServerTable, table=True):
    """An account its owner shares with another user (who then pulls it)."""

    __tablename__ = "account_share"

    account_id: str = Field(primary_key=True, max_length=36)
    user_id: str = Field(foreign_key="app_user.id", primary_key=True, max_length=36, index=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class SyncConflict(ServerTable, table=True):
    """A field a device wrote while another author had changed it since the device's base.

    Kept until the device's cursor passes ``server_version``, so a lost reply loses nothing.
    """

    __tablename__ = "sync_conflict"
    __table_args__ = (sa.Index("ix_sync_conflict_device_version", "device_id", "server_version"),)

    id: int | None = Field(default=None, primary_key=True)
    device_id: str = Field(max_length=36)
    table_name: str = Field(max_length=24)
    row_id: str = Field(max_length=36)
    field: str = Field(max_length=40)
    yours: Any = Field(default=None, sa_type=sa.JSON, nullable=True)
    theirs: Any = Field(default=None, sa_type=sa.JSON, nullable=True)
    their_author: str = Field(max_length=120)
    kept: str = Field(max_length=8)
    server_version: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ObjectiveProposal(ServerTable, table=True):
    """An objective a manager proposes to a rep of a team they lead (KPIS.md, "Objectives"):
    the target on the table and whose answer it waits for. Its steps are ``proposal_event``."""

    __tablename__ = "objective_proposal"

    id: str = Field(default_factory=_id, primary_key=True, max_length=36)
    team_id: str = Field(foreign_key="team.id", max_length=36, index=True)
    manager_id: str = Field(foreign_key="app_user.id", max_length=36, index=True)
    rep_id: str = Field(foreign_key="app_user.id", max_length=36, index=True)
    kpi_key: str = Field(max_length=40)
    period_kind: PeriodKind = Field(sa_type=EnumText(PeriodKind))
    target: float
    state: ProposalState = Field(sa_type=EnumText(ProposalState))
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ProposalEvent(ServerTable, table=True):
    """One step of a proposal's history: who did what, with which target and note."""

    __tablename__ = "proposal_event"

    id: int | None = Field(default=None, primary_key=True)
    proposal_id: str = Field(foreign_key="objective_proposal.id", max_length=36, index=True)
    at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    author_id: str = Field(foreign_key="app_user.id", max_length=36)
    action: ProposalAction = Field(sa_type=EnumText(ProposalAction))
    target: float | None = Field(default=None)
    note: str = Field(default="", max_length=1000)


class FieldVersions(SQLModel):
    """Server-only column of every synced table: the server_version at which each field last
    changed ("*" for every field without its own entry). It tells a conflict (another author
    changed the field after the version a device had seen) from an ordinary update."""

    versions: dict[str, int] = Field(default_factory=dict, sa_type=sa.JSON)


class DeletionTime(SQLModel):
    """Server-only column of every synced table: when the server accepted the row's deletion
    (null while alive). A delete carries no clock stamp of its own (only the new causal
    length), so the row's clocks tell when its fields were written, not when it was deleted;
    purging tombstones "older than 90 days" needs this."""

    deleted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class EchoHolder(SQLModel):
    """Server-only column of every synced table: the device that wrote the row's latest
    version and already holds exactly that version (its write merged over a version it had
    applied), so the version is not sent back to it. Null when nobody holds it yet, e.g. a
    write merged over a version its device had not received: that device must receive it."""

    written_by: str | None = Field(default=None, max_length=36)


# The synced records. Sync reads "rows of these owners changed after version n", hence
# (owner_id, server_version); rows hanging off an account are also found through it.


class Account(AccountRecord, FieldVersions, DeletionTime, EchoHolder, ServerTable, table=True):
    __tablename__ = "account"
    __table_args__ = (
        sa.Index("ix_account_owner_version", "owner_id", "server_version"),
        sa.Index("ix_account_version", "server_version"),
    )


class Contact(ContactRecord, FieldVersions, DeletionTime, EchoHolder, ServerTable, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        sa.Index("ix_contact_owner_version", "owner_id", "server_version"),
        sa.Index("ix_contact_version", "server_version"),
        sa.Index("ix_contact_account", "account_id"),
    )


class Activity(ActivityRecord, FieldVersions, DeletionTime, EchoHolder, ServerTable, table=True):
    __tablename__ = "activity"
    __table_args__ = (
        sa.Index("ix_activity_owner_version", "owner_id", "server_version"),
        sa.Index("ix_activity_version", "server_version"),
        sa.Index("ix_activity_account", "account_id"),
    )


class Offer(OfferRecord, FieldVersions, DeletionTime, EchoHolder, ServerTable, table=True):
    __tablename__ = "offer"
    __table_args__ = (
        sa.Index("ix_offer_owner_version", "owner_id", "server_version"),
        sa.Index("ix_offer_version", "server_version"),
        sa.Index("ix_offer_account", "account_id"),
    )


class Objective(ObjectiveRecord, FieldVersions, DeletionTime, EchoHolder, ServerTable, table=True):
    __tablename__ = "objective"
    __table_args__ = (
        sa.Index("ix_objective_owner_version", "owner_id", "server_version"),
        sa.Index("ix_objective_version", "server_version"),
    )


SERVER_RECORD_TABLES: dict[str, type[SyncedRecord]] = {
    "account": Account,
    "contact": Contact,
    "activity": Activity,
    "offer": Offer,
    "objective": Objective,
}

metadata = server_registry.metadata


def table_of(model: type[Any]) -> sa.Table:
    table: sa.Table = model.__table__
    return table
