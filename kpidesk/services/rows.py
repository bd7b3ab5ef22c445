"""The rows the lists show: plain frozen objects, each knowing whose record it is.

``owner_name`` is None for the rep's own records and names the colleague otherwise (an account
shared with the rep, a manager's read-only team pipeline): the pages show it and offer no edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from kpidesk.domain.people import Profile
from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)
from kpidesk.store.kpi_queries import ObjectiveRow
from kpidesk.store.queries import ActivityFilter, OfferFilter

T = TypeVar("T")

__all__ = [
    "AccountRow",
    "ActivityFilter",
    "ActivityRow",
    "ContactRow",
    "ObjectiveRow",
    "OfferFilter",
    "OfferRow",
]


class _Owned:
    """Whose row it is: ``owner_name`` is None for the rep's own."""

    __slots__ = ()
    owner_name: str | None

    @property
    def is_mine(self) -> bool:
        return self.owner_name is None


@dataclass(frozen=True, slots=True)
class AccountRow(_Owned):
    id: str
    name: str
    status: AccountStatus
    temperature: Temperature
    city: str | None
    sector: str | None
    last_contact_at: datetime | None
    open_offers: int
    open_amount_cents: int
    owner_id: str
    owner_name: str | None = None


@dataclass(frozen=True, slots=True)
class ContactRow(_Owned):
    id: str
    account_id: str
    name: str
    role: str | None
    phone: str | None
    email: str | None
    owner_id: str
    owner_name: str | None = None


@dataclass(frozen=True, slots=True)
class ActivityRow(_Owned):
    id: str
    account_id: str
    account_name: str | None
    offer_id: str | None
    kind: ActivityKind
    purpose: ActivityPurpose
    due_at: datetime | None
    done_at: datetime | None
    outcome: str | None
    notes: str | None
    private_note: str | None
    owner_id: str
    owner_name: str | None = None

    @property
    def is_planned(self) -> bool:
        return self.done_at is None

    @property
    def when(self) -> datetime:
        """The date that places the activity in time: done, else due."""
        return self.done_at or self.due_at  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class OfferRow(_Owned):
    id: str
    account_id: str
    account_name: str | None
    temperature: Temperature | None
    reference: str
    title: str
    amount_cents: int
    margin_cents: int | None
    currency: str
    status: OfferStatus
    sent_at: datetime | None
    decided_at: datetime | None
    lost_reason: str | None
    probability: float | None
    last_activity_at: datetime | None
    owner_id: str
    owner_name: str | None = None


def rows_of(row_type: type[T], raw: Iterable[Sequence[Any]], profile: Profile) -> list[T]:
    """Result rows from the store's tuples (whose last column is ``owner_id``), each naming
    its owner unless it is mine."""
    return [row_type(*row, profile.owner_name(row[-1])) for row in raw]  # type: ignore[call-arg]
