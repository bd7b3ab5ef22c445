"""The welcome screen: what a rep whose database holds nothing sees instead of empty pages.

Four ways in, each one key away (Alt+letter, or Tab and Enter): try kpidesk on demo data, start
with my own data, import my Excel file, connect to my team server. The page only says what was
chosen (its signals); ``kpidesk.ui.first_run`` does it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.presentation import _
from kpidesk.ui.context import UiContext
from kpidesk.ui.pages.start_empty import StartEmptyForm
from kpidesk.ui.widgets.common import page_title

VIEW_WIDTH = 620  # a line of about 80 characters: read at a glance


def _choice(layout: QVBoxLayout, title: str, description: str) -> QPushButton:
    """One way in: a button (its mnemonic, Tab and Enter reach it) and what it does, under it.
    (A QCommandLinkButton would say both, but its layout height ignores a description that
    wraps, and French ones wrap: they were cut.)"""
    button = QPushButton(title)
    button.setMinimumHeight(34)
    text = QLabel(description)
    text.setObjectName("hint")
    text.setWordWrap(True)
    text.setContentsMargins(12, 0, 0, 10)
    button.setAccessibleDescription(description)
    layout.addSpacing(6)
    layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
    layout.addWidget(text)
    return button


class WelcomePage(QWidget):
    """Signals:
    sig_demo_requested: try kpidesk on demo data (built in its own file).
    sig_started_empty: the rep's name, currency and objectives were saved (the Changes).
    sig_import_requested: bring the rep's spreadsheet in (the import wizard).
    sig_server_requested: connect to the team server (Settings).
    """

    sig_demo_requested = Signal()
    sig_started_empty = Signal(object)
    sig_import_requested = Signal()
    sig_server_requested = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self._fmt = ctx.fmt
        self.setObjectName("welcomePage")
        self.stack = QStackedWidget()
        self.choices = self._choices()
        self.start_form = StartEmptyForm(ctx)
        self.building = self._building()
        self.start_form.setFixedWidth(VIEW_WIDTH)
        for view in (self.choices, self.start_form, self.building):
            holder = QWidget()  # centred, a readable width on a wide screen
            holder_layout = QVBoxLayout(holder)
            # Centred by stretches, not by an alignment: an aligned item is given its size
            # hint, and its wrapped texts (taller for their width) would be cut.
            row = QHBoxLayout()
            row.addStretch(1)
            row.addWidget(view)
            row.addStretch(1)
            holder_layout.addStretch(1)
            holder_layout.addLayout(row)
            holder_layout.addStretch(2)
            self.stack.addWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.stack)
        self.start_form.sig_back_requested.connect(self.show_choices)
        self.start_form.sig_started.connect(self.sig_started_empty.emit)

    def _choices(self) -> QWidget:
        view = QWidget()
        view.setFixedWidth(VIEW_WIDTH)
        intro = QLabel(
            _(
                "Your own sales indicators, offline first: log your calls, visits, follow-ups "
                "and offers, and see where you stand. How would you like to begin?"
            )
        )
        intro.setWordWrap(True)
        layout = QVBoxLayout(view)
        layout.setSpacing(6)
        layout.addWidget(page_title(_("Welcome to kpidesk")))
        layout.addWidget(intro)
        self.demo_button = _choice(
            layout,
            _("&Try kpidesk on demo data"),
            _(
                "Two years of a made-up rep's calls, visits and offers, in a separate file: "
                "nothing of yours is touched and nothing is synced. One click brings you back."
            ),
        )
        self.empty_button = _choice(
            layout,
            _("&Start with my own data"),
            _("Your name, your currency and your first objectives; then log a call with Ctrl+L."),
        )
        self.import_button = _choice(
            layout,
            _("&Import my Excel file"),
            _(
                "Your accounts, contacts and offers from an Excel or CSV file (Ctrl+I): kpidesk "
                "shows what it will create before it does."
            ),
        )
        self.server_button = _choice(
            layout,
            _("&Connect to my team server"),
            _("Sign in with the address and account your manager gave you, then sync."),
        )
        layout.addStretch(1)
        self.demo_button.clicked.connect(self.sig_demo_requested.emit)
        self.empty_button.clicked.connect(self.show_start_form)
        self.import_button.clicked.connect(self.sig_import_requested.emit)
        self.server_button.clicked.connect(self.sig_server_requested.emit)
        return view

    def _building(self) -> QWidget:
        view = QWidget()
        view.setFixedWidth(VIEW_WIDTH)
        self.building_text = QLabel(
            _(
                "Building the demo data: two years of a made-up rep's history. Your own "
                "database is not touched."
            )
        )
        self.building_text.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        layout = QVBoxLayout(view)
        layout.addWidget(page_title(_("Demo data")))
        layout.addWidget(self.building_text)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        return view

    def show_choices(self) -> None:
        self.stack.setCurrentIndex(0)
        self.demo_button.setFocus()

    def show_start_form(self) -> None:
        self.stack.setCurrentIndex(1)
        self.start_form.name.setFocus()

    def show_building(self) -> None:
        self.progress.setValue(0)
        self.stack.setCurrentIndex(2)

    def set_progress(self, share: float) -> None:
        self.progress.setValue(round(100 * share))
        self.progress.setFormat(self._fmt.percent(share))  # "31 %" in French, not Qt's "31%"
