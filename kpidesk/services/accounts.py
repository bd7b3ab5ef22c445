"""Accounts (companies) and their contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kpidesk.domain.checks import check_name
from kpidesk.services.records import RecordService
from kpidesk.services.rows import (
    AccountRow,
    ActivityFilter,
    ActivityRow,
    ContactRow,
    OfferFilter,
    OfferRow,
    rows_of,
)
from kpidesk.store import queries
from kpidesk.store.errors import RecordNotFoundError
from kpidesk.store.profile import read_profile


@dataclass(frozen=True)
class AccountDetail:
    """Everything the account page shows, read in one snapshot."""

    account: dict[str, Any]
    owner_name: str | None  # None: mine; else the colleague it belongs to (read-only here)
    referred_by_name: str | None
    contacts: list[ContactRow]
    activities: list[ActivityRow]
    offers: list[OfferRow]


class AccountService(RecordService):
    table = "account"
    check = staticmethod(check_name)

    def list(self, ids: frozenset[str] | None = None, *, mine: bool = False) -> list[AccountRow]:
        """Every live account (or only those of ``ids``; only mine with ``mine``), each
        naming its owner when it is a colleague's."""
        with self._db.read() as conn:
            return rows_of(AccountRow, queries.list_accounts(conn, ids, mine=mine),
                           read_profile(conn))  # fmt: skip

    def hot_list_candidates(self, offer_account_ids: frozenset[str]) -> list[AccountRow]:
        """My accounts a hot list can name: those of these open offers, and my hot prospects;
        reading these alone keeps the Today view's cost off the size of the account book."""
        with self._db.read() as conn:
            found = queries.list_accounts(conn, offer_account_ids, mine=True, or_hot_prospects=True)
            return rows_of(AccountRow, found, read_profile(conn))

    def detail(self, account_id: str) -> AccountDetail:
        with self._db.read() as conn:
            account = queries.get_row(conn, "account", account_id)
            if account is None:
                raise RecordNotFoundError("account", account_id)
            referrer = (
                queries.get_row(conn, "account", account["referred_by"])
                if account["referred_by"]
                else None
            )
            profile = read_profile(conn)
            activities = queries.list_activities(conn, ActivityFilter(account_id=account_id))
            return AccountDetail(
                account=account,
                owner_name=profile.owner_name(account["owner_id"]),
                referred_by_name=referrer["name"] if referrer else None,
                contacts=rows_of(ContactRow, queries.list_contacts(conn, account_id), profile),
                activities=rows_of(ActivityRow, activities, profile),
                offers=rows_of(
                    OfferRow, queries.list_offers(conn, OfferFilter(account_id=account_id)), profile
                ),
            )


class ContactService(RecordService):
    table = "contact"
    check = staticmethod(check_name)

    def list_for(self, account_id: str) -> list[ContactRow]:
        with self._db.read() as conn:
            return rows_of(ContactRow, queries.list_contacts(conn, account_id), read_profile(conn))
