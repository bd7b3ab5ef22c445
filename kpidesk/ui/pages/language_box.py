"""Settings > Language: follow the system, or choose Français or English.

The choice is this computer's (``kpidesk.services.preferences``), read by the app and the CLI.
Applying it opens the window again in the new language, on the same page and the same data:
every record is saved as it is entered, so nothing the rep did is lost (README, "Language").
"""

from __future__ import annotations

import os

from PySide6.QtCore import QLocale, Signal
from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kpidesk import presentation
from kpidesk.presentation import _
from kpidesk.presentation.translation import ENV_OVERRIDE
from kpidesk.services import preferences
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words

# Each language named in itself, as every program's language list does: a rep who cannot read
# the current one still finds theirs.
LANGUAGE_NAMES = {"fr_FR": "Français", "en_GB": "English"}


class LanguageBox(QGroupBox):
    """Signals:
    sig_language_chosen: another language was chosen: the window opens again in it.
    """

    sig_language_chosen = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(_("Language"))
        self._ctx = ctx
        self.choice = QComboBox()
        self.choice.addItem(_("System language"), None)
        for tag in preferences.LANGUAGES:
            self.choice.addItem(LANGUAGE_NAMES[tag], tag)
        self.choice.setAccessibleName(_("Language"))
        self.apply_button = QPushButton(_("&Apply"))
        self.apply_button.setEnabled(False)
        hint = QLabel(
            _(
                "kpidesk follows your system's language unless you choose one here. Applying "
                "opens the window again in that language, on this page: nothing you entered "
                "is lost."
            )
        )
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.forced = QLabel(
            _("{variable} is set for this session: it decides the language.").format(
                variable=ENV_OVERRIDE
            )
        )
        self.forced.setObjectName("hint")
        row = QHBoxLayout()
        row.addWidget(self.choice)
        row.addWidget(self.apply_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.forced)
        # Only once it has a parent: a parentless label shown would be a window of its own.
        self.forced.setVisible(bool(os.environ.get(ENV_OVERRIDE)))
        self._stored: str | None = preferences.chosen_language()
        self._select(self._stored)
        self.choice.currentIndexChanged.connect(self._on_choice_changed)
        self.apply_button.clicked.connect(self.apply)

    def _select(self, tag: str | None) -> None:
        self.choice.setCurrentIndex(max(0, self.choice.findData(tag)))

    def selected(self) -> str | None:
        return self.choice.currentData()

    def _on_choice_changed(self, _index: int) -> None:
        self.apply_button.setEnabled(self.selected() != self._stored)

    def apply(self) -> None:
        tag = self.selected()

        def saved(_none: None) -> None:
            self._stored = tag
            self.apply_button.setEnabled(False)
            system = QLocale.system().name()
            wanted = presentation.load_language(
                presentation.system_language_tag(fallback=system, chosen=tag)
            )
            if wanted.locale != presentation.active().locale:
                self.sig_language_chosen.emit()
            else:  # already the language in use (the system's is the one chosen)
                self._ctx.notifier.notify(_("Language saved."))

        def failed(error: BaseException) -> None:
            self._ctx.notifier.error(plain_words(error))

        self._ctx.tasks.run(lambda: preferences.choose_language(tag), saved, failed)
