"""Settings > About: the version, and "Copy diagnostics" for support (counts, never content)."""

from __future__ import annotations

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QApplication, QGroupBox, QHBoxLayout, QLabel, QPushButton

from kpidesk import __version__
from kpidesk.presentation import _
from kpidesk.services.diagnostics import diagnostics, diagnostics_text
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words


class AboutBox(QGroupBox):
    def __init__(self, ctx: UiContext) -> None:
        super().__init__(_("About"))
        self._ctx = ctx
        self.copy_button = QPushButton(_("Copy diagnostics"))
        self.copy_button.setToolTip(
            _("Version, system, database size and record counts for support: no names, "
                    "no values.")
        )  # fmt: skip
        self.copy_button.clicked.connect(self._on_copy_clicked)
        layout = QHBoxLayout(self)
        layout.addWidget(QLabel(f"kpidesk {__version__}"))
        layout.addStretch(1)
        layout.addWidget(self.copy_button)

    def _on_copy_clicked(self) -> None:
        qt = {"qt": qVersion(), "pyside6": PySide6.__version__}
        db = self._ctx.workspace.db

        def copied(data: dict) -> None:
            QApplication.clipboard().setText(diagnostics_text(data))
            self._ctx.notifier.notify(_("Diagnostics copied: paste them in your message."))

        self._ctx.tasks.run(
            lambda: diagnostics(db, qt),
            copied,
            lambda error: self._ctx.notifier.error(plain_words(error)),
        )
