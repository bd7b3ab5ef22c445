"""A short tour: the quick log (Ctrl+L), the Indicators page, Today; skippable at any step.

Shown once after the first start (``kpidesk.ui.first_run`` remembers it), and again from
Help > Take the tour.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kpidesk.domain.i18n import N_
from kpidesk.presentation import _
from kpidesk.ui.widgets.common import page_title

STEPS = (
    (
        N_("Log in seconds: Ctrl+L"),
        N_(
            "From any page, Ctrl+L opens the quick log: the account, what you did (a call, a "
            "visit, a follow-up), how it went, and Enter. Your indicators follow at once."
        ),
    ),
    (
        N_("Your indicators: Ctrl+2"),
        N_(
            "The Indicators page shows your conversion rate, your pipeline and your activity "
            "for the month, the quarter or the year, against your own objectives. Open a tile "
            "to see how it is computed and the records behind it."
        ),
    ),
    (
        N_("Your day: Ctrl+1"),
        N_(
            "Today lists what is due and overdue, and suggestions drawn from your own history, "
            "such as the follow-ups that raise your conversion rate. F1 shows every shortcut; "
            "this tour stays in Help > Take the tour."
        ),
    ),
)


class TourDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("A short tour of kpidesk"))
        self.setMinimumWidth(460)
        self.step = 0
        self.counter = QLabel()
        self.counter.setObjectName("hint")
        self.title = page_title("")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setMinimumHeight(90)
        self.skip_button = QPushButton(_("S&kip the tour"))
        self.back_button = QPushButton(_("&Back"))
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counter)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.skip_button.clicked.connect(self.reject)
        self.back_button.clicked.connect(lambda: self.show_step(self.step - 1))
        self.next_button.clicked.connect(self._on_next_clicked)
        self.show_step(0)

    def show_step(self, step: int) -> None:
        self.step = max(0, min(step, len(STEPS) - 1))
        title, text = STEPS[self.step]
        self.counter.setText(_("Step {n} of {total}").format(n=self.step + 1, total=len(STEPS)))
        self.title.setText(_(title))
        self.text.setText(_(text))
        self.back_button.setEnabled(self.step > 0)
        last = self.step == len(STEPS) - 1
        self.next_button.setText(_("&Done") if last else _("&Next"))
        self.next_button.setFocus()

    def _on_next_clicked(self) -> None:
        if self.step == len(STEPS) - 1:
            self.accept()
        else:
            self.show_step(self.step + 1)
