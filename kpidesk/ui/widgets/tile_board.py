"""Tiles in titled sections that reflow to the available width, with arrow-key navigation.

The board sits in a scroll area whose viewport width decides the number of columns (a grid that
measured its own width could never shrink: its minimum width is its current columns).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from kpidesk.ui.widgets.kpi_tile import KpiTile

TILE_MIN_WIDTH = 200
SPACING = 10


class TileSection(QWidget):
    def __init__(self, title: str, tiles: Sequence[KpiTile], parent: QWidget | None = None):
        super().__init__(parent)
        self.tiles = list(tiles)
        self.title = QLabel(title)
        self.title.setObjectName("sectionTitle")
        self._grid = QGridLayout()
        self._grid.setSpacing(SPACING)
        self._grid.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(self._grid)
        self.columns = 0

    def set_columns(self, columns: int) -> None:
        if columns == self.columns:
            return
        for tile in self.tiles:
            self._grid.removeWidget(tile)
        for column in range(max(self.columns, columns)):
            # Every column of every section the same width, even in a section with fewer tiles.
            used = column < columns
            self._grid.setColumnStretch(column, 1 if used else 0)
            self._grid.setColumnMinimumWidth(column, TILE_MIN_WIDTH if used else 0)
        for i, tile in enumerate(self.tiles):
            self._grid.addWidget(tile, i // columns, i % columns)
        self.columns = columns


class TileBoard(QScrollArea):
    """A scrolling board of tile sections.

    Signals:
        sig_tile_activated: a tile was opened (its indicator's key, and the tile).
    """

    sig_tile_activated = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tileBoard")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content = QWidget()
        self._content.setObjectName("tileBoardContent")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(0, 0, 8, 8)
        self._layout.setSpacing(14)
        self._layout.addStretch(1)
        self.setWidget(self._content)
        self.sections: list[TileSection] = []
        self.viewport().installEventFilter(self)

    def add_section(self, title: str, tiles: Sequence[KpiTile]) -> TileSection:
        section = TileSection(title, tiles)
        self._layout.insertWidget(self._layout.count() - 1, section)
        self.sections.append(section)
        for tile in tiles:
            tile.setMinimumWidth(TILE_MIN_WIDTH)
            tile.sig_activated.connect(lambda key, t=tile: self.sig_tile_activated.emit(key, t))
            tile.sig_move_requested.connect(self._on_tile_move_requested)
        columns = self._columns_for(self.viewport().width())
        for each in self.sections:
            each.set_columns(columns)
        return section

    def tiles(self) -> list[KpiTile]:
        return [tile for section in self.sections for tile in section.tiles]

    def tile(self, key: str) -> KpiTile | None:
        return next((t for t in self.tiles() if t.key == key), None)

    # -- layout -------------------------------------------------------------------------------

    def _columns_for(self, width: int) -> int:
        """As many columns as fit, but no more than the longest section has tiles: on a wide
        screen the tiles grow rather than leave a quarter of the width empty."""
        fit = max(1, (width - 8 + SPACING) // (TILE_MIN_WIDTH + SPACING))
        longest = max((len(section.tiles) for section in self.sections), default=fit)
        return max(1, min(fit, longest))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            columns = self._columns_for(self.viewport().width())
            for section in self.sections:
                section.set_columns(columns)
        return super().eventFilter(watched, event)

    # -- keyboard -----------------------------------------------------------------------------

    def _on_tile_move_requested(self, tile: KpiTile, dx: int, dy: int) -> None:
        """Focus the nearest tile in the arrow's direction, across sections."""
        origin = self._centre(tile)
        best: tuple[float, KpiTile] | None = None
        for other in self.tiles():
            if other is tile:
                continue
            delta = self._centre(other) - origin
            along = delta.x() * dx + delta.y() * dy  # distance in the arrow's direction
            across = abs(delta.y()) if dx else abs(delta.x())
            if along <= tile.height() // 4 * abs(dy) + tile.width() // 4 * abs(dx):
                continue  # not in that direction
            score = along + 3 * across  # prefer staying in the same row or column
            if best is None or score < best[0]:
                best = (score, other)
        if best is not None:
            best[1].setFocus(Qt.FocusReason.OtherFocusReason)
            self.ensureWidgetVisible(best[1], 0, 20)

    def _centre(self, tile: KpiTile) -> QPoint:
        return tile.mapTo(self._content, tile.rect().center())
