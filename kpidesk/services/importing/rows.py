"""Each data row of the file as parsed values, or the reasons it cannot be read.

Dates are read column by column: whether "03/04/2026" is 3 April or March 4 is decided from the
whole column (a "13/04" anywhere settles it), never guessed row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.import_values import (
    AMBIGUOUS,
    AmbiguousDatesError,
    CellError,
    date_order,
    parse_cents,
    parse_instant,
    parse_probability,
    parse_word,
    text_of,
)
from kpidesk.domain.vocabulary import (
    AccountSource,
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)
from kpidesk.services.importing.errors import ImportFileError, Refusal
from kpidesk.services.importing.mapping import ColumnMapping
from kpidesk.services.importing.reading import SourceTable

DATE_FIELDS = frozenset({"sent_at", "decided_at", "follow_up_at", "done_at", "due_at"})
_WORD_FIELDS: dict[str, type] = {
    "account_status": AccountStatus,
    "temperature": Temperature,
    "source": AccountSource,
    "offer_status": OfferStatus,
    "activity_kind": ActivityKind,
    "purpose": ActivityPurpose,
}
_NUMBER_FIELDS: dict[str, Callable[[Any], Any]] = {
    "amount": parse_cents,
    "margin": parse_cents,
    "probability": parse_probability,
}


@dataclass(frozen=True)
class ParsedRow:
    number: int  # the spreadsheet's row number
    values: dict[str, Any]  # field key -> parsed value (None: the cell was empty)


def parsed_rows(
    table: SourceTable, mapping: ColumnMapping, tz: ZoneInfo, refusals: list[Refusal]
) -> Iterator[ParsedRow]:
    """The rows below the header that hold anything; unreadable cells go to ``refusals``."""
    data = table.rows[mapping.header_row :]
    orders = _date_orders(table, mapping, data)
    for offset, row in enumerate(data):
        if not any(text_of(cell) for cell in row):
            continue  # a blank separator line
        number = mapping.header_row + offset + 1
        values: dict[str, Any] = {}
        for index, key in mapping.columns.items():
            cell = row[index] if index < len(row) else None
            try:
                values[key] = _parse(key, cell, orders.get(index), tz)
            except CellError as exc:
                refusals.append(Refusal(number, mapping.column_name(index), exc.message))
        yield ParsedRow(number, values)


def _parse(key: str, cell: Any, order: str | None, tz: ZoneInfo) -> Any:
    if key in DATE_FIELDS:
        return parse_instant(cell, order, tz)
    if key in _WORD_FIELDS:
        return parse_word(_WORD_FIELDS[key], cell)
    if key in _NUMBER_FIELDS:
        return _NUMBER_FIELDS[key](cell)
    text = text_of(cell)
    if text and text[0] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return text[1:].strip()  # the apostrophe kpidesk's CSV export puts before a formula
    return text


def _date_orders(
    table: SourceTable, mapping: ColumnMapping, data: list[tuple[Any, ...]]
) -> dict[int, str | None]:
    """Each date column's order. A column whose dates all read both ways takes the order the
    file's other date columns prove (one office writes its dates one way); alone, it is an
    error that names the column, and the rep says which (``date_order``)."""
    orders: dict[int, str | None] = {}
    ambiguous: list[int] = []
    for index, key in mapping.columns.items():
        if key not in DATE_FIELDS:
            continue
        if mapping.date_order is not None:
            orders[index] = mapping.date_order
            continue
        try:
            orders[index] = date_order(row[index] for row in data if index < len(row))
        except AmbiguousDatesError:
            ambiguous.append(index)
        except CellError as exc:
            raise _column_error(table, mapping, index, exc) from None
    proven = {order for order in orders.values() if order is not None}
    for index in ambiguous:
        if len(proven) != 1:
            raise _column_error(table, mapping, index, AmbiguousDatesError(AMBIGUOUS))
        orders[index] = next(iter(proven))
    return orders


def _column_error(
    table: SourceTable, mapping: ColumnMapping, index: int, exc: CellError
) -> ImportFileError:
    column = mapping.column_name(index)
    return ImportFileError(
        table.path,
        Message(N_("Column {column!r}: {reason}"), {"column": column, "reason": exc.message}),
        column=column,
    )
