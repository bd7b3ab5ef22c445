"""Settings > Language: System, Français or English; applied in a new window on the same data."""

from __future__ import annotations

import json
import sys

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog

from kpidesk import presentation
from kpidesk.services.preferences import chosen_language, preferences_path
from kpidesk.ui.app import install_translators
from kpidesk.ui.desktop import build_pages
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.pages.language_box import LanguageBox
from kpidesk.ui.tasks import TaskRunner


@pytest.fixture
def system_language(monkeypatch):
    """The language left to the preference (KPIDESK_LANG off), English again afterwards."""
    monkeypatch.delenv("KPIDESK_LANG")
    monkeypatch.setenv("LANGUAGE", "en_GB")
    yield
    monkeypatch.setenv("KPIDESK_LANG", "en_GB")
    install_translators(QApplication.instance())
    assert presentation.active().code == "en"


def test_french_is_applied_in_a_new_window_and_the_work_is_kept(
    system_language, desktop, workspace, qtbot, tmp_path
):
    workspace.accounts.create({"name": "Garage Moreau"})
    box = desktop.language
    assert box.selected() is None and not box.apply_button.isEnabled()  # System by default
    chosen = []
    box.sig_language_chosen.connect(lambda: chosen.append(True))
    box.choice.setCurrentIndex(box.choice.findData("fr_FR"))
    qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert chosen == [True]  # run_app closes this window and opens the next one
    assert json.loads(preferences_path().read_text()) == {"language": "fr_FR"}
    # What run_app does then: the translators again, a new window on the same database.
    install_translators(QApplication.instance())
    window = MainWindow(QSettings(str(tmp_path / "next.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    again = build_pages(window, workspace, TaskRunner(window, synchronous=True))
    try:
        assert window._nav.item(0).text() == "Aujourd'hui"
        assert again.language.title() == "Langue"
        assert again.language.selected() == "fr_FR"
        assert [a.name for a in again.directory.snapshot.accounts] == ["Garage Moreau"]
    finally:
        again.sync.shutdown()


def test_back_to_the_system_language(system_language, desktop, qtbot):
    box = desktop.language
    box.choice.setCurrentIndex(box.choice.findData("en_GB"))
    qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert chosen_language() == "en_GB"
    chosen = []
    box.sig_language_chosen.connect(lambda: chosen.append(True))
    box.choice.setCurrentIndex(0)
    qtbot.mouseClick(box.apply_button, Qt.MouseButton.LeftButton)
    assert chosen_language() is None
    assert chosen == []  # the system's language is English here: the window stays as it is


def test_the_cli_speaks_the_chosen_language(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "KPIDESK_LANG"}
    env["LANGUAGE"] = "en_GB"
    config = tmp_path / "config"
    env["XDG_CONFIG_HOME"] = str(config)
    (config / "kpidesk").mkdir(parents=True)
    (config / "kpidesk" / "preferences.json").write_text('{"language": "fr_FR"}')
    proc = subprocess.run(
        [sys.executable, "-m", "kpidesk.cli", "kpi", "--db", str(tmp_path / "none.sqlite")],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "aucune base" in proc.stderr.lower() or "pas de base" in proc.stderr.lower(), proc.stderr


def test_the_real_app_reopens_its_window_in_french_on_the_same_page_and_data(
    system_language, qapp, tmp_path, monkeypatch
):
    """run_app itself: Settings > Language > Français > Apply closes the window and opens a
    new one in French, on Settings, on the same database with the record still there."""
    from PySide6.QtCore import QCoreApplication, QTimer

    from kpidesk.services.workspace import open_workspace
    from kpidesk.ui.app import run_app

    # The window's QSettings() under a name of its own, and run_app's crash hook undone after.
    organization = QCoreApplication.organizationName()
    QCoreApplication.setOrganizationName("kpidesk-test")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    db = tmp_path / "kpidesk.sqlite"
    own = open_workspace(db)
    own.accounts.create({"name": "Garage Moreau"})
    own.close()
    seen: list[tuple[str, str | None, list[str]]] = []
    deadline = [200]  # polls of 100 ms: 20 s at most

    def windows() -> list[MainWindow]:
        return [w for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()]  # fmt: skip

    def poll() -> None:
        deadline[0] -= 1
        if deadline[0] < 0:
            QApplication.quit()
            return
        shown = [w for w in windows() if w._nav.count()]
        if not shown:
            QTimer.singleShot(100, poll)
            return
        window = shown[0]
        tour = window.findChild(QDialog)
        if tour is not None and tour.isVisible():
            tour.reject()
        nav = [window._nav.item(n).text() for n in range(window._nav.count())]
        seen.append((nav[0], window.current_page_key(), nav))
        if len(seen) == 1:
            window.show_page("settings")
            box = window.findChild(LanguageBox)
            box.choice.setCurrentIndex(box.choice.findData("fr_FR"))
            box.apply_button.click()  # the window closes; the next one is polled again
            QTimer.singleShot(300, poll)
        else:
            QApplication.quit()

    QTimer.singleShot(100, poll)
    try:
        run_app(db)
    finally:
        QCoreApplication.setOrganizationName(organization)
    assert len(seen) == 2, seen
    assert seen[0][0] == "Today"
    assert seen[1][0] == "Aujourd'hui" and seen[1][1] == "settings"
    check = open_workspace(db)
    try:
        assert [a.name for a in check.accounts.list()] == ["Garage Moreau"]
    finally:
        check.close()
