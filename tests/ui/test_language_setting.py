"""Settings > Language: System, Français or English; applied in a new window on the same data."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from kpidesk import presentation
from kpidesk.services.preferences import chosen_language, preferences_path
from kpidesk.ui.app import install_translators
from kpidesk.ui.desktop import build_pages
from kpidesk.ui.main_window import MainWindow
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


def test_the_real_app_reopens_its_window_in_french_on_the_same_page_and_data(tmp_path):
    """run_app itself: Settings > Language > Français > Apply closes the window and opens a
    new one in French, on Settings, on the same database with the record still there."""
    import os

    from kpidesk.services.workspace import open_workspace
    from tests.ui.test_first_run import drive

    db = tmp_path / "kpidesk.sqlite"
    own = open_workspace(db)
    own.accounts.create({"name": "Garage Moreau"})
    own.close()
    system = dict.fromkeys(("KPIDESK_LANG", "LC_ALL", "LC_MESSAGES"), "")
    seen = drive("language", db, **system, LANGUAGE="en_GB", LANG="en_GB.UTF-8",
                 XDG_CONFIG_HOME=os.environ["XDG_CONFIG_HOME"])  # fmt: skip
    assert [(s["first_page"], s["page"]) for s in seen] == [
        ("Today", "today"),
        ("Aujourd'hui", "settings"),
    ]
    assert [a.name for a in open_workspace(db).accounts.list()] == ["Garage Moreau"]
