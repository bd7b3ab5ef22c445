"""The welcome screen's "start with my own data": my name, my currency, my first objectives.

The objectives are typed with the Indicators page's own target fields (``target_spin``, in the
unit the rep reads: euros, percent, a count); a target left at zero sets no objective. Saved in
one transaction (:meth:`FirstRunService.start_empty`): a refusal is explained under its field
and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes
from kpidesk.domain.kpis.catalogue import KPIS
from kpidesk.domain.vocabulary import OBJECTIVE_PERIOD_KINDS, PeriodKind
from kpidesk.presentation import _
from kpidesk.presentation.kpis import kpi_text
from kpidesk.presentation.periods import kind_label
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.first_run import FirstObjective
from kpidesk.ui.context import UiContext
from kpidesk.ui.dialogs.offer_dialogs import CURRENCIES
from kpidesk.ui.errors import plain_words
from kpidesk.ui.widgets.common import page_title
from kpidesk.ui.widgets.form import FieldErrors
from kpidesk.ui.widgets.objective_form import target_spin, to_engine_units

# The first objectives a rep sets (KPIS.md): what they sell, how often they win, how much
# they go out; every other one is on the Indicators page.
FIRST_OBJECTIVES = ("revenue", "conversion", "visits")


class StartEmptyForm(QWidget):
    """Signals:
    sig_started: the rep's start was saved (the Changes it made).
    sig_back_requested: back to the welcome screen's choices, nothing saved.
    """

    sig_started = Signal(object)
    sig_back_requested = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._ctx = ctx
        intro = QLabel(
            _(
                "kpidesk keeps everything on this computer. Your name goes on your review "
                "report; objectives are yours alone, and you can change them any time on the "
                "Indicators page."
            )
        )
        intro.setWordWrap(True)
        intro.setObjectName("hint")
        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Claire Martin"))
        self.currency = QComboBox()
        self.currency.setEditable(True)  # another ISO code can be typed: it is checked on save
        self.currency.addItems(CURRENCIES)
        self.period = QComboBox()
        for kind in OBJECTIVE_PERIOD_KINDS:
            self.period.addItem(kind_label(kind), kind.value)
        self.period.setCurrentIndex(self.period.findData(PeriodKind.MONTH.value))
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add("name", _("Your &name"), self.name)
        self.errors.add("currency", _("Your &currency"), self.currency)
        self.errors.add("period_kind", _("Objectives &per"), self.period)
        self.targets: dict[str, QDoubleSpinBox] = {}
        for n, key in enumerate(FIRST_OBJECTIVES):
            definition = KPIS[key]
            spin = target_spin(definition, "EUR")
            spin.setMinimum(0)
            spin.setSpecialValueText(_("no objective"))  # zero: none set
            spin.setToolTip(kpi_text(definition.definition))
            self.targets[key] = spin
            self.errors.add(f"objective.{n}", kpi_text(definition.label), spin)
        self.currency.currentTextChanged.connect(self._on_currency_changed)
        self.back_button = QPushButton(_("&Back"))
        self.start_button = QPushButton(_("&Start"))
        self.start_button.setDefault(True)
        self.start_button.setAutoDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(_("Start with your own data")))
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.back_button.clicked.connect(self.sig_back_requested.emit)
        self.start_button.clicked.connect(self.start)
        self.name.returnPressed.connect(self.start)

    def _on_currency_changed(self, text: str) -> None:
        from kpidesk.presentation.kpis import currency_symbol
        from kpidesk.ui.widgets.objective_form import MONEY_UNITS

        code = text.strip().upper()
        for key, spin in self.targets.items():
            if KPIS[key].unit in MONEY_UNITS and len(code) == 3:
                spin.setSuffix(" " + currency_symbol(code))

    def objectives(self) -> list[FirstObjective]:
        """The targets typed (zero is none), in the engine's units."""
        kind = PeriodKind(self.period.currentData())
        return [
            FirstObjective(key, kind, float(to_engine_units(KPIS[key], spin.value())))
            for key, spin in self.targets.items()
            if spin.value() > 0
        ]

    def start(self) -> None:
        name, currency = self.name.text(), self.currency.currentText()
        objectives, first_run = self.objectives(), self._ctx.workspace.first_run
        # Objective problems are named by their place among the targets typed: map them back
        # to the field of each indicator.
        fields = {
            f"objective.{n}": f"objective.{FIRST_OBJECTIVES.index(o.kpi_key)}"
            for n, o in enumerate(objectives)
        }

        def failed(error: BaseException) -> None:
            if isinstance(error, InvalidInputError):
                self.errors.show(
                    type(p)(fields.get(p.field, p.field), p.message) for p in error.problems
                )
            else:
                self.errors.show_texts([("", plain_words(error))])

        self._ctx.tasks.run(
            lambda: first_run.start_empty(name, currency, objectives), self._on_started, failed
        )

    def _on_started(self, changes: Changes) -> None:
        self.errors.clear()
        self._ctx.events.announce(changes)
        self.sig_started.emit(changes)
