"""Accounts (companies) and their contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kpidesk.domain.checks import check_name
from kpidesk.services.records import RecordService
from kpidesk.store import queries
from kpidesk.store.errors import RecordNotFoundError
from kpidesk.store.queries import (
    AccountRow,
    ActivityFilter,
    ActivityRow,
    ContactRow,
    OfferFilter,
    OfferRow,
)
from kpidesk.store.tables import table_of


@dataclass(frozen=True)
class AccountDetail:
    """Everything the account page shows, read in one snapshot."""

    account: dict[str, Any]
    referred_by_name: str | None
    contacts: list[ContactRow]
    activities: list[ActivityRow]
    offers: list[OfferRow]


class AccountService(RecordService):
    table = "account"
    check = staticmethod(check_name)

    def list(self, ids: frozenset[str] | None = None) -> list[AccountRow]:
        """Every live account, or only those of ``ids``."""
        with self._db.read() as conn:
            return queries.list_accounts(conn, ids)

    def detail(self, account_id: str) -> AccountDetail:
        with self._db.read() as conn:
            account = queries.get_row(conn, table_of("account"), account_id)
            if account is None:
                raise RecordNotFoundError("account", account_id)
            referrer = (
                queries.get_row(conn, table_of("account"), account["referred_by"])
                if account["referred_by"]
                else None
            )
            return AccountDetail(
                account=account,
                referred_by_name=referrer["name"] if referrer else None,
                contacts=queries.list_contacts(conn, account_id),
                activities=queries.list_activities(conn, ActivityFilter(account_id=account_id)),
                offers=queries.list_offers(conn, OfferFilter(account_id=account_id)),
            )


class ContactService(RecordService):
    table = "contact"
    check = staticmethod(check_name)

    def list_for(self, account_id: str) -> list[ContactRow]:
        with self._db.read() as conn:
            return queries.list_contacts(conn, account_id)
