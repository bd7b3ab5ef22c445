"""A table model over a list of frozen rows, described by its columns."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from kpidesk.presentation import _

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row object itself


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: Callable[[], str]  # translated at display time
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None  # defaults to the text
    align_right: bool = False
    foreground: Callable[[Row], QColor | None] | None = None
    tooltip: Callable[[Row], str | None] | None = None
    width_chars: int = 14  # initial width, in average characters
    names_owner: bool = False  # the owner column: hidden while every row is the rep's own
    # The most telling column (an account's name, an offer's title): it takes the width the
    # others leave and never shrinks under ``width_chars``; the others fit their content.
    stretch: bool = False


def owner_column() -> Column[Any]:
    """Whose record a row is: empty for the rep's own, the colleague's name otherwise. The
    tables hide it while every row is the rep's (see ``RecordTable.show_owners``); it stands
    next to the account, where a narrow window still shows it."""
    return Column(
        lambda: _("Owner"),
        lambda row: row.owner_name or "",
        width_chars=12,
        tooltip=lambda row: (
            _("{owner}'s record: read-only here").format(owner=row.owner_name)
            if row.owner_name
            else None
        ),
        names_owner=True,
    )


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Rows are set in one go (after a background load); ``data()`` only reads them.

    Sorting happens here, on the cached rows, with Python's sort and one key per row: far
    cheaper than a proxy calling back into Python for every comparison.

    Each cell's text is computed once and kept (a repaint asks for every visible cell again,
    and some texts cost: "3 days ago" goes through Babel), until the rows are set again or
    the hour turns, so that relative dates ("today", "2 days ago") never go stale for long.
    """

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Row] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._texts: dict[tuple[int, int], str] = {}  # (id(row), column) -> its text
        self._texts_hour = 0

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._texts.clear()  # the ids of the rows let go may be reused by new ones
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._sort_rows(column, order)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        self._sort_in_place(self._rows, column, order)

    def _sort_in_place(self, rows: list[Row], column: int, order: Qt.SortOrder) -> None:
        spec = self._columns[column]
        key_of = spec.sort_key or spec.text

        def key(row: Row) -> tuple[bool, Any]:
            value = key_of(row)
            return (value is not None, _sortable(value))  # None first when ascending

        rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def owner_column_index(self) -> int | None:
        return next((i for i, c in enumerate(self._columns) if c.names_owner), None)

    def stretch_column_index(self) -> int | None:
        return next((i for i, c in enumerate(self._columns) if c.stretch), None)

    def column_width_chars(self, column: int) -> int:
        return self._columns[column].width_chars

    def rows(self) -> list[Row]:
        return self._rows

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def _text(self, row: Row, column: int) -> str:
        hour = int(time.time() // 3600)
        if hour != self._texts_hour:
            self._texts.clear()
            self._texts_hour = hour
        key = (id(row), column)
        text = self._texts.get(key)
        if text is None:
            text = self._texts[key] = self._columns[column].text(row)
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title()
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A repaint asks each visible cell for seven roles, most of which no column answers
        # (decoration, font, background, check state): those are turned away before any call
        # back into Qt for the index's row and column, about half the cost of a repaint's
        # Python on a searched list.
        if role not in _ANSWERED_ROLES or not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.column())
        if role == ROW_ROLE:
            return row
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT_ALIGNED if column.align_right else None
        if role == Qt.ItemDataRole.ForegroundRole:
            color = column.foreground(row) if column.foreground is not None else None
            return QBrush(color) if color is not None else None
        # ToolTipRole, the only one left
        return column.tooltip(row) if column.tooltip is not None else None


_ANSWERED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        ROW_ROLE,
    }
)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _sortable(value: Any) -> Any:
    if hasattr(value, "timestamp"):
        return value.timestamp()
    if isinstance(value, str):
        return value.casefold()
    return value


class RowSortFilterProxy(QSortFilterProxyModel):
    """Filters with :meth:`accepts` (overridden by subclasses); sorting is delegated to the
    source :class:`RowTableModel`, so the proxy keeps the source's order."""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, RowTableModel) and column >= 0:
            model.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RowTableModel):
            return True
        return self.accepts(model.row_at(source_row))

    def accepts(self, row: Any) -> bool:
        return True

    @contextlib.contextmanager
    def changing_filter(self) -> Iterator[None]:
        """Wrap a change of the filter's state (Qt 6.9+ wants it announced before and after)."""
        self.beginFilterChange()
        try:
            yield
        finally:
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def row_at(self, proxy_row: int) -> Any:
        source = self.mapToSource(self.index(proxy_row, 0))
        model = self.sourceModel()
        assert isinstance(model, RowTableModel)
        return model.row_at(source.row())
