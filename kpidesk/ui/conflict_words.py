"""A sync conflict in business words: "Offer 2026-031 (Garage Moreau), amount: yours 12,400 €,
office 11,900 €; office's was kept because it was later."

Records are named the way the rep knows them (the account, the offer's reference, the
activity's kind and date), fields by their label, values formatted by type (money in the
locale's currency, instants in local time, statuses by their label).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCoreApplication

from kpidesk.domain.i18n import QT_TRANSLATE_NOOP
from kpidesk.domain.kpis.catalogue import KPIS
from kpidesk.domain.kpis.definition import KpiUnit
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.conflicts import REFERENCE_FIELDS, Choice, ConflictItem
from kpidesk.ui.formatting import Formatter
from kpidesk.ui.kpi_display import kpi_text
from kpidesk.ui.labels import label
from kpidesk.ui.widgets.period_selector import KIND_LABELS

CTX = "ConflictWords"
LONG_TEXT = 60  # characters of a note shown in a sentence

# Field names as a rep says them mid-sentence ("amount", not "amount_cents").
FIELD_LABELS = {
    "name": QT_TRANSLATE_NOOP("ConflictWords", "name"),
    "status": QT_TRANSLATE_NOOP("ConflictWords", "status"),
    "created_status": QT_TRANSLATE_NOOP("ConflictWords", "status when created"),
    "temperature": QT_TRANSLATE_NOOP("ConflictWords", "temperature"),
    "source": QT_TRANSLATE_NOOP("ConflictWords", "source"),
    "referred_by": QT_TRANSLATE_NOOP("ConflictWords", "recommended by"),
    "sector": QT_TRANSLATE_NOOP("ConflictWords", "sector"),
    "city": QT_TRANSLATE_NOOP("ConflictWords", "city"),
    "address": QT_TRANSLATE_NOOP("ConflictWords", "address"),
    "phone": QT_TRANSLATE_NOOP("ConflictWords", "phone"),
    "email": QT_TRANSLATE_NOOP("ConflictWords", "e-mail"),
    "notes": QT_TRANSLATE_NOOP("ConflictWords", "notes"),
    "created_at": QT_TRANSLATE_NOOP("ConflictWords", "creation date"),
    "account_id": QT_TRANSLATE_NOOP("ConflictWords", "account"),
    "role": QT_TRANSLATE_NOOP("ConflictWords", "role"),
    "contact_id": QT_TRANSLATE_NOOP("ConflictWords", "contact"),
    "offer_id": QT_TRANSLATE_NOOP("ConflictWords", "offer"),
    "kind": QT_TRANSLATE_NOOP("ConflictWords", "kind"),
    "purpose": QT_TRANSLATE_NOOP("ConflictWords", "purpose"),
    "due_at": QT_TRANSLATE_NOOP("ConflictWords", "planned for"),
    "done_at": QT_TRANSLATE_NOOP("ConflictWords", "done on"),
    "outcome": QT_TRANSLATE_NOOP("ConflictWords", "outcome"),
    "reference": QT_TRANSLATE_NOOP("ConflictWords", "reference"),
    "title": QT_TRANSLATE_NOOP("ConflictWords", "title"),
    "amount_cents": QT_TRANSLATE_NOOP("ConflictWords", "amount"),
    "margin_cents": QT_TRANSLATE_NOOP("ConflictWords", "margin"),
    "currency": QT_TRANSLATE_NOOP("ConflictWords", "currency"),
    "sent_at": QT_TRANSLATE_NOOP("ConflictWords", "sent on"),
    "decided_at": QT_TRANSLATE_NOOP("ConflictWords", "decided on"),
    "lost_reason": QT_TRANSLATE_NOOP("ConflictWords", "reason lost"),
    "probability": QT_TRANSLATE_NOOP("ConflictWords", "chance of winning"),
    "kpi_key": QT_TRANSLATE_NOOP("ConflictWords", "indicator"),
    "period_kind": QT_TRANSLATE_NOOP("ConflictWords", "period"),
    "target": QT_TRANSLATE_NOOP("ConflictWords", "target"),
}
_WITH_TIME = frozenset({"due_at", "done_at"})  # instants where the hour matters


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def field_label(name: str) -> str:
    source = FIELD_LABELS.get(name)
    return _tr(source) if source else name.replace("_", " ")


def author_name(item: ConflictItem, my_username: str | None) -> str:
    """Who made the other value: a colleague's name, or this rep on another computer."""
    if my_username and item.their_author.casefold() == my_username.casefold():
        return _tr("your other computer")
    if item.their_author == "another device":  # the server's word for an unknown author
        return _tr("another computer")
    return item.their_author


def record_caption(item: ConflictItem, fmt: Formatter) -> str:
    record = item.record
    account = item.account_name or _tr("an account not on this laptop")
    if record is None:
        return _tr("A record deleted since")
    if item.table == "account":
        return _tr("Account {name}").format(name=record["name"])
    if item.table == "contact":
        return _tr("Contact {name} ({account})").format(name=record["name"], account=account)
    if item.table == "offer":
        return _tr("Offer {reference} ({account})").format(
            reference=record["reference"] or record["title"], account=account
        )
    if item.table == "activity":
        kind = label(record["kind"])
        if record["done_at"] is not None:
            return _tr("{kind} of {date} with {account}").format(
                kind=kind, date=fmt.date(record["done_at"]), account=account
            )
        return _tr("{kind} planned for {date} with {account}").format(
            kind=kind, date=fmt.date(record["due_at"]), account=account
        )
    if item.table == "objective":
        return _tr("Objective for {indicator} per {period}").format(
            indicator=_indicator(record["kpi_key"]), period=_period(record["period_kind"]).lower()
        )
    return item.table


def value_text(item: ConflictItem, choice: Choice, fmt: Formatter) -> str:
    value = item.value(choice)
    name = item.field
    if value is None or value == "":
        return _tr("(empty)")
    if name in REFERENCE_FIELDS:
        return item.references.get(value, _tr("a record not on this laptop"))
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


def conflict_sentence(item: ConflictItem, fmt: Formatter, my_username: str | None) -> str:
    params = {
        "record": record_caption(item, fmt),
        "field": field_label(item.field),
        "yours": value_text(item, Choice.YOURS, fmt),
        "theirs": value_text(item, Choice.THEIRS, fmt),
        "author": author_name(item, my_username),
    }
    if item.kept is Choice.THEIRS:
        template = _tr(
            "{record}, {field}: yours {yours}, {author} {theirs}; {author}'s was kept because "
            "it was later."
        )
    else:
        template = _tr(
            "{record}, {field}: yours {yours}, {author} {theirs}; yours was kept because it "
            "was later."
        )
    sentence = template.format(**params)
    return sentence[:1].upper() + sentence[1:]


def keep_label(item: ConflictItem, choice: Choice, my_username: str | None) -> str:
    if choice is Choice.YOURS:
        return _tr("Keep yours")
    return _tr("Keep {author}'s").format(author=author_name(item, my_username))


def _indicator(key: str) -> str:
    definition = KPIS.get(key)
    return kpi_text(definition.label) if definition else key


def _period(kind: Any) -> str:
    try:
        return QCoreApplication.translate("PeriodSelector", KIND_LABELS[PeriodKind(kind)])
    except (KeyError, ValueError):
        return str(kind)


def _target(item: ConflictItem, value: float, fmt: Formatter) -> str:
    definition = KPIS.get((item.record or {}).get("kpi_key") or "")
    unit = definition.unit if definition else None
    if unit in (KpiUnit.MONEY, KpiUnit.MONEY_PER_DAY):
        return fmt.money(round(value))
    if unit in (KpiUnit.RATE, KpiUnit.RATIO):
        return fmt.percent(value)
    return fmt.number(value, 0 if float(value).is_integer() else 1)
