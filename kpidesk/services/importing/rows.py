"""Each data row of the file as parsed values, or the reasons it cannot be read.

Dates are read column by column: whether "03/04/2026" is 3 April or March 4 is decided from the
whole column (a "13/04" anywhere settles it), never guessed row by row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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
    """The rows below the header that hold anything; unreadable cells go to ``refusals``
    (a row's, just before it is yielded)."""
    data = table.rows[mapping.header_row :]
    orders = _date_orders(table, mapping, data)
    live = [(offset, row) for offset, row in enumerate(data) if not _blank(row)]
    rows = [row for _offset, row in live]
    keys = list(mapping.columns.values())
    # Column by column: a file repeats its statuses, dates, names and towns on every row, and
    # a cell's value depends only on its text, its column's field and the column's date order,
    # so each distinct cell of a column is parsed once. A cell that cannot be read is kept as
    # its error.
    columns: list[list[Any]] = []
    failing: list[int] = []  # the columns holding an unreadable cell
    for position, (index, key) in enumerate(mapping.columns.items()):
        parsed = _parsed_column(key, [row[index] if index < len(row) else None for row in rows],
                                orders.get(index), tz)  # fmt: skip
        columns.append(parsed)
        if any(isinstance(value, CellError) for value in parsed):
            failing.append(position)
    names = [mapping.column_name(index) for index in mapping.columns]
    by_row = zip(*columns, strict=True) if columns else [()] * len(live)
    for (offset, _row), cells in zip(live, by_row, strict=True):
        number = mapping.header_row + offset + 1
        if failing and any(isinstance(cells[j], CellError) for j in failing):
            values: dict[str, Any] = {}
            for key, name, parsed in zip(keys, names, cells, strict=True):
                if isinstance(parsed, CellError):
                    refusals.append(Refusal(number, name, parsed.message))
                else:
                    values[key] = parsed
        else:
            values = dict(zip(keys, cells, strict=True))
        yield ParsedRow(number, values)


def _parsed_column(key: str, cells: list[Any], order: str | None, tz: ZoneInfo) -> list[Any]:
    """Each cell's value (or its CellError), each distinct cell parsed once."""
    if all(type(cell) is str or cell is None for cell in cells):  # a CSV file's, and most
        distinct = {cell: _parse_or_error(key, cell, order, tz) for cell in dict.fromkeys(cells)}
        return list(map(distinct.__getitem__, cells))
    # 1, 1.0 and True are equal keys but not the same cell: a workbook's cells by type too.
    seen: dict[tuple[type, Any], Any] = {}
    out = []
    for cell in cells:
        memo = (type(cell), cell)
        try:
            parsed = seen[memo]
        except KeyError:
            parsed = seen[memo] = _parse_or_error(key, cell, order, tz)
        except TypeError:  # an unhashable cell (no reader makes one): parse it each time
            parsed = _parse_or_error(key, cell, order, tz)
        out.append(parsed)
    return out


def _parse_or_error(key: str, cell: Any, order: str | None, tz: ZoneInfo) -> Any:
    try:
        return _parse(key, cell, order, tz)
    except CellError as exc:
        return exc


def _blank(row: tuple[Any, ...]) -> bool:
    """No cell holds anything: what ``not any(text_of(cell) ...)`` says, without a call per
    cell (a number, a date or a boolean is never blank; a text is when it is only spaces)."""
    for cell in row:
        if cell is None:
            continue
        if type(cell) is not str or (cell and not cell.isspace()):
            return False
    return True


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
            orders[index] = date_order(_distinct(row[index] for row in data if index < len(row)))
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


def _distinct(cells: Iterable[Any]) -> Iterable[Any]:
    # A column's order is decided by its distinct cells (it repeats its dates); a str is never
    # equal to another type's value, and only texts are looked at.
    cells = list(cells)
    try:
        return dict.fromkeys(cells)
    except TypeError:  # an unhashable cell (no reader makes one)
        return cells


def _column_error(
    table: SourceTable, mapping: ColumnMapping, index: int, exc: CellError
) -> ImportFileError:
    column = mapping.column_name(index)
    return ImportFileError(
        table.path,
        Message(N_("Column {column!r}: {reason}"), {"column": column, "reason": exc.message}),
        column=column,
    )
