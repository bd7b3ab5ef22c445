"""Accounts (companies) and their contacts."""

from __future__ import annotations

from kpidesk.domain.checks import check_name
from kpidesk.services.records import RecordService
from kpidesk.store import queries
from kpidesk.store.queries import AccountRow, ContactRow


class AccountService(RecordService):
    table = "account"
    check = staticmethod(check_name)

    def list(self) -> list[AccountRow]:
        with self._db.read() as conn:
            return queries.list_accounts(conn)


class ContactService(RecordService):
    table = "contact"
    check = staticmethod(check_name)

    def list_for(self, account_id: str) -> list[ContactRow]:
        with self._db.read() as conn:
            return queries.list_contacts(conn, account_id)
