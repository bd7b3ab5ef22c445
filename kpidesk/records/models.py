"""Account, Contact, Activity, Offer and Objective: their fields and sync columns."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from pydantic import field_validator
from sqlmodel import Field, SQLModel

from kpidesk.domain.ids import uuid7
from kpidesk.domain.timeutil import require_aware, utc_now
from kpidesk.domain.vocabulary import (
    AccountSource,
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    PeriodKind,
    Temperature,
)
from kpidesk.records.types import EnumText, UtcDateTime

# Columns every synced row carries (SYNC.md); they are not "business" fields and are never
# sent as field writes.
SYNC_COLUMNS = frozenset({"id", "owner_id", "clocks", "cl", "server_version"})


def _id() -> str:
    return uuid7()


def _instant(**kwargs: Any) -> Any:
    return Field(sa_type=UtcDateTime, **kwargs)


def _enum(enum_cls: type, default: Any, **kwargs: Any) -> Any:
    return Field(default=default, sa_type=EnumText(enum_cls), **kwargs)


def _ref(**kwargs: Any) -> Any:
    # References between synced rows are plain ids, not foreign-key constraints: a row may
    # arrive before the row it points to, or point to one this user may not see.
    return Field(max_length=36, **kwargs)


class SyncedRecord(SQLModel):
    """The sync columns of SYNC.md plus the shared validation of instants.

    Indexes are left to each side's tables: the laptop and the server query differently.
    """

    table_key: ClassVar[str]

    id: str = Field(default_factory=_id, primary_key=True, max_length=36)
    owner_id: str = Field(max_length=36)
    clocks: dict[str, str] = Field(default_factory=dict, sa_type=sa.JSON)
    cl: int = Field(default=1)
    server_version: int = Field(default=0)

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul_characters(cls, value: Any) -> Any:
        # A NUL can arrive in pasted text; nobody can see one, and PostgreSQL cannot store
        # it (the team server refuses it, and the change would never sync).
        return value.replace("\x00", "") if isinstance(value, str) and "\x00" in value else value

    @field_validator("*", mode="after")
    @classmethod
    def _instants_are_utc(cls, value: Any) -> Any:
        return require_aware(value) if isinstance(value, datetime) else value


class AccountRecord(SyncedRecord):
    table_key: ClassVar[str] = "account"

    name: str = Field(min_length=1, max_length=200)
    status: AccountStatus = _enum(AccountStatus, AccountStatus.PROSPECT)
    # The status the account had when it was created: "new prospects" counts accounts that
    # entered as suspect or prospect, even if they have become clients since.
    created_status: AccountStatus = _enum(AccountStatus, AccountStatus.PROSPECT)
    temperature: Temperature = _enum(Temperature, Temperature.COLD)
    source: AccountSource = _enum(AccountSource, AccountSource.PROSPECTING)
    referred_by: str | None = _ref(default=None)  # the account that recommended this one
    sector: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=10_000)
    created_at: datetime = _instant(default_factory=utc_now)


class ContactRecord(SyncedRecord):
    table_key: ClassVar[str] = "contact"

    account_id: str = _ref()
    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=10_000)
    created_at: datetime = _instant(default_factory=utc_now)


class ActivityRecord(SyncedRecord):
    """A call, visit, e-mail or other touch: planned (``due_at``) and/or done (``done_at``)."""

    table_key: ClassVar[str] = "activity"

    account_id: str = _ref()
    contact_id: str | None = _ref(default=None)
    offer_id: str | None = _ref(default=None)
    kind: ActivityKind = _enum(ActivityKind, ActivityKind.CALL)
    purpose: ActivityPurpose = _enum(ActivityPurpose, ActivityPurpose.OTHER)
    due_at: datetime | None = _instant(default=None)
    done_at: datetime | None = _instant(default=None)
    outcome: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=10_000)
    created_at: datetime = _instant(default_factory=utc_now)


class OfferRecord(SyncedRecord):
    """A quote sent to an account. Amounts are excluding tax, in integer cents."""

    table_key: ClassVar[str] = "offer"

    account_id: str = _ref()
    reference: str = Field(default="", max_length=40)
    title: str = Field(default="", max_length=200)
    amount_cents: int = Field(default=0, ge=0, sa_type=sa.BigInteger)
    margin_cents: int | None = Field(default=None, sa_type=sa.BigInteger)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    status: OfferStatus = _enum(OfferStatus, OfferStatus.DRAFT)
    sent_at: datetime | None = _instant(default=None)
    decided_at: datetime | None = _instant(default=None)
    lost_reason: str | None = Field(default=None, max_length=500)
    probability: float | None = Field(default=None, ge=0.0, le=1.0)
    created_at: datetime = _instant(default_factory=utc_now)


class ObjectiveRecord(SyncedRecord):
    """A target for one indicator over one kind of calendar period (month, quarter, year).

    ``target`` is in the indicator's own unit: a count, a fraction for rates, cents for money.
    """

    table_key: ClassVar[str] = "objective"

    kpi_key: str = Field(max_length=40)
    period_kind: PeriodKind = _enum(PeriodKind, PeriodKind.MONTH)
    target: float = Field(ge=0.0)
    created_at: datetime = _instant(default_factory=utc_now)


SYNCED_RECORDS: dict[str, type[SyncedRecord]] = {
    record.table_key: record
    for record in (AccountRecord, ContactRecord, ActivityRecord, OfferRecord, ObjectiveRecord)
}


def business_fields(record: type[SyncedRecord]) -> tuple[str, ...]:
    """The fields a sync mutation may carry for this record type, in declaration order."""
    return tuple(name for name in record.model_fields if name not in SYNC_COLUMNS)
