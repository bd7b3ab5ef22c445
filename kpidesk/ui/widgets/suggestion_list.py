"""Suggestions as cards: what to do, why (the rep's own numbers), and the button that does it.

Keyboard: Up/Down choose, Enter does the suggested action, Del dismisses, S opens "later".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.suggestions import Suggestion
from kpidesk.presentation import _
from kpidesk.presentation.labels import message_text
from kpidesk.services.suggestions import Snooze


class SuggestionCard(QFrame):
    def __init__(self, suggestion: Suggestion, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionCard")
        self.suggestion = suggestion
        title = QLabel(message_text(suggestion.title))
        title.setObjectName("suggestionTitle")
        title.setWordWrap(True)
        why = QLabel(message_text(suggestion.why))
        why.setObjectName("hint")
        why.setWordWrap(True)
        self.action_button = QPushButton(message_text(suggestion.action.label))
        self.later_button = QToolButton()
        self.later_button.setObjectName("laterButton")
        # The arrow is part of the text: Qt's own indicator was drawn over the word.
        self.later_button.setText(_("Later") + " ▾")
        self.later_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        buttons = QHBoxLayout()
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(why)
        layout.addLayout(buttons)


class SuggestionList(QListWidget):
    """Signals:
    sig_action_requested: do the suggestion's action (a Suggestion).
    sig_dismiss_requested: never show this suggestion again (a Suggestion).
    sig_snooze_requested: hide it for a while: (Suggestion, Snooze).
    """

    sig_action_requested = Signal(object)
    sig_dismiss_requested = Signal(object)
    sig_snooze_requested = Signal(object, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestions")
        self.setSpacing(3)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._cards: list[SuggestionCard] = []

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        current = self.current_suggestion()
        self.clear()
        self._cards = []
        for suggestion in suggestions:
            item = QListWidgetItem(self)
            card = SuggestionCard(suggestion)
            card.action_button.clicked.connect(
                lambda _=False, s=suggestion: self.sig_action_requested.emit(s)
            )
            card.later_button.setMenu(self._later_menu(suggestion, card))
            self.setItemWidget(item, card)
            self._cards.append(card)
        self._fit_cards()
        keys = [(s.rule, s.subject_key) for s in suggestions]
        if current is not None and (current.rule, current.subject_key) in keys:
            self.setCurrentRow(keys.index((current.rule, current.subject_key)))
        elif suggestions:
            self.setCurrentRow(0)

    def suggestions(self) -> list[Suggestion]:
        return [card.suggestion for card in self._cards]

    def current_suggestion(self) -> Suggestion | None:
        row = self.currentRow()
        return self._cards[row].suggestion if 0 <= row < len(self._cards) else None

    def _later_menu(self, suggestion: Suggestion, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        for text, how in (
            (_("Tomorrow"), Snooze.DAY),
            (_("In a week"), Snooze.WEEK),
            (_("When something changes on it"), Snooze.UNTIL_CHANGED),
        ):
            menu.addAction(text, lambda h=how: self.sig_snooze_requested.emit(suggestion, h))
        menu.addSeparator()
        menu.addAction(_("Never for this one"), lambda: self.sig_dismiss_requested.emit(suggestion))
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        suggestion = self.current_suggestion()
        if suggestion is not None:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.sig_action_requested.emit(suggestion)
                return
            if event.key() == Qt.Key.Key_Delete:
                self.sig_dismiss_requested.emit(suggestion)
                return
            if event.key() == Qt.Key.Key_S:
                card = self._cards[self.currentRow()]
                menu = card.later_button.menu()
                menu.popup(card.later_button.mapToGlobal(QPoint(0, card.later_button.height())))
                return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_cards()

    def _fit_cards(self) -> None:
        width = max(200, self.viewport().width() - 8)
        for row, card in enumerate(self._cards):
            card.setFixedWidth(width)
            height = (
                card.layout().heightForWidth(width) if card.layout().hasHeightForWidth() else -1
            )
            self.item(row).setSizeHint(QSize(width, max(height, card.sizeHint().height())))
