"""Quick log → Save on a full disk: the dialog stays open with the reason, nothing is saved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kpidesk.store.errors import DiskFullError
from tests.full_disk import cap_at_current_size
from tests.ui.conftest import outbox_count
from tests.ui.test_quick_log import _open_quick_log, _type


def _fill_up(workspace) -> None:
    cap_at_current_size(workspace.db)
    with pytest.raises(DiskFullError):
        for n in range(500):
            workspace.accounts.create({"name": f"Filler {n}", "notes": "n" * 900})


def test_quick_log_on_a_full_disk_says_so_and_keeps_the_dialog(qtbot, seeded, desktop, workspace):
    _fill_up(workspace)
    before = outbox_count(workspace)
    dialog = _open_quick_log(qtbot, desktop)
    dialog.account.setFocus()
    _type(qtbot, "Nouveau client du salon")  # a new prospect, an activity and a follow-up
    popup = dialog.account.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Return)  # "+ New prospect …", chosen explicitly
    dialog.notes.setText("Rappeler lundi")
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return)
    assert dialog.isVisible()  # the typing is not lost
    assert dialog.notes.text() == "Rappeler lundi"
    assert "The disk is full" in dialog.errors.general.text()
    assert "nothing was saved" in dialog.errors.general.text()
    assert outbox_count(workspace) == before
