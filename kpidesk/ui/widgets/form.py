"""Form rows with the reason for a refusal shown right under the field."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QAbstractButton, QFormLayout, QLabel, QVBoxLayout, QWidget

from kpidesk.domain.checks import Problem
from kpidesk.presentation.labels import message_text


class FieldErrors:
    """Adds fields to a QFormLayout, each with a hidden error label below it."""

    def __init__(self, layout: QFormLayout) -> None:
        self._layout = layout
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self.general = QLabel()  # problems that belong to no visible field
        self.general.setObjectName("fieldError")
        self.general.setWordWrap(True)
        self.general.hide()

    def add(self, field: str, caption: str | QWidget, widget: QWidget) -> None:
        error = QLabel()
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.hide()
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(2)
        box_layout.addWidget(widget)
        box_layout.addWidget(error)
        self._layout.addRow(caption, box)
        self._labels[field] = error
        self._widgets[field] = widget
        label = self._layout.labelForField(box)
        if isinstance(label, QLabel):
            label.setBuddy(widget)
        elif isinstance(caption, QAbstractButton) and not widget.accessibleName():
            # "Decided on [date]": the check box's words name the date beside it.
            widget.setAccessibleName(caption.text().replace("&", ""))

    def first_field(self) -> QWidget | None:
        """The first field the rep can type in, where a dialog puts the cursor."""
        return next((w for w in self._widgets.values() if w.isEnabled()), None)

    def clear(self) -> None:
        for label in (*self._labels.values(), self.general):
            label.clear()
            label.hide()

    def show(self, problems: Iterable[Problem]) -> None:
        """Show each problem next to its field and focus the first field in error."""
        self.show_texts((problem.field, message_text(problem.message)) for problem in problems)

    def show_texts(self, reasons: Iterable[tuple[str, str]]) -> None:
        """Like :meth:`show`, for reasons already in the rep's words: (field, text) pairs."""
        self.clear()
        first: QWidget | None = None
        general: list[str] = []
        for field, text in reasons:
            label = self._labels.get(field)
            if label is None:
                general.append(text)
                continue
            label.setText(" ".join(filter(None, (label.text(), text))))
            label.show()
            first = first or self._widgets[field]
        if general:
            self.general.setText(" ".join(general))
            self.general.show()
        if first is not None:
            first.setFocus()

    def text_for(self, field: str) -> str:
        label = self._labels.get(field)
        return label.text() if label is not None and not label.isHidden() else ""
