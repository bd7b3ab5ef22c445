"""The sidebar's rows: the page's icon and name, and its shortcut (Ctrl+1 ... Ctrl+7) at the
right in a quieter colour, so the rep learns the keys by looking."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kpidesk.ui import theme

SHORTCUT_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT_MARGIN = 10


class NavDelegate(QStyledItemDelegate):
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().paint(painter, option, index)
        shortcut = index.data(SHORTCUT_ROLE)
        if not shortcut:
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(theme.colour("nav_selected_text" if selected else "nav_muted"))
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.8, 7.0))
        painter.setFont(font)
        area = QRect(option.rect).adjusted(0, 0, -RIGHT_MARGIN, 0)
        align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(area, int(align), shortcut)
        painter.restore()
