"""A row of widgets that flows onto more lines when they no longer fit side by side, the last
one right-aligned while everything fits on one line (the Indicators page's period selector, a
custom period's dates, and the view buttons, on a narrow window).

A layout, not a resize handler: it answers ``heightForWidth``, so the page above gives it the
height of one line or of several, and nothing is cut or overlaps at any width.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class ReflowRow(QLayout):
    """The widgets left to right at their hinted widths; one that would pass the right edge
    starts a new line. A hidden widget takes no room."""

    def __init__(self, *widgets: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            self.addWidget(widget)

    # -- QLayout's item interface ------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    # -- geometry ----------------------------------------------------------------------------

    def _gap(self) -> int:
        spacing = self.spacing()
        return spacing if spacing >= 0 else 12

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _lines(self, room: int) -> list[list[QLayoutItem]]:
        """The visible items split into lines no wider than ``room`` (one item at least)."""
        lines: list[list[QLayoutItem]] = []
        used = 0
        for item in self._visible():
            width = item.sizeHint().width()
            if lines and used + self._gap() + width <= room:
                lines[-1].append(item)
                used += self._gap() + width
            else:
                lines.append([item])
                used = width
        return lines

    def _room(self, width: int) -> int:
        margins = self.contentsMargins()
        return width - margins.left() - margins.right()

    def line_count(self, width: int) -> int:
        """How many lines the row takes at ``width`` (its own, margins included)."""
        return len(self._lines(self._room(width)))

    def sizeHint(self) -> QSize:
        items = self._visible()
        margins = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in items) + self._gap() * max(0, len(items) - 1)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        items = self._visible()
        margins = self.contentsMargins()
        width = max((i.minimumSize().width() for i in items), default=0)
        height = sum(i.minimumSize().height() for i in items) + self._gap() * max(0, len(items) - 1)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def _arrange(self, rect: QRect, move: bool) -> int:
        """Place the items in ``rect`` (when ``move``); the height they take either way."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        lines = self._lines(area.width())
        y = area.top()
        for line in lines:
            height = max(item.sizeHint().height() for item in line)
            x = area.left()
            for n, item in enumerate(line):
                hint = item.sizeHint()
                if len(lines) == 1 and n == len(line) - 1 and n > 0:
                    x = max(x, area.right() + 1 - hint.width())  # the last one, right-aligned
                if move:
                    self._place(item, QPoint(x, y), hint, height, area)
                x += hint.width() + self._gap()
            y += height + self._gap()
        used = y - self._gap() - area.top() if lines else 0
        return used + margins.top() + margins.bottom()

    @staticmethod
    def _place(item: QLayoutItem, at: QPoint, hint: QSize, line: int, area: QRect) -> None:
        """``item`` at its hinted width (never wider than the row), centred on its line."""
        width = min(hint.width(), area.right() + 1 - at.x())
        top = at.y() + (line - hint.height()) // 2
        item.setGeometry(QRect(at.x(), top, width, hint.height()))
