"""An import's words: where a refused value is (file, row, column) and why, and the preview's
counts, in the rep's language. The services hand over plain values; nothing here reads files."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from kpidesk.domain.i18n import Message
from kpidesk.presentation.formats import Formatter
from kpidesk.presentation.labels import label, message_text
from kpidesk.presentation.translation import _, ngettext


def column_text(column: str | Message | None, fmt: Formatter | None = None) -> str | None:
    """A column as the file names it, or a field's label when the file has no such column."""
    if isinstance(column, Message):
        return message_text(column, fmt)
    return column


def refusal_text(
    file_name: str,
    row: int | None,
    column: str | Message | None,
    message: Message,
    fmt: Formatter | None = None,
) -> str:
    """ "offres.xlsx, row 12, column 'Montant': '12,4,5' is not a number." """
    fmt = fmt or Formatter()
    reason = message_text(message, fmt)
    column = column_text(column, fmt)
    if row is not None and column:
        where = _("{file}, row {row}, column {column!r}").format(
            file=file_name, row=fmt.number(row), column=column
        )
    elif row is not None:
        where = _("{file}, row {row}").format(file=file_name, row=fmt.number(row))
    elif column:
        where = _("{file}, column {column!r}").format(file=file_name, column=column)
    else:
        where = file_name
    return f"{where}: {reason}"


def counts_text(new: int, changed: int, unchanged: int, fmt: Formatter | None = None) -> str:
    """ "3 new, 1 changed, 12 unchanged" """
    fmt = fmt or Formatter()
    return ", ".join(
        (
            ngettext("{n} new", "{n} new", new).format(n=fmt.number(new)),
            ngettext("{n} changed", "{n} changed", changed).format(n=fmt.number(changed)),
            ngettext("{n} unchanged", "{n} unchanged", unchanged).format(n=fmt.number(unchanged)),
        )
    )


def shown_value(key: str, value: Any, fmt: Formatter) -> str | None:
    """A parsed value as the rep reads it: money (parsed to cents), dates, the app's labels."""
    if value is None:
        return None
    if key in ("amount", "margin"):
        return fmt.money(value, decimals=2)
    if key == "probability":
        return fmt.percent(value)
    if isinstance(value, datetime):
        return fmt.date(value)
    if isinstance(value, StrEnum):
        return label(value)
    return str(value)
