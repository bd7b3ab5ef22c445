"""The next step, proposed under a log or a "mark done": its kind, day and time, editable.

The default is the rep's delay at a working hour on a working day (``WorkingTime``). When the
account already has a step planned, the first choice keeps it (or moves it) instead of planning
a duplicate.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.next_step import WorkingTime, default_next_step
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.labels import label
from kpidesk.services.activities import NextStep
from kpidesk.services.rows import ActivityRow
from kpidesk.ui.widgets.enum_combo import EnumCombo

KINDS = (ActivityKind.CALL, ActivityKind.VISIT, ActivityKind.EMAIL, ActivityKind.OTHER)
NEW, KEEP, MOVE, NONE = "new", "keep", "move", "none"


class NextStepEditor(QWidget):
    """Signals:
    sig_changed: the choice, kind, day or time changed.
    """

    sig_changed = Signal()

    def __init__(self, fmt: Formatter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fmt = fmt
        self._working = WorkingTime()
        self._existing: ActivityRow | None = None
        self._done_local = datetime.now().astimezone()
        self._touched = False
        self.choice = QComboBox()
        # Its width does not follow its items: a kept step's long sentence ("Garder l'étape
        # déjà prévue : appel, lundi 30 novembre…"), arriving once the account is chosen,
        # squeezed the form's labels ("Prochaine é") and ran past the dialog's edge. The
        # closed combo elides it; the list opens wide enough to read it whole.
        self.choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.choice.setMinimumContentsLength(24)
        self.kind = EnumCombo(KINDS)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("ddd dd/MM/yyyy")
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.day.setAccessibleName(_("Day of the next step"))
        self.time.setAccessibleName(_("Time of the next step"))
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.kind)
        row.addWidget(self.day)
        row.addWidget(self.time)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.choice)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self.setFocusProxy(self.choice)
        self._fill_choices()
        self.choice.currentIndexChanged.connect(self._on_choice_changed)
        for editor in (self.day, self.time):
            editor.editingFinished.connect(self._on_touched)
            editor.dateTimeChanged.connect(lambda _value: self._update_hint())
        self.kind.currentIndexChanged.connect(lambda _index: self._update_hint())
        self._apply_default()

    # -- what the dialog tells it ------------------------------------------------------------

    def set_working_time(self, working: WorkingTime) -> None:
        self._working = working
        if not self._touched:
            self._apply_default()

    def set_done_at(self, done_local: datetime) -> None:
        """The time of what was just done: the default counts the delay from it."""
        self._done_local = done_local
        if not self._touched:
            self._apply_default()

    def set_existing(self, existing: ActivityRow | None) -> None:
        """The account's step already planned (None: none): offered first, to keep or move."""
        if existing is not None and self._existing is not None and existing.id == self._existing.id:
            return
        self._existing = existing
        self._fill_choices()
        self._on_choice_changed()

    def set_kind(self, kind: ActivityKind) -> None:
        self.kind.set_value(kind)

    # -- what the dialog reads ---------------------------------------------------------------

    def mode(self) -> str:
        return str(self.choice.currentData())

    def due_at(self) -> datetime:
        """The day and time shown, as an aware UTC instant (entered in local time)."""
        day, clock = self.day.date(), self.time.time()
        local = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
        return local.astimezone().astimezone(UTC)

    def value(self) -> NextStep | None:
        mode = self.mode()
        if mode == NONE:
            return None
        if mode == KEEP and self._existing is not None:
            return NextStep(ActivityKind(self._existing.kind), None, self._existing.id)
        reuse = self._existing.id if mode == MOVE and self._existing is not None else None
        return NextStep(self.kind.value(), self.due_at(), reuse)

    # -- inside ------------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        self.choice.blockSignals(True)
        self.choice.clear()
        existing = self._existing
        if existing is not None and existing.due_at is not None:
            words = {
                "kind": label(existing.kind).lower(),
                "when": self._fmt.when_in_full(existing.due_at),
            }
            self.choice.addItem(
                _("Keep the step already planned: {kind}, {when}").format(**words), KEEP
            )
            self.choice.addItem(
                _("Move the step already planned ({kind}) to:").format(**words), MOVE
            )
        self.choice.addItem(_("Plan a new step:"), NEW)
        self.choice.addItem(_("No next step"), NONE)
        self.choice.setCurrentIndex(0)
        self.choice.view().setMinimumWidth(self.choice.view().sizeHintForColumn(0) + 24)
        self.choice.setToolTip(self.choice.currentText())
        self.choice.blockSignals(False)

    def _on_choice_changed(self, _index: int = 0) -> None:
        self.choice.setToolTip(self.choice.currentText())  # the whole sentence, when elided
        mode = self.mode()
        editable = mode in (NEW, MOVE)
        for editor in (self.kind, self.day, self.time):
            editor.setEnabled(editable)
        if mode == KEEP and self._existing is not None and self._existing.due_at is not None:
            self._show(self._existing.due_at.astimezone())
            self.kind.set_value(self._existing.kind)
        elif mode == MOVE and self._existing is not None:
            self.kind.set_value(self._existing.kind)
            if not self._touched:
                self._apply_default()
        elif mode == NEW and not self._touched:
            self._apply_default()
        self._update_hint()
        self.sig_changed.emit()

    def _on_touched(self) -> None:
        self._touched = True
        self._update_hint()

    def _apply_default(self) -> None:
        if self.mode() == KEEP:
            return
        self._show(default_next_step(self._done_local, self._working))

    def _show(self, local: datetime) -> None:
        for editor in (self.day, self.time):
            editor.blockSignals(True)
        self.day.setDate(QDate(local.year, local.month, local.day))
        self.time.setTime(QTime(local.hour, local.minute))
        for editor in (self.day, self.time):
            editor.blockSignals(False)
        self._update_hint()

    def _update_hint(self) -> None:
        mode = self.mode()
        if mode == NONE:
            self.hint.setText(_("Nothing will be planned for this account."))
            return
        due = self.due_at()
        words = self._fmt.when_in_full(due)
        local = due.astimezone()
        if mode != KEEP and not self._working.is_working_time(local):
            self.hint.setText(_("{when}: outside your working days and hours.").format(when=words))
        else:
            self.hint.setText(words)
