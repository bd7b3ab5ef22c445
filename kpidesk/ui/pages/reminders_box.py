"""Settings > "Reminders and start at login": the lead time of reminders, and whether kpidesk
starts when the rep logs in (off by default; XDG autostart or the Windows Run key).

Both are read and saved on the task runner; a refused lead time shows under its field and
nothing is saved (neither the reminder settings nor the start at login).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QSpinBox,
)

from kpidesk.domain.changes import NOTHING, Changes
from kpidesk.domain.reminders import MAX_LEAD_MINUTES, ReminderSettings
from kpidesk.presentation import _
from kpidesk.services.autostart import Autostart, for_this_system
from kpidesk.services.errors import InvalidInputError
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words
from kpidesk.ui.pages.work_settings_box import explained, lay_out_settings_box
from kpidesk.ui.widgets.form import FieldErrors


@dataclass(frozen=True)
class Shown:
    reminders: ReminderSettings
    starts_at_login: bool


class RemindersBox(QGroupBox):
    def __init__(self, ctx: UiContext, autostart: Autostart | None = None) -> None:
        super().__init__(_("Reminders and start at login"))
        self._ctx = ctx
        self._autostart = autostart if autostart is not None else for_this_system()
        self.enabled = QCheckBox(_("&Remind me of planned activities"))
        self.lead = QSpinBox()
        self.lead.setRange(1, MAX_LEAD_MINUTES)
        self.lead.setSuffix(_(" min before"))
        self.enabled.toggled.connect(self.lead.setEnabled)
        self.at_login = QCheckBox(_("S&tart kpidesk when I log in"))
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add(
            "enabled",
            "",
            explained(
                self.enabled,
                _(
                    "A desktop notification for each planned call, visit or follow-up, once, "
                    "and only within your working hours (Follow-ups and working hours)."
                ),
            ),
        )
        self.errors.add(
            "lead_minutes",
            _("Remind me &ahead"),
            explained(self.lead, _("How long before the activity the reminder comes.")),
        )
        if self._autostart is not None:
            self.errors.add(
                "starts_at_login",
                "",
                explained(
                    self.at_login,
                    _("Off unless you switch it on: kpidesk then opens with your session."),
                ),
            )
        self.save_button = lay_out_settings_box(self, form, self.errors, self.save)
        self.shown = Shown(ReminderSettings(), False)
        self._show(self.shown)

    def refresh(self) -> None:
        service, starter = self._ctx.workspace.reminders, self._autostart
        self._ctx.tasks.run(
            lambda: Shown(service.settings(), starter is not None and starter.is_enabled()),
            self._show,
            key="reminder-settings",
        )

    def _show(self, shown: Shown) -> None:
        self.shown = shown
        self.enabled.setChecked(shown.reminders.enabled)
        self.lead.setValue(shown.reminders.lead_minutes)
        self.lead.setEnabled(shown.reminders.enabled)
        self.at_login.setChecked(shown.starts_at_login)

    def entered(self) -> Shown:
        return Shown(
            ReminderSettings(self.enabled.isChecked(), self.lead.value()),
            self.at_login.isChecked(),
        )

    def save(self) -> None:
        entered, service, starter = self.entered(), self._ctx.workspace.reminders, self._autostart

        def write() -> Changes:
            changes = service.save_settings(entered.reminders)  # refused: nothing below runs
            if starter is not None and entered.starts_at_login != self.shown.starts_at_login:
                starter.set_enabled(entered.starts_at_login)
            return changes or NOTHING

        def saved(changes: Changes) -> None:
            self.errors.clear()
            self.shown = entered
            self._ctx.events.announce(changes)
            self._ctx.notifier.notify(_("Reminder settings saved."))

        self._ctx.tasks.run(write, saved, self._on_failed)

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, InvalidInputError):
            self.errors.show(error.problems)
        else:
            self._ctx.notifier.error(plain_words(error))
