"""Settings > Backups, and the damaged-database dialog."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QMessageBox

from kpidesk.services.backups import latest_good_backup, list_backups
from kpidesk.store.database import open_database
from kpidesk.store.errors import DamagedDatabaseError
from kpidesk.ui.dialogs.damaged import DamagedDatabaseDialog
from tests.damage import zero_bytes


def test_back_up_now_makes_a_backup_and_lists_it(qtbot, desktop, workspace):
    box = desktop.settings.backups
    desktop.window.show_page("settings")
    assert "No backup yet" in box.listing.text()
    box.back_up_button.click()
    made = list_backups(workspace.db.path)
    assert len(made) == 1 and made[0].kind == "manual"
    assert made[0].path.name in box.listing.text()


def test_restore_asks_and_hands_a_checked_backup_on(qtbot, desktop, workspace, monkeypatch):
    box = desktop.settings.backups
    box.back_up_button.click()
    backup = list_backups(workspace.db.path)[0].path
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(box.sig_restore_requested) as asked:
        box.ask_to_restore(backup)
    assert asked.args == [backup]


def test_restore_refuses_a_wrong_file_in_plain_words(qtbot, desktop, tmp_path, monkeypatch):
    box = desktop.settings.backups
    wrong = tmp_path / "notes.sqlite"
    wrong.write_text("my notes\n")
    shown = []
    monkeypatch.setattr(desktop.window.toast, "error", shown.append)
    with qtbot.assertNotEmitted(box.sig_restore_requested):
        box.ask_to_restore(wrong)
    assert shown and str(wrong) in shown[0] and "not a SQLite file" in shown[0]


def _damaged_error(db_path):
    zero_bytes(db_path)
    try:
        open_database(db_path)
    except DamagedDatabaseError as exc:
        return exc
    raise AssertionError("a 0-byte file opened")


def test_the_damage_dialog_names_the_file_and_offers_the_latest_good_backup(qtbot, db_path):
    db = open_database(db_path)
    db.close()
    from kpidesk.services.backups import back_up

    back_up(db_path)
    error = _damaged_error(db_path)
    latest = latest_good_backup(db_path)
    dialog = DamagedDatabaseDialog(error, latest)
    qtbot.addWidget(dialog)
    assert str(db_path) in dialog.text() and "damaged" in dialog.text()
    assert "0 bytes" in dialog.text()
    assert dialog.restore_button is not None
    assert latest.path.name in dialog.informativeText()


def test_without_a_backup_the_dialog_says_so(qtbot, db_path):
    db_path.write_bytes(b"")
    dialog = DamagedDatabaseDialog(_damaged_error(db_path), None)
    qtbot.addWidget(dialog)
    assert dialog.restore_button is None
    assert "No backup" in dialog.informativeText()
    shutil.rmtree(db_path.parent / "backups", ignore_errors=True)


def test_copy_diagnostics_puts_counts_not_names_on_the_clipboard(qtbot, desktop, workspace):
    from PySide6.QtWidgets import QApplication

    workspace.accounts.create({"name": "Garage Moreau"})
    desktop.settings.about.copy_button.click()
    text = QApplication.clipboard().text()
    assert "account_records: 1" in text and "qt: " in text and "schema: " in text
    assert "Moreau" not in text
