"""Offers (quotes): create, edit, decide (won, lost, abandoned) and list."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kpidesk.domain.changes import Written
from kpidesk.domain.checks import check_offer
from kpidesk.domain.references import device_tag
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus
from kpidesk.services.records import RecordService
from kpidesk.services.rows import OfferFilter, OfferRow, rows_of
from kpidesk.store import queries
from kpidesk.store.changes import ChangeSet
from kpidesk.store.profile import read_profile


class OfferService(RecordService):
    table = "offer"
    check = staticmethod(check_offer)

    def create_in(self, change_set: ChangeSet, values: Mapping[str, Any]) -> str:
        values = dict(values)
        if not values.get("reference"):
            year = (values.get("sent_at") or utc_now()).year
            values["reference"] = queries.next_offer_reference(
                change_set.conn, year, device_tag(change_set.device_id)
            )
        offer_id = super().create_in(change_set, values)
        self._promote_account_if_won(change_set, offer_id)
        return offer_id

    def update_in(self, change_set: ChangeSet, row_id: str, values: Mapping[str, Any]) -> set[str]:
        changed = super().update_in(change_set, row_id, values)
        if "status" in changed:
            self._promote_account_if_won(change_set, row_id)
        return changed

    def decide(
        self,
        offer_id: str,
        status: OfferStatus,
        decided_at: datetime | None = None,
        lost_reason: str | None = None,
    ) -> Written:
        """Record the outcome of an offer: won, lost or abandoned, on ``decided_at`` (a won
        offer makes its account a client, in the same transaction)."""
        values: dict[str, Any] = {"status": status, "decided_at": decided_at or utc_now()}
        values["lost_reason"] = lost_reason if status is not OfferStatus.WON else None
        return self.update(offer_id, values)

    def reopen(self, offer_id: str) -> Written:
        """Put a decided offer back in the pipeline (a decision entered by mistake)."""
        return self.update(offer_id, {"status": OfferStatus.SENT, "decided_at": None,
                                      "lost_reason": None})  # fmt: skip

    def list(self, flt: OfferFilter | None = None) -> list[OfferRow]:
        with self._db.read() as conn:
            return rows_of(OfferRow, queries.list_offers(conn, flt or OfferFilter()),
                           read_profile(conn))  # fmt: skip

    @staticmethod
    def _promote_account_if_won(change_set: ChangeSet, offer_id: str) -> None:
        # A won offer makes its account a client: the rep should not have to do it by hand.
        conn = change_set.conn
        offer = queries.get_row(conn, "offer", offer_id)
        if offer is None or offer["status"] is not OfferStatus.WON:
            return
        account = queries.get_row(conn, "account", offer["account_id"])
        if account is not None and account["status"] is not AccountStatus.CLIENT:
            change_set.update("account", account["id"], {"status": AccountStatus.CLIENT})
