"""What the rep sees when their database is damaged: the file, the problem, and a way back."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from kpidesk.presentation import _
from kpidesk.services.backups import Backup
from kpidesk.store.errors import DamagedDatabaseError
from kpidesk.ui.errors import plain_words


class DamagedDatabaseDialog(QMessageBox):
    """Names the damage; offers the latest good backup when there is one (``wants_restore``)."""

    def __init__(
        self, error: DamagedDatabaseError, latest: Backup | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(_("Your data file is damaged"))
        self.setText(plain_words(error))
        self.latest = latest
        self.restore_button = None
        if latest is not None:
            when = f"{latest.taken_at.astimezone():%Y-%m-%d %H:%M}"
            self.setInformativeText(
                _(
                    "The latest good backup is from {when} ({name}). Restoring it keeps the "
                    "damaged file as a copy in the backups folder; changes you synced since are "
                    "on the team server and come back at the next sync."
                ).format(when=when, name=latest.path.name)
            )
            self.restore_button = self.addButton(
                _("Restore this backup"), QMessageBox.ButtonRole.AcceptRole
            )
        else:
            self.setInformativeText(
                _("No backup of it was found. Ask your support for help; keep the file.")
            )
        self.quit_button = self.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)

    def wants_restore(self) -> bool:
        return self.restore_button is not None and self.clickedButton() is self.restore_button
