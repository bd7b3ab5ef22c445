"""Small building blocks shared by the pages: header, empty state, record table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QWidget,
)

from kpidesk.ui.models.table import RowSortFilterProxy, RowTableModel


def page_title(text: str) -> QLabel:
    title = QLabel(text)
    title.setObjectName("pageTitle")
    return title


def header_row(title: str, *widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(page_title(title))
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row


class EmptyState(QLabel):
    """What a first-time rep sees instead of an empty table: what to do next."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("emptyState")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setTextFormat(Qt.TextFormat.RichText)


class RecordTable(QTableView):
    """A sortable table of rows; Enter or double-click opens a row, Delete asks to delete it.

    Signals:
        sig_row_activated: the row object the rep opened.
        sig_delete_requested: the row object the rep wants to delete.
        sig_current_changed: the row now current (None when there is none).
    """

    sig_row_activated = Signal(object)
    sig_delete_requested = Signal(object)
    sig_current_changed = Signal(object)

    def __init__(
        self,
        shown: RowSortFilterProxy | RowTableModel[Any],
        parent: QWidget | None = None,
        *,
        sortable: bool = True,
    ) -> None:
        """``shown``: a proxy over a row model, or a row model that filters itself (as
        ``FilteredRowTableModel`` does, where a proxy would cost too much per keystroke)."""
        super().__init__(parent)
        self._shown = shown
        self.setModel(shown)
        self.setSortingEnabled(sortable)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(28)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        self.doubleClicked.connect(self._on_double_clicked)
        self._fitted = False  # columns fitted to the first rows shown (then the rep's widths)
        self._sizing = False  # setting every column at once: the telling one is stretched after
        source = self._table_model()
        self._stretch = source.stretch_column_index() if source is not None else None
        if self._stretch is not None:
            header.setStretchLastSection(False)  # the telling column takes the free width
            header.sectionResized.connect(self._on_header_section_resized)
        self.apply_column_widths()
        self.show_owners(())  # hidden until a colleague's row is shown
        self.selectionModel().currentRowChanged.connect(
            lambda *_: self.sig_current_changed.emit(self.current_row())
        )
        shown.modelReset.connect(self._on_rows_reset)

    def _table_model(self) -> RowTableModel[Any] | None:
        """The model that knows the columns (the proxy's source, or the shown model)."""
        shown = self._shown
        source = shown.sourceModel() if isinstance(shown, RowSortFilterProxy) else shown
        return source if isinstance(source, RowTableModel) else None

    def _on_rows_reset(self) -> None:
        if not self._fitted and self.isVisible() and self._shown.rowCount():
            self.fit_columns()
        # Rows arrive after the page is shown (a background load): a list the rep is on gets
        # its first row selected, so arrows, Enter and Del act at once.
        if self.hasFocus():
            self.select_first()
        self.sig_current_changed.emit(self.current_row())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted and self._shown.rowCount():
            self.fit_columns()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._stretch_telling_column()

    def fit_columns(self) -> None:
        """Size each column to its header and the rows on screen (at most twice its usual
        width: one long note does not push the rest away), then give the telling column what
        is left. Done once, when the first rows are shown; the rep's own widths stay."""
        source = self._table_model()
        if source is None:
            return
        self._fitted = True
        header = self.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("0")
        widths = {}
        for column in range(source.columnCount()):
            if column == self._stretch or self.isColumnHidden(column):
                continue
            wanted = max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
            widths[column] = min(wanted, 2 * char * source.column_width_chars(column))
        self._set_widths(widths)

    def _on_header_section_resized(self, column: int, _old: int, _new: int) -> None:
        # The rep widened another column: the telling one gives. Not for each column while
        # all are set at once (that stretched it once per column, on every table built).
        if column != self._stretch and not self._sizing:
            self._stretch_telling_column()

    def _set_widths(self, widths: dict[int, int]) -> None:
        """Every column at once, then the telling column stretched once."""
        self._sizing = True
        try:
            for column, width in widths.items():
                self.setColumnWidth(column, width)
        finally:
            self._sizing = False
        self._stretch_telling_column()

    def _stretch_telling_column(self) -> None:
        source = self._table_model()
        if self._stretch is None or source is None:
            return
        others = sum(
            self.columnWidth(c)
            for c in range(source.columnCount())
            if c != self._stretch and not self.isColumnHidden(c)
        )
        char = self.fontMetrics().horizontalAdvance("0")
        least = char * source.column_width_chars(self._stretch) + 16
        self.setColumnWidth(self._stretch, max(least, self.viewport().width() - others))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.select_first()

    def show_owners(self, rows: Any) -> None:
        """Show the owner column (see ``owner_column``) only when some row is a colleague's."""
        source = self._table_model()
        column = source.owner_column_index() if source is not None else None
        if column is not None:
            self.setColumnHidden(column, all(getattr(r, "is_mine", True) for r in rows))
            self._stretch_telling_column()

    def enable_for_own_rows(self, *buttons: QWidget) -> None:
        """Keep ``buttons`` enabled only while the current row is one the rep may change:
        there is one, and it is theirs (a colleague's record is read-only here)."""

        def update(row: Any) -> None:
            mine = row is not None and getattr(row, "is_mine", True)
            for button in buttons:
                button.setEnabled(mine)

        self.sig_current_changed.connect(update)
        update(self.current_row())

    def apply_column_widths(self) -> None:
        source = self._table_model()
        if source is None:
            return
        char = self.fontMetrics().horizontalAdvance("0")  # digits: dates and amounts fit
        self._set_widths(
            {c: char * source.column_width_chars(c) + 16 for c in range(source.columnCount())}
        )

    def current_row(self) -> Any | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        return self._shown.row_at(index.row())

    def select_first(self) -> None:
        if self._shown.rowCount() and not self.currentIndex().isValid():
            self.selectRow(0)
        elif self.currentIndex().isValid() and not self.selectionModel().hasSelection():
            self.selectRow(self.currentIndex().row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.current_row()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row is not None:
            self.sig_row_activated.emit(row)
            return
        if event.key() == Qt.Key.Key_Delete and row is not None:
            self.sig_delete_requested.emit(row)
            return
        super().keyPressEvent(event)

    def _on_double_clicked(self, index: QModelIndex) -> None:
        self.sig_row_activated.emit(self._shown.row_at(index.row()))
