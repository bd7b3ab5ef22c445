"""A sync conflict in business words: "Offer 2026-031 (Garage Moreau), amount: yours 12,400 €,
office €11,900; office's was kept because it was later."

Records are named the way the rep knows them (the account, the offer's reference, the
activity's kind and date), fields by their label, values formatted by type (money in the
locale's currency, instants in local time, statuses by their label). The same sentence in the
Conflicts view and in ``kpidesk sync``.

A conflict comes in as plain values (:class:`ConflictLike`: the services' ``ConflictLike`` has
these fields), so the words do not depend on the services.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from kpidesk.domain.kpis.catalogue import KPIS
from kpidesk.domain.kpis.definition import KpiUnit
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.presentation.formats import Formatter
from kpidesk.presentation.labels import label
from kpidesk.presentation.periods import kind_label
from kpidesk.presentation.translation import N_, _
from kpidesk.records.references import REFERENCE_FIELDS

YOURS, THEIRS = "yours", "theirs"  # the two values of a conflict (the services' ``Choice``)


class ConflictLike(Protocol):
    table: str
    field: str
    yours: Any
    theirs: Any
    their_author: str  # the other writer's username, as the server named it
    kept: str  # "yours" or "theirs"
    record: dict[str, Any] | None  # the record as it is now; None once deleted
    account_name: str | None  # the record's account (or the account itself)
    references: dict[str, str]  # id -> caption, for id values


LONG_TEXT = 60  # characters of a note shown in a sentence

# Field names as a rep says them mid-sentence ("amount", not "amount_cents").
FIELD_LABELS = {
    "name": N_("name"),
    "status": N_("status"),
    "created_status": N_("status when created"),
    "temperature": N_("temperature"),
    "source": N_("source"),
    "referred_by": N_("recommended by"),
    "sector": N_("sector"),
    "city": N_("city"),
    "address": N_("address"),
    "phone": N_("phone"),
    "email": N_("e-mail"),
    "notes": N_("notes"),
    "created_at": N_("creation date"),
    "account_id": N_("account"),
    "role": N_("role"),
    "contact_id": N_("contact"),
    "offer_id": N_("offer"),
    "kind": N_("kind"),
    "purpose": N_("purpose"),
    "due_at": N_("planned for"),
    "done_at": N_("done on"),
    "outcome": N_("outcome"),
    "reference": N_("reference"),
    "title": N_("title"),
    "amount_cents": N_("amount"),
    "margin_cents": N_("margin"),
    "currency": N_("currency"),
    "sent_at": N_("sent on"),
    "decided_at": N_("decided on"),
    "lost_reason": N_("reason lost"),
    "probability": N_("chance of winning"),
    "kpi_key": N_("indicator"),
    "period_kind": N_("period"),
    "target": N_("target"),
}
_WITH_TIME = frozenset({"due_at", "done_at"})  # instants where the hour matters


def field_label(name: str) -> str:
    source = FIELD_LABELS.get(name)
    return _(source) if source else name.replace("_", " ")


def author_name(item: ConflictLike, my_username: str | None) -> str:
    """Who made the other value: a colleague's name, or this rep on another computer."""
    if my_username and item.their_author.casefold() == my_username.casefold():
        return _("your other computer")
    if item.their_author == "another device":  # the server's word for an unknown author
        return _("another computer")
    return item.their_author


def record_caption(item: ConflictLike, fmt: Formatter) -> str:
    record = item.record
    account = item.account_name or _("an account not on this laptop")
    if record is None:
        return _("A record deleted since")
    if item.table == "account":
        return _("Account {name}").format(name=record["name"])
    if item.table == "contact":
        return _("Contact {name} ({account})").format(name=record["name"], account=account)
    if item.table == "offer":
        return _("Offer {reference} ({account})").format(
            reference=record["reference"] or record["title"], account=account
        )
    if item.table == "activity":
        kind = label(record["kind"])
        if record["done_at"] is not None:
            return _("{kind} of {date} with {account}").format(
                kind=kind, date=fmt.date(record["done_at"]), account=account
            )
        return _("{kind} planned for {date} with {account}").format(
            kind=kind, date=fmt.date(record["due_at"]), account=account
        )
    if item.table == "objective":
        return _("Objective for {indicator} per {period}").format(
            indicator=_indicator(record["kpi_key"]), period=_period(record["period_kind"]).lower()
        )
    return item.table


def value_text(item: ConflictLike, choice: str, fmt: Formatter) -> str:
    value = item.yours if choice == YOURS else item.theirs
    name = item.field
    if value is None or value == "":
        return _("(empty)")
    if name in REFERENCE_FIELDS:
        return item.references.get(value, _("a record not on this laptop"))
    if name == "kpi_key":
        return _indicator(value)
    if isinstance(value, PeriodKind):
        return _period(value)
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, datetime):
        return fmt.datetime(value) if name in _WITH_TIME else fmt.date(value)
    if name.endswith("_cents") and isinstance(value, int):
        currency = (item.record or {}).get("currency") or "EUR"
        return fmt.money(value, currency, decimals=0 if value % 100 == 0 else 2)
    if name == "probability" and isinstance(value, int | float):
        return fmt.percent(value)
    if name == "target" and isinstance(value, int | float):
        return _target(item, value, fmt)
    if isinstance(value, int | float):
        return fmt.number(value, 0 if float(value).is_integer() else 2)
    text = str(value)
    if len(text) > LONG_TEXT:
        text = text[: LONG_TEXT - 1].rstrip() + "…"
    return f"“{text}”"


def conflict_sentence(item: ConflictLike, fmt: Formatter, my_username: str | None) -> str:
    params = {
        "record": record_caption(item, fmt),
        "field": field_label(item.field),
        "yours": value_text(item, YOURS, fmt),
        "theirs": value_text(item, THEIRS, fmt),
        "author": author_name(item, my_username),
    }
    if item.kept == THEIRS:
        template = _(
            "{record}, {field}: yours {yours}, {author} {theirs}; {author}'s was kept because "
            "it was later."
        )
    else:
        template = _(
            "{record}, {field}: yours {yours}, {author} {theirs}; yours was kept because it "
            "was later."
        )
    sentence = template.format(**params)
    return sentence[:1].upper() + sentence[1:]


def keep_label(item: ConflictLike, choice: str, my_username: str | None) -> str:
    if choice == YOURS:
        return _("Keep yours")
    return _("Keep {author}'s").format(author=author_name(item, my_username))


def _indicator(key: str) -> str:
    definition = KPIS.get(key)
    return _(definition.label) if definition else key


def _period(kind: Any) -> str:
    return kind_label(kind)


def _target(item: ConflictLike, value: float, fmt: Formatter) -> str:
    definition = KPIS.get((item.record or {}).get("kpi_key") or "")
    unit = definition.unit if definition else None
    if unit in (KpiUnit.MONEY, KpiUnit.MONEY_PER_DAY):
        return fmt.money(round(value))
    if unit in (KpiUnit.RATE, KpiUnit.RATIO):
        return fmt.percent(value)
    return fmt.number(value, 0 if float(value).is_integer() else 1)
