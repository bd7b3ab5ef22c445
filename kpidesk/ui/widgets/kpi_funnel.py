"""The period's funnel: visits → offers sent → offers won, with the ratios between.

Each stage is a button that opens the indicator behind it (visits, offers sent, conversion).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from kpidesk.domain.kpis import Funnel
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.kpis import kpi_text

# The indicator each stage opens: won offers are the numerator of the conversion rate.
STAGE_KPIS = {"visits": "visits", "offers_sent": "offers_sent", "offers_won": "conversion"}


class FunnelView(QFrame):
    """Signals:
    sig_stage_activated: the rep opened a stage: the key of the indicator behind it.
    """

    sig_stage_activated = Signal(str)

    def __init__(self, fmt: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("funnel")
        self._fmt = fmt
        self.stage_buttons: dict[str, QPushButton] = {}
        self.step_labels: list[QLabel] = []
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        title = QLabel(_("Funnel"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        for i, stage in enumerate(STAGE_KPIS):
            if i:
                step = QLabel()
                step.setObjectName("funnelStep")
                step.setAlignment(Qt.AlignmentFlag.AlignCenter)
                self.step_labels.append(step)
                layout.addWidget(step)
            button = QPushButton()
            button.setObjectName("funnelStage")
            button.clicked.connect(
                lambda _=False, s=stage: self.sig_stage_activated.emit(STAGE_KPIS[s])
            )
            self.stage_buttons[stage] = button
            layout.addWidget(button)
        layout.addStretch(1)
        self.setToolTip(
            _(
                "Counts of the same period side by side, not one group of offers followed "
                "through: an offer won this month may have been sent last month. Judge closing "
                "by the conversion rate."
            )
        )

    def show_funnel(self, funnel: Funnel) -> None:
        for stage in funnel.stages:
            self.stage_buttons[stage.key].setText(
                f"{kpi_text(stage.label)}  {self._fmt.number(stage.count)}"
            )
        for label, step in zip(self.step_labels, funnel.steps, strict=True):
            label.setText(f"→ {self._fmt.percent(step.rate.value)} →")
            label.setToolTip(
                _("{numerator} / {denominator}").format(
                    numerator=step.rate.numerator, denominator=step.rate.denominator
                )
            )
