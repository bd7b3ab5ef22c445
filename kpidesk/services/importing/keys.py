"""The stable keys that make a second import of the same file (or of next month's copy) update
records instead of duplicating them.

An id column wins when there is one (a file kpidesk exported); otherwise the natural key: the
account's name; the offer's reference, else its account, sent day and amount; an activity's
account, day and kind; a contact's account and name. Names are compared folded ("SARL Dupont"
and "sarl  dupont" are one account); days are days in the rep's time zone.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kpidesk.domain.import_values import fold


def account_key(name: str) -> Hashable:
    return fold(name)


def contact_key(account_id: str, name: str) -> Hashable:
    return (account_id, fold(name))


def offer_key(values: dict[str, Any], tz: ZoneInfo) -> Hashable:
    reference = (values.get("reference") or "").strip()
    if reference:
        return ("reference", fold(reference))
    return ("natural", values["account_id"], _day(values.get("sent_at"), tz),
            values.get("amount_cents"))  # fmt: skip


def activity_key(values: dict[str, Any], tz: ZoneInfo) -> Hashable:
    when = values.get("done_at") or values.get("due_at")
    return (values["account_id"], _day(when, tz), str(values.get("kind")))


def _day(moment: datetime | None, tz: ZoneInfo) -> str | None:
    return moment.astimezone(tz).date().isoformat() if moment is not None else None
