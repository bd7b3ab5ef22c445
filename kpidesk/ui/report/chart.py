"""One indicator's history as a bar chart drawn with QPainter: vector, black and white.

The last bar (the reviewed period) is solid black, the earlier ones hatched grey, so the chart
reads on a monochrome printer; each bar carries its value in the report's formatting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen


def _font(painter: QPainter, points: float, bold: bool = False) -> None:
    font = QFont("DejaVu Sans")
    font.setPointSizeF(points)
    font.setBold(bold)
    painter.setFont(font)


def draw_history(
    painter: QPainter,
    box: QRectF,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    shown: Sequence[str],
    mm: Callable[[float], float],
) -> None:
    """Bars of ``values`` (None: no bar, "—" written) in ``box``, labelled below."""
    painter.save()
    _font(painter, 10, bold=True)
    painter.drawText(QRectF(box.left(), box.top(), box.width(), mm(7)), title)
    plot = QRectF(box.left(), box.top() + mm(12), box.width(), box.height() - mm(24))
    top = max((v for v in values if v is not None), default=0.0) or 1.0
    bottom = min(0.0, min((v for v in values if v is not None), default=0.0))
    span = top - bottom or 1.0
    zero_y = plot.bottom() - (0 - bottom) / span * plot.height()
    painter.setPen(QPen(Qt.GlobalColor.black, 2))
    painter.drawLine(int(plot.left()), int(zero_y), int(plot.right()), int(zero_y))
    slot = plot.width() / max(1, len(values))
    for i, (value, text, name) in enumerate(zip(values, shown, labels, strict=True)):
        x = plot.left() + i * slot + slot * 0.15
        width = slot * 0.7
        last = i == len(values) - 1
        if value is not None:
            y = plot.bottom() - (value - bottom) / span * plot.height()
            bar = QRectF(x, min(y, zero_y), width, abs(zero_y - y))
            brush = (
                QBrush(Qt.GlobalColor.black)
                if last
                else QBrush(QColor("#777777"), Qt.BrushStyle.BDiagPattern)
            )
            painter.setPen(QPen(Qt.GlobalColor.black, 2))
            painter.setBrush(brush)
            painter.drawRect(bar)
            label_y = min(y, zero_y) - mm(4.5)
        else:
            label_y = zero_y - mm(4.5)
        _font(painter, 6, bold=last)
        painter.drawText(QRectF(x - slot * 0.15, label_y, slot, mm(4)),
                         Qt.AlignmentFlag.AlignCenter, text)  # fmt: skip
        painter.drawText(QRectF(x - slot * 0.15, plot.bottom() + mm(1), slot, mm(4)),
                         Qt.AlignmentFlag.AlignCenter, name)  # fmt: skip
    painter.restore()
