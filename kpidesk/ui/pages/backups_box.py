"""Settings > Backups: the latest copies, "Back up now" and "Restore…".

Listing and copying run on the task runner; restoring replaces the open database, so the box
only asks (which file, are you sure) and hands the path to the composition root, which closes
the workspace, restores and opens it again (``sig_restore_requested``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from kpidesk.domain.i18n import N_
from kpidesk.presentation import _
from kpidesk.services import backups
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words

SHOWN = 5


# The kinds of backup, as the list names them (the file names keep the English words).
BACKUP_KINDS = {
    "daily": N_("daily"),
    "weekly": N_("weekly"),
    "manual": N_("made by you"),
    "replaced": N_("replaced by a restore"),
}


class BackupsBox(QGroupBox):
    """Signals:
    sig_restore_requested(Path): the rep chose a checked backup and confirmed replacing.
    """

    sig_restore_requested = Signal(Path)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(_("Backups"))
        self._ctx = ctx
        self._db_path = Path(ctx.workspace.db.path)
        self.listing = QLabel()
        self.listing.setWordWrap(True)
        self.back_up_button = QPushButton(_("Back up now"))
        self.restore_button = QPushButton(_("Restore…"))
        self.back_up_button.clicked.connect(self._on_back_up_clicked)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.listing)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        self._ctx.tasks.run(
            lambda: backups.list_backups(self._db_path)[:SHOWN], self._show, key="backups"
        )

    def _show(self, found: list[backups.Backup]) -> None:
        if not found:
            self.listing.setText(_("No backup yet: one is taken every day kpidesk runs."))
            return
        fmt = self._ctx.fmt
        lines = [
            f"{fmt.datetime(b.taken_at)} — {_(BACKUP_KINDS.get(b.kind, b.kind))} — {b.path.name}"
            for b in found
        ]
        self.listing.setText(_("Latest backups (in {folder}):").format(
            folder=found[0].path.parent) + "\n" + "\n".join(lines))  # fmt: skip

    def _on_back_up_clicked(self) -> None:
        self.back_up_button.setEnabled(False)

        def done(path: Path) -> None:
            self.back_up_button.setEnabled(True)
            self._ctx.notifier.notify(_("Backed up to {path}").format(path=path))
            self.refresh()

        def failed(error: BaseException) -> None:
            self.back_up_button.setEnabled(True)
            self._ctx.notifier.error(plain_words(error))

        self._ctx.tasks.run(lambda: backups.back_up(self._db_path), done, failed)

    def _on_restore_clicked(self) -> None:
        start = str(self._db_path.parent / "backups")
        chosen, _filter = QFileDialog.getOpenFileName(
            self, _("Restore a backup"), start, _("kpidesk backups (*.sqlite)")
        )
        if chosen:
            self.ask_to_restore(Path(chosen))

    def ask_to_restore(self, path: Path) -> None:
        """Check the file in the background, then confirm, then hand it on."""

        def checked(_result: object) -> None:
            if confirm_restore(self, path):
                self.sig_restore_requested.emit(path)

        self._ctx.tasks.run(
            lambda: backups.check_backup(path),
            checked,
            lambda error: self._ctx.notifier.error(plain_words(error)),
        )


def confirm_restore(parent: QGroupBox | None, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        _("Restore a backup"),
        _(
            "Replace your data with the backup {name}? Changes made since it was taken are "
            "kept on the team server if they were synced; the current database is kept as a "
            "copy in the backups folder. You will sign in to the team server again."
        ).format(name=path.name),
    )
    return answer == QMessageBox.StandardButton.Yes
