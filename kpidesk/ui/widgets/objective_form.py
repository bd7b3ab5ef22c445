"""Set or clear the rep's own target for one indicator, per month, quarter or year.

The target is typed in the unit the rep reads (percent, euros, days) and stored in the engine's
(fractions, cents). A refused target is explained under the field and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.kpis import KpiDefinition, KpiUnit
from kpidesk.domain.vocabulary import OBJECTIVE_PERIOD_KINDS, PeriodKind
from kpidesk.presentation import DASH, _
from kpidesk.presentation.kpis import PERCENT_UNITS, KpiDisplay, currency_symbol
from kpidesk.presentation.periods import kind_label
from kpidesk.services.rows import ObjectiveRow
from kpidesk.ui.widgets.form import FieldErrors

MONEY_UNITS = (KpiUnit.MONEY, KpiUnit.MONEY_PER_DAY)


def to_engine_units(definition: KpiDefinition, shown: float) -> float:
    """What the rep typed (42 %, 1 500 €) as the engine stores it (0.42, 150000 cents)."""
    if definition.unit in PERCENT_UNITS:
        return shown / 100
    if definition.unit in MONEY_UNITS:
        return round(shown * 100)
    return shown


def to_shown_units(definition: KpiDefinition, target: float) -> float:
    if definition.unit in PERCENT_UNITS:
        return target * 100
    if definition.unit in MONEY_UNITS:
        return target / 100
    return target


def target_spin(definition: KpiDefinition, currency: str) -> QDoubleSpinBox:
    """A target field in the unit the rep reads: percent, money, days, a count."""
    spin = QDoubleSpinBox()
    # Negative values can be typed so the refusal is explained rather than silently clamped.
    spin.setRange(-1e9, 1e9)
    spin.setGroupSeparatorShown(True)
    spin.setDecimals(0)
    if definition.unit is KpiUnit.RATE:
        spin.setRange(-100, 100)
        spin.setSuffix(" %")
    elif definition.unit is KpiUnit.RATIO:  # "0.5 offer per visit": a number, not a %
        spin.setDecimals(2)
        spin.setSingleStep(0.05)
    elif definition.unit in MONEY_UNITS:
        spin.setSuffix(" " + currency_symbol(currency))
        spin.setSingleStep(100)
    elif definition.unit is KpiUnit.DAYS:
        spin.setDecimals(1)
        spin.setSuffix(" " + _("days"))
    return spin


class ObjectiveForm(QWidget):
    """Signals:
    sig_save_requested: (PeriodKind, target in the engine's units).
    sig_clear_requested: the period kind whose objective to remove.
    """

    sig_save_requested = Signal(object, float)
    sig_clear_requested = Signal(object)

    def __init__(
        self, definition: KpiDefinition, display: KpiDisplay, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._definition = definition
        self._display = display
        self._targets: dict[PeriodKind, ObjectiveRow] = {}
        intro = QLabel(
            _(
                "Your own target: the tile then shows your progress and your pace over the "
                "working days. Only you decide it."
            )
        )
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.kind = QComboBox()
        for kind in OBJECTIVE_PERIOD_KINDS:
            self.kind.addItem(kind_label(kind), kind.value)
        self.target = target_spin(definition, display.currency)
        self.save_button = QPushButton(_("Save objective"))
        self.save_button.setDefault(True)
        self.clear_button = QPushButton(_("Remove"))
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add("period_kind", _("&Per"), self.kind)
        self.errors.add("target", _("&Target"), self.target)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.clear_button.clicked.connect(
            lambda: self.sig_clear_requested.emit(self.selected_kind())
        )
        self.target.lineEdit().returnPressed.connect(self._on_save_clicked)

    def selected_kind(self) -> PeriodKind:
        return PeriodKind(self.kind.currentData())

    def select_kind(self, kind: PeriodKind) -> None:
        if kind in OBJECTIVE_PERIOD_KINDS:
            self.kind.setCurrentIndex(self.kind.findData(kind.value))

    def set_objectives(self, rows: Sequence[ObjectiveRow]) -> None:
        """The rep's objectives for this indicator (any period kind)."""
        self._targets = {r.period_kind: r for r in rows if r.kpi_key == self._definition.key}
        parts = []
        for kind in OBJECTIVE_PERIOD_KINDS:
            row = self._targets.get(kind)
            shown = self._display.value(self._definition, row.target) if row else DASH
            kind_text = kind_label(kind)
            parts.append(f"{kind_text}: {shown}")
        self.summary.setText(_("Your objectives: {list}").format(list=" · ".join(parts)))
        self._on_kind_changed()

    def _on_kind_changed(self, _index: int = 0) -> None:
        row = self._targets.get(self.selected_kind())
        self.clear_button.setEnabled(row is not None)
        if row is not None:
            self.target.setValue(to_shown_units(self._definition, row.target))
        self.errors.clear()

    def _on_save_clicked(self) -> None:
        target = to_engine_units(self._definition, self.target.value())
        self.sig_save_requested.emit(self.selected_kind(), float(target))
