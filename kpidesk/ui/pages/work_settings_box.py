"""Settings > "Follow-ups and working hours": when the next step after a log is planned.

Read and saved on the task runner (``kpidesk.services.work_settings``); a refusal shows under
its field and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes
from kpidesk.domain.next_step import WorkingTime
from kpidesk.domain.work import MAX_DELAY_DAYS
from kpidesk.presentation import _
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.work_settings import read_work_settings, save_work_settings
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.widgets.form import FieldErrors


def explained(field: QWidget, effect: str) -> QWidget:
    """A field with one sentence under it saying what it changes."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    row = QHBoxLayout()
    row.addWidget(field)
    row.addStretch(1)
    layout.addLayout(row)
    hint = QLabel(effect)
    hint.setObjectName("hint")
    hint.setWordWrap(True)
    layout.addWidget(hint)
    box.setFocusProxy(field)
    return box


def lay_out_settings_box(
    box: QWidget, form: QFormLayout, errors: FieldErrors, save: Callable[[], None]
) -> QPushButton:
    """A Settings box's body: its form, the error no field owns, and its Save button (which
    Enter in a field does not press: a box saves only when asked)."""
    save_button = QPushButton(_("Save"))
    save_button.setAutoDefault(False)
    save_button.clicked.connect(save)
    buttons = QHBoxLayout()
    buttons.addWidget(save_button)
    buttons.addStretch(1)
    layout = QVBoxLayout(box)
    layout.addLayout(form)
    layout.addWidget(errors.general)
    layout.addLayout(buttons)
    return save_button


def hour_box(low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(":00")
    return box


class WorkSettingsBox(QGroupBox):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(_("Follow-ups and working hours"))
        self._ctx = ctx
        self.delay = QSpinBox()
        self.delay.setRange(1, MAX_DELAY_DAYS)
        self.delay.setSuffix(_(" days"))
        self.hour = QTimeEdit()
        self.hour.setDisplayFormat("HH:mm")
        self.days = {day: QCheckBox(ctx.fmt.weekday_name(day)) for day in range(1, 8)}
        days_row = QWidget()
        days_layout = QHBoxLayout(days_row)
        days_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.days.values():
            days_layout.addWidget(box)
        days_row.setFocusProxy(self.days[1])
        self.start = hour_box(0, 23)
        self.end = hour_box(1, 24)
        self.start.setAccessibleName(_("Work starts at"))
        self.end.setAccessibleName(_("Work ends at"))
        hours_row = QWidget()
        hours_layout = QHBoxLayout(hours_row)
        hours_layout.setContentsMargins(0, 0, 0, 0)
        hours_layout.addWidget(self.start)
        hours_layout.addWidget(QLabel(_("to")))
        hours_layout.addWidget(self.end)
        hours_row.setFocusProxy(self.start)
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add(
            "delay_days",
            _("&Follow up after"),
            explained(
                self.delay,
                _("After a log or Mark done, the next step is proposed this many days later."),
            ),
        )
        self.errors.add(
            "hour",
            _("Follow-up ti&me"),
            explained(
                self.hour,
                _("The proposed next step is planned at this hour, within your working hours."),
            ),
        )
        self.errors.add(
            "days",
            _("Working &days"),
            explained(
                days_row,
                _(
                    "Next steps are never proposed on other days; a follow-up that would "
                    "fall on one moves to the next working day."
                ),
            ),
        )
        self.errors.add("end_hour", _("Working &hours"), explained(hours_row, _(
            "Next steps are proposed between these hours.")))  # fmt: skip
        self.save_button = lay_out_settings_box(self, form, self.errors, self.save)
        self.shown = WorkingTime()
        self._show(self.shown)

    def refresh(self) -> None:
        db = self._ctx.workspace.db
        self._ctx.tasks.run(lambda: read_work_settings(db), self._show, key="work-settings")

    def _show(self, settings: WorkingTime) -> None:
        self.shown = settings
        self.delay.setValue(settings.delay_days)
        self.hour.setTime(QTime(settings.hour.hour, settings.hour.minute))
        for day, box in self.days.items():
            box.setChecked(day in settings.days)
        self.start.setValue(settings.start_hour)
        self.end.setValue(settings.end_hour)

    def entered(self) -> WorkingTime:
        return replace(
            self.shown,
            delay_days=self.delay.value(),
            hour=time(self.hour.time().hour(), self.hour.time().minute()),
            days=frozenset(day for day, box in self.days.items() if box.isChecked()),
            start_hour=self.start.value(),
            end_hour=self.end.value(),
        )

    def save(self) -> None:
        entered, db = self.entered(), self._ctx.workspace.db

        def saved(changes: Changes) -> None:
            self.errors.clear()
            self.shown = entered
            self._ctx.events.announce(changes)
            self._ctx.notifier.notify(_("Follow-up and working hours saved."))

        self._ctx.tasks.run(lambda: save_work_settings(db, entered), saved, self._on_failed)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, InvalidInputError):
            self.errors.show(error.problems)
        else:
            self._ctx.notifier.error(plain_words(error))
