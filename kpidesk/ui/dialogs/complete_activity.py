"""Mark a planned activity done: its outcome, and the next step planned in the same go."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QSpinBox, QWidget

from kpidesk.presentation import _
from kpidesk.presentation.labels import label
from kpidesk.services.rows import ActivityRow
from kpidesk.ui.dialogs.record_dialogs import RecordDialog, optional_text


class CompleteActivityDialog(RecordDialog):
    def __init__(self, activity: ActivityRow, parent: QWidget | None = None) -> None:
        super().__init__(
            _("Done: {kind} with {account}").format(
                kind=label(activity.kind), account=activity.account_name or ""
            ),
            parent,
        )
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText(_("What came out of it?"))
        self.notes = QLineEdit()
        self.plan_next = QCheckBox(_("Plan the next step in"))
        self.plan_next.setChecked(True)
        self.days = QSpinBox()
        self.days.setRange(1, 365)
        self.days.setValue(7)
        self.days.setSuffix(_(" days"))
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(self.plan_next)
        row_layout.addWidget(self.days)
        row_layout.addStretch(1)
        self.errors.add("outcome", _("&Outcome"), self.outcome)
        self.errors.add("notes", _("&Notes"), self.notes)
        self.errors.add("follow_up_in_days", _("Next step"), row)
        self.plan_next.toggled.connect(self.days.setEnabled)

    def values(self) -> dict[str, object]:
        return {
            "outcome": optional_text(self.outcome),
            "notes": optional_text(self.notes),
            "next_in_days": self.days.value() if self.plan_next.isChecked() else None,
        }
