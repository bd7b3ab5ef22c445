"""Mark a planned activity done: its outcome, and the next step planned in the same go."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QLineEdit, QWidget

from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.presentation import _
from kpidesk.presentation.labels import label
from kpidesk.services.rows import ActivityRow
from kpidesk.ui.context import UiContext
from kpidesk.ui.dialogs.quick_log import OutcomeCombo, find_planned_step, load_working_time
from kpidesk.ui.dialogs.record_dialogs import RecordDialog, optional_text
from kpidesk.ui.widgets.next_step import NextStepEditor


class CompleteActivityDialog(RecordDialog):
    def __init__(
        self,
        activity: ActivityRow,
        ctx: UiContext,
        parent: QWidget | None = None,
        now: Callable[[], datetime] = utc_now,
        account_caption: str | None = None,
    ) -> None:
        super().__init__(
            _("Done: {kind} with {account}").format(
                kind=label(activity.kind), account=account_caption or activity.account_name or ""
            ),
            parent,
        )
        self.setMinimumWidth(520)
        self._now = now
        self.outcome = OutcomeCombo()
        self.outcome.set_kind(ActivityKind(activity.kind))
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(_("Free note: what was said, what to remember"))
        self.next_step = NextStepEditor(ctx.fmt)
        self.next_step.set_kind(ActivityKind(activity.kind))
        self.next_step.set_done_at(now().astimezone())
        self.errors.add("outcome", _("&Outcome"), self.outcome)
        self.errors.add("notes", _("&Notes"), self.notes)
        self.errors.add("follow_up_in_days", _("Ne&xt step"), self.next_step)
        load_working_time(ctx, self.next_step.set_working_time)
        if activity.account_id:
            find_planned_step(
                ctx, activity.account_id, now(), self.next_step.set_existing, activity.id
            )

    def values(self) -> dict[str, object]:
        return {
            "outcome": self.outcome.value(),
            "notes": optional_text(self.notes),
            "next_step": self.next_step.value(),
            "done_at": self._now(),
        }
