"""Settings > "How indicators are computed": temperature chances, stale offers, currency.

Saving announces a setting change: the indicators and Today recompute with the new values.
A refusal shows under its field and nothing is saved.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
)

from kpidesk.domain.changes import Changes
from kpidesk.domain.kpis import KpiSettings
from kpidesk.presentation import _
from kpidesk.services.errors import InvalidInputError
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.pages.work_settings_box import explained, lay_out_settings_box
from kpidesk.ui.widgets.form import FieldErrors


def chance_box() -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, 100)
    box.setDecimals(0)
    box.setSuffix(" %")
    return box


class KpiSettingsBox(QGroupBox):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(_("How indicators are computed"))
        self._ctx = ctx
        self.hot, self.warm, self.cold = chance_box(), chance_box(), chance_box()
        self.stale = QSpinBox()
        self.stale.setRange(1, 365)
        self.stale.setSuffix(_(" days"))
        self.currency = QLineEdit()
        self.currency.setMaxLength(3)
        self.currency.setMaximumWidth(80)
        self.currency.setValidator(QRegularExpressionValidator(r"[A-Za-z]{0,3}", self.currency))
        form = QFormLayout()
        self.errors = FieldErrors(form)
        weighted = _(
            "Weighted pipeline counts an open offer without its own probability at this "
            "chance when its account is {temperature}."
        )
        self.errors.add(
            "probability_hot",
            _("Chance, h&ot account"),
            explained(self.hot, weighted.format(temperature=_("hot"))),
        )
        self.errors.add(
            "probability_warm",
            _("Chance, &warm account"),
            explained(self.warm, weighted.format(temperature=_("warm"))),
        )
        self.errors.add(
            "probability_cold",
            _("Chance, co&ld account"),
            explained(self.cold, weighted.format(temperature=_("cold"))),
        )
        self.errors.add(
            "stale_after_days",
            _("Offer &stale after"),
            explained(
                self.stale,
                _("Stale offers counts the open offers with no activity for longer than this."),
            ),
        )
        self.errors.add("currency", _("Curr&ency"), explained(self.currency, _(
            "Money indicators add up the offers in this currency only; offers in other "
            "currencies are left out.")))  # fmt: skip
        self.save_button = lay_out_settings_box(self, form, self.errors, self.save)
        self.currency.returnPressed.connect(self.save)
        self.shown = KpiSettings()
        self._show(self.shown)

    def refresh(self) -> None:
        kpis = self._ctx.workspace.kpis
        self._ctx.tasks.run(kpis.settings, self._show, key="kpi-settings")

    def _show(self, settings: KpiSettings) -> None:
        self.shown = settings
        self.hot.setValue(round(settings.probability_hot * 100))
        self.warm.setValue(round(settings.probability_warm * 100))
        self.cold.setValue(round(settings.probability_cold * 100))
        self.stale.setValue(settings.stale_after_days)
        self.currency.setText(settings.currency)

    def entered(self) -> KpiSettings:
        return replace(
            self.shown,
            probability_hot=self.hot.value() / 100,
            probability_warm=self.warm.value() / 100,
            probability_cold=self.cold.value() / 100,
            stale_after_days=self.stale.value(),
            currency=self.currency.text().strip().upper(),
        )

    def save(self) -> None:
        entered, kpis = self.entered(), self._ctx.workspace.kpis

        def saved(changes: Changes) -> None:
            self.errors.clear()
            self._show(entered)
            self._ctx.events.announce(changes)  # the indicators recompute with these
            self._ctx.notifier.notify(_("Indicator settings saved: the indicators are updated."))

        self._ctx.tasks.run(lambda: kpis.save_settings(entered), saved, self._on_failed)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, InvalidInputError):
            self.errors.show(error.problems)
        else:
            self._ctx.notifier.error(plain_words(error))
