"""A combo box over one of the trade's enums, showing translated labels."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from kpidesk.presentation.labels import label


class EnumCombo(QComboBox):
    """``value()`` returns the enum member itself (Qt would hand back a plain string)."""

    def __init__(self, values: Iterable[StrEnum], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = list(values)
        for value in self._values:
            self.addItem(label(value), value.value)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if index >= 0 else None

    def set_value(self, value: StrEnum | str) -> None:
        index = self.findData(str(value))
        if index >= 0:
            self.setCurrentIndex(index)
