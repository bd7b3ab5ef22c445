"""The first start, as a rep meets it: the welcome screen's four ways in, the demo in its own
file and the way back out, the tour shown once. What is saved is read back from the files."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget

from kpidesk.services.demo import create_demo_database
from kpidesk.services.first_run import FirstRunChoice
from kpidesk.services.workspace import open_workspace
from kpidesk.ui.app import DEMO_FILE_NAME, _open_chosen, _Opening
from kpidesk.ui.desktop import build_pages
from kpidesk.ui.first_run import FirstRunFlow
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.tasks import TaskRunner

RECORDS = ("account", "contact", "activity", "offer", "objective")


def counts(path):
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in RECORDS}
    finally:
        conn.close()


def make_flow(desktop, tmp_path, name="flow.ini"):
    settings = QSettings(str(tmp_path / name), QSettings.Format.IniFormat)
    flow = FirstRunFlow(desktop, settings, tmp_path / DEMO_FILE_NAME)
    flow.switches = []
    flow.sig_switch_requested.connect(flow.switches.append)
    return flow


@pytest.fixture
def flow(desktop, tmp_path):
    return make_flow(desktop, tmp_path)


def close_tour(flow):
    if flow.tour is not None:
        flow.tour.reject()


def test_an_empty_database_opens_on_the_welcome_screen(flow, desktop, qtbot):
    flow.start()
    window = desktop.window
    assert window.welcome_shown()
    assert not window._nav.isVisible()  # no empty pages behind a list of them
    # Enter tries the demo; Tab walks the choices.
    assert window.focusWidget() is flow.welcome.demo_button
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.welcome_shown(), "Ctrl+2 does not leave the rep on an empty page"
    assert flow.tour is None  # the tour comes once a way in is chosen


def test_the_demo_is_built_in_its_own_file_and_the_reps_database_keeps_no_record(
    flow, desktop, db_path, tmp_path, qtbot
):
    flow.start()
    shown: list[int] = []
    flow.welcome.progress.valueChanged.connect(shown.append)
    qtbot.mouseClick(flow.welcome.demo_button, Qt.MouseButton.LeftButton)
    demo = tmp_path / DEMO_FILE_NAME
    assert demo.is_file() and demo.parent == db_path.parent
    assert counts(demo)["activity"] > 1000 and counts(demo)["offer"] > 100
    assert counts(db_path) == dict.fromkeys(RECORDS, 0)  # the rep's data: nothing written
    assert shown == sorted(shown) and len(shown) > 10 and shown[-1] == 100
    assert flow.switches == ["demo"]  # the window opens again, on the demo
    assert desktop.ctx.workspace.first_run.state().choice is FirstRunChoice.DEMO


def test_the_next_start_reopens_the_demo_and_back_out_shows_the_welcome_again(db_path, tmp_path):
    demo = tmp_path / DEMO_FILE_NAME
    create_demo_database(demo, 1, 1, date(2026, 6, 15))
    own = open_workspace(db_path)
    own.first_run.remember(FirstRunChoice.DEMO)
    own.close()
    opened = _open_chosen(_Opening(db_path, demo, "auto"), lambda _share: None)
    try:
        assert opened.is_demo and opened.db.path == demo
    finally:
        opened.close()
    opened = _open_chosen(_Opening(db_path, demo, "own"), lambda _share: None)  # back out
    try:
        assert not opened.is_demo and opened.db.path == db_path
        assert opened.first_run.state().wants_welcome and not opened.first_run.state().in_demo
    finally:
        opened.close()
    assert counts(db_path) == dict.fromkeys(RECORDS, 0)


def test_a_real_database_in_the_demos_place_is_never_opened_as_the_demo(db_path, tmp_path):
    impostor = open_workspace(tmp_path / DEMO_FILE_NAME)
    impostor.accounts.create({"name": "Not a demo"})
    impostor.close()
    own = open_workspace(db_path)
    own.first_run.remember(FirstRunChoice.DEMO)
    own.close()
    opened = _open_chosen(_Opening(db_path, tmp_path / DEMO_FILE_NAME, "auto"), lambda _s: None)
    try:
        assert opened.db.path == db_path
    finally:
        opened.close()


def test_the_demo_says_so_and_one_click_goes_back(qapp, qtbot, tmp_path):
    path = tmp_path / "demo.sqlite"
    create_demo_database(path, 1, 1, date(2026, 6, 15))
    workspace = open_workspace(path)
    try:
        window = MainWindow(QSettings(str(tmp_path / "w.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.show()
        desktop = build_pages(window, workspace, TaskRunner(window, synchronous=True))
        flow = make_flow(desktop, tmp_path)
        flow.start()
        close_tour(flow)
        assert "demo" in window.windowTitle()
        banner = window.findChild(QWidget, "demoBanner")
        assert banner is not None and banner.isVisible()
        assert not window.welcome_shown()
        qtbot.mouseClick(flow.back_button, Qt.MouseButton.LeftButton)
        assert flow.switches == ["own"]
        desktop.sync.shutdown()
    finally:
        workspace.close()


def test_start_empty_saves_name_currency_and_objectives(flow, desktop, workspace, qtbot):
    flow.start()
    qtbot.mouseClick(flow.welcome.empty_button, Qt.MouseButton.LeftButton)
    form = flow.welcome.start_form
    assert desktop.window.focusWidget() is form.name
    qtbot.keyClicks(form.name, "Claire Martin")
    form.currency.setCurrentText("CHF")
    form.targets["revenue"].setValue(12_000)  # typed in francs
    form.targets["conversion"].setValue(40)  # typed in percent
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    assert workspace.profile().name == "Claire Martin"
    assert workspace.kpis.settings().currency == "CHF"
    targets = {(o.kpi_key, o.period_kind.value, o.target) for o in workspace.objectives.list()}
    assert targets == {("revenue", "month", 1_200_000), ("conversion", "month", 0.4)}
    window = desktop.window
    assert not window.welcome_shown() and window.current_page_key() == "today"
    assert flow.tour is not None and flow.tour.isVisible()  # then the tour, once


def test_start_empty_with_no_name_says_why_and_saves_nothing(flow, workspace, db_path, qtbot):
    flow.start()
    flow.welcome.show_start_form()
    form = flow.welcome.start_form
    form.targets["visits"].setValue(30)
    qtbot.mouseClick(form.start_button, Qt.MouseButton.LeftButton)
    assert form.errors.text_for("name")
    assert counts(db_path)["objective"] == 0
    assert workspace.first_run.state().wants_welcome
    qtbot.mouseClick(form.back_button, Qt.MouseButton.LeftButton)
    assert flow.welcome.stack.currentIndex() == 0  # back to the choices


def test_import_opens_the_wizard(flow, desktop, workspace, qtbot):
    flow.start()
    qtbot.mouseClick(flow.welcome.import_button, Qt.MouseButton.LeftButton)
    assert desktop.import_wizard is not None and desktop.import_wizard.isVisible()
    desktop.import_wizard.reject()
    assert not desktop.window.welcome_shown()
    assert workspace.first_run.state().choice is FirstRunChoice.IMPORT


def test_team_server_opens_the_sign_in_in_settings(flow, desktop, workspace, qtbot):
    flow.start()
    qtbot.mouseClick(flow.welcome.server_button, Qt.MouseButton.LeftButton)
    close_tour(flow)
    assert desktop.window.current_page_key() == "settings"
    assert desktop.window.focusWidget() is desktop.settings.server.form.server
    assert workspace.first_run.state().choice is FirstRunChoice.SERVER


def test_the_tour_is_shown_once_and_again_from_help(desktop, workspace, tmp_path, qtbot):
    workspace.accounts.create({"name": "Garage Moreau"})  # a rep with data: no welcome
    flow = make_flow(desktop, tmp_path)
    flow.start()
    tour = flow.tour
    assert tour is not None and tour.isVisible() and not desktop.window.welcome_shown()
    steps = []
    while tour.isVisible():
        steps.append(tour.title.text() + " " + tour.text.text())
        qtbot.mouseClick(tour.next_button, Qt.MouseButton.LeftButton)
    assert steps[0].startswith("Log in seconds: Ctrl+L") and len(steps) == 3
    assert "Indicators page" in steps[1]
    again = make_flow(desktop, tmp_path)  # the next start, same computer
    again.start()
    assert again.tour is None
    desktop.window.tour_action.trigger()  # Help > Take the tour
    assert again.tour is not None and again.tour.isVisible()
    qtbot.mouseClick(again.tour.skip_button, Qt.MouseButton.LeftButton)
    assert not again.tour or not again.tour.isVisible()


def drive(scenario, db, **env):
    """The real run_app in a child process (see tests/ui/app_driver.py): what it showed."""
    import json
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui.app_driver", scenario, str(db)],
        capture_output=True, text=True, timeout=150, env={**os.environ, **env},
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_real_app_goes_into_the_demo_and_back_out(tmp_path):
    """run_app itself, on an empty database: welcome screen, the demo (built beside it, a new
    window titled demo data), Back to my data (a new window, the welcome screen again)."""
    db = tmp_path / "kpidesk.sqlite"
    seen = drive("demo", db)
    assert [(s["welcome"], "demo" in s["title"]) for s in seen] == [
        (True, False),
        (False, True),
        (True, False),
    ]
    assert counts(db) == dict.fromkeys(RECORDS, 0)
    assert counts(tmp_path / DEMO_FILE_NAME)["activity"] > 1000
