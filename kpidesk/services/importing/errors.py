"""How an import says no: a whole file it cannot read, or rows it refuses.

Both carry a domain :class:`Message`; ``kpidesk.presentation.importing`` renders them with the
file, row and column, in the rep's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kpidesk.domain.i18n import Message


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, no header, ambiguous dates...)."""

    def __init__(self, path: Path, message: Message, column: str | None = None) -> None:
        super().__init__(f"{path.name}: {message.english()}")
        self.path = path
        self.message = message
        self.column = column


class ImportCancelledError(Exception):
    """The rep pressed Cancel: the transaction is rolled back, nothing was written."""


@dataclass(frozen=True)
class Refusal:
    """One row kpidesk will not import, and why. ``row`` is the spreadsheet's row number."""

    row: int
    column: str | Message | None  # the file's column name, or a field's label without one
    message: Message

    def __str__(self) -> str:
        column = str(self.column) if self.column else None
        where = f"row {self.row}" + (f", column {column!r}" if column else "")
        return f"{where}: {self.message.english()}"


class RowsRefusedError(Exception):
    """Some rows cannot be imported: nothing is written (all or nothing)."""

    def __init__(self, path: Path, refusals: list[Refusal]) -> None:
        super().__init__(f"{path.name}: {len(refusals)} rows refused")
        self.path = path
        self.refusals = refusals
