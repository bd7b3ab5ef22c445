"""Objectives agreed, not imposed: the manager's proposal and the rep's (or manager's) answer
with another target. The target is typed in the unit the rep reads (percent, euros)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.kpis.catalogue import CATALOGUE, KPIS
from kpidesk.domain.vocabulary import OBJECTIVE_PERIOD_KINDS, PeriodKind
from kpidesk.presentation import _
from kpidesk.presentation.kpis import KpiDisplay, kpi_text
from kpidesk.presentation.periods import kind_label
from kpidesk.ui.widgets.objective_form import target_spin, to_engine_units, to_shown_units

MAX_NOTE = 1000


class TargetDialog(QDialog):
    """A target for one indicator and period kind, with a note. ``fixed_key``: an answer
    keeps the proposal's indicator and period; a new proposal chooses them."""

    def __init__(
        self,
        title: str,
        intro: str,
        display: KpiDisplay,
        parent: QWidget | None = None,
        *,
        fixed: tuple[str, PeriodKind, float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._display = display
        self.indicator = QComboBox()
        for definition in CATALOGUE:
            self.indicator.addItem(kpi_text(definition.label), definition.key)
        self.kind = QComboBox()
        for kind in OBJECTIVE_PERIOD_KINDS:
            self.kind.addItem(kind_label(kind), kind.value)
        self.note = QLineEdit()
        self.note.setMaxLength(MAX_NOTE)
        self.note.setPlaceholderText(_("Why this target (optional)"))
        self._form = QFormLayout()
        self._form.addRow(_("&Indicator"), self.indicator)
        self._form.addRow(_("&Per"), self.kind)
        self.target = target_spin(KPIS[CATALOGUE[0].key], display.currency)
        self._form.addRow(_("&Target"), self.target)
        self._form.addRow(_("&Note"), self.note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Send"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        text = QLabel(intro)
        text.setWordWrap(True)
        text.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addLayout(self._form)
        layout.addWidget(buttons)
        self.indicator.currentIndexChanged.connect(self._on_indicator_changed)
        if fixed is not None:
            key, kind, target = fixed
            self.indicator.setCurrentIndex(self.indicator.findData(key))
            self.kind.setCurrentIndex(self.kind.findData(PeriodKind(kind).value))
            self.indicator.setEnabled(False)
            self.kind.setEnabled(False)
            self.target.setValue(to_shown_units(KPIS[key], target))
            self.target.setFocus()
            self.target.selectAll()
        else:
            self.indicator.setCurrentIndex(max(0, self.indicator.findData("revenue")))
            self.indicator.setFocus()

    def _on_indicator_changed(self, _index: int) -> None:
        spin = target_spin(KPIS[self.kpi_key()], self._display.currency)
        self._form.replaceWidget(self.target, spin)
        self.target.deleteLater()
        self.target = spin

    def kpi_key(self) -> str:
        return str(self.indicator.currentData())

    def period_kind(self) -> PeriodKind:
        return PeriodKind(self.kind.currentData())

    def engine_target(self) -> float:
        return float(to_engine_units(KPIS[self.kpi_key()], self.target.value()))
