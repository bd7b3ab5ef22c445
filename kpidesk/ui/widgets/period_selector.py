"""The period the Indicators page shows: its kind, previous/next, or custom days.

Keyboard (anywhere on the page): Alt+Left and Alt+Right step back and forth, Alt+Home returns
to the running period.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QWidget,
)

from kpidesk.domain.periods import InvalidPeriodError, Period
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.presentation import _
from kpidesk.presentation.periods import KIND_LABELS, period_name

PeriodOf = Callable[[PeriodKind], Period]  # the running period of a kind
CustomPeriod = Callable[[date, date], Period]  # whole days [first, end)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodSelector(QWidget):
    """The kind, the arrows and the period's name; ``custom_days`` (a custom period's two dates,
    shown only for one) is a separate widget the page lays out beside it, so the dates can go
    to the next line on a narrow window rather than squeeze the name.

    Signals:
    sig_period_changed: the rep chose another period (a Period).
    """

    sig_period_changed = Signal(object)

    def __init__(
        self, current_of: PeriodOf, custom: CustomPeriod, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._current_of = current_of
        self._custom = custom
        self.kind = QComboBox()
        for kind, text in KIND_LABELS.items():
            self.kind.addItem(_(text), kind.value)
        self.kind.setToolTip(_("Which period to show"))
        self.previous_button = QToolButton()
        self.previous_button.setText("◀")
        self.previous_button.setToolTip(_("Previous period (Alt+Left)"))
        self.next_button = QToolButton()
        self.next_button.setText("▶")
        self.next_button.setToolTip(_("Next period (Alt+Right)"))
        self.label = QLabel()
        self.label.setObjectName("periodLabel")
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.custom_error = QLabel()
        self.custom_error.setObjectName("fieldError")
        self.custom_days = QWidget(self)  # until the page's layout takes it
        custom_layout = QHBoxLayout(self.custom_days)
        custom_layout.setContentsMargins(0, 0, 0, 0)
        from_label = QLabel(_("&From"))
        from_label.setBuddy(self.first_day)
        to_label = QLabel(_("&to"))
        to_label.setBuddy(self.last_day)
        for widget in (from_label, self.first_day, to_label, self.last_day, self.custom_error):
            custom_layout.addWidget(widget)
        self.custom_days.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind, self.previous_button, self.label, self.next_button):
            layout.addWidget(widget)
        self.period = current_of(PeriodKind.MONTH)
        self.kind.setCurrentIndex(self.kind.findData(PeriodKind.MONTH.value))
        self._show_period()

        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.previous_button.clicked.connect(self.step_back)
        self.next_button.clicked.connect(self.step_forward)
        self.first_day.dateChanged.connect(self._on_custom_days_changed)
        self.last_day.dateChanged.connect(self._on_custom_days_changed)

    def install_shortcuts(self, scope: QWidget) -> None:
        """Alt+Left/Right/Home work anywhere inside ``scope`` (the page)."""
        for keys, slot in (
            ("Alt+Left", self.step_back),
            ("Alt+Right", self.step_forward),
            ("Alt+Home", self.go_to_current),
        ):
            shortcut = QShortcut(QKeySequence(keys), scope)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # -- choosing -----------------------------------------------------------------------------

    def set_period(self, period: Period) -> None:
        """Show ``period`` (its kind is selected in the combo) and announce it."""
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(period.kind.value))
        self.kind.blockSignals(False)
        self.custom_days.setVisible(period.kind is PeriodKind.CUSTOM)
        if period.kind is PeriodKind.CUSTOM:
            self._set_custom_days(period)
        self._change(period)

    def show_quietly(self, period: Period) -> None:
        """Show ``period`` without announcing it (the page chose it, not the rep)."""
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(period.kind.value))
        self.kind.blockSignals(False)
        self.period = period
        self._show_period()

    def step_back(self) -> None:
        self._change(self.period.previous())

    def step_forward(self) -> None:
        if self.next_button.isEnabled():
            self._change(self.period.next())

    def go_to_current(self) -> None:
        if self.period.kind is not PeriodKind.CUSTOM:
            self._change(self._current_of(self.period.kind))

    def is_running(self) -> bool:
        today = self._today()
        return self.period.first_day <= today < self.period.end_day

    def _on_kind_changed(self, index: int) -> None:
        kind = PeriodKind(self.kind.itemData(index))
        self.custom_days.setVisible(kind is PeriodKind.CUSTOM)
        if kind is PeriodKind.CUSTOM:
            # Start from the days on screen: the rep narrows or widens what they were reading.
            self._set_custom_days(self.period)
            self._change(self._custom(self.period.first_day, self.period.end_day))
            self.first_day.setFocus()
        else:
            self._change(self._current_of(kind))

    def _set_custom_days(self, period: Period) -> None:
        for edit, day in ((self.first_day, period.first_day), (self.last_day, period.last_day)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)

    def _on_custom_days_changed(self) -> None:
        first, last = _pydate(self.first_day.date()), _pydate(self.last_day.date())
        try:
            period = self._custom(first, last + timedelta(days=1))  # the last day is included
        except InvalidPeriodError:
            self.custom_error.setText(_("The last day cannot be before the first."))
            return
        self.custom_error.clear()
        self._change(period)

    def _change(self, period: Period) -> None:
        if period == self.period and self.label.text():
            return
        self.period = period
        self._show_period()
        self.sig_period_changed.emit(period)

    def _show_period(self) -> None:
        text = period_name(self.period)
        if self.is_running():
            text = _("{period} · so far").format(period=text)
        self.label.setText(text)
        # Nothing is known about a period that has not started yet.
        self.next_button.setEnabled(self.period.end_day <= self._today())

    def _today(self) -> date:
        # The rolling 30 days end with today, in the rep's zone and by the service's clock.
        return self._current_of(PeriodKind.LAST_30_DAYS).last_day
