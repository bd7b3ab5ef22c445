"""The window shell and the background-task helper."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel

from kpidesk.ui.dialogs.shortcuts import ShortcutsDialog
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.tasks import TaskRunner


def test_window_geometry_and_page_are_remembered(qtbot, tmp_path, qapp):
    path = str(tmp_path / "settings.ini")
    first = MainWindow(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(first.width() - 40, first.height() - 30)
    first.close()
    saved = QSettings(path, QSettings.Format.IniFormat).value("window/geometry")
    assert saved == first.saveGeometry()
    second = MainWindow(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.size() == first.size()


def test_f1_opens_the_shortcut_sheet(qtbot, desktop):
    qtbot.keyClick(QApplication.focusWidget() or desktop.window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), ShortcutsDialog))
    sheet = QApplication.activeModalWidget()
    text = " ".join(label.text() for label in sheet.findChildren(QLabel))
    assert "Ctrl+L" in text
    assert "Log an activity" in text
    sheet.close()


def test_a_failed_background_task_is_reported_in_plain_words(qtbot, desktop):
    def broken():
        raise OSError(28, "No space left on device")

    desktop.ctx.tasks.run(broken)  # no failure callback: the window shows it
    assert desktop.window.toast.isVisible()
    assert "No space left on device" in desktop.window.toast.text()
    assert "Traceback" not in desktop.window.toast.text()


def test_tasks_run_off_the_gui_thread_and_report_back_on_it(qtbot, qapp):
    runner = TaskRunner()
    seen = {}

    def work():
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        return 42

    with qtbot.waitSignal(runner.sig_busy_changed, check_params_cb=lambda busy: not busy):
        runner.run(work, lambda result: seen.update(result=result, gui=threading.current_thread()))
    assert seen["worker"] is True
    assert seen["result"] == 42
    assert seen["gui"] is threading.main_thread()


def test_a_newer_task_with_the_same_key_supersedes_the_older_one(qtbot, qapp):
    runner = TaskRunner()
    gate = threading.Event()
    delivered = []

    def slow():
        gate.wait(5)
        return "old"

    runner.run(slow, delivered.append, key="search")
    with qtbot.waitSignal(runner.sig_busy_changed, check_params_cb=lambda busy: not busy):
        runner.run(lambda: "new", delivered.append, key="search")
        gate.set()
    assert delivered == ["new"]


def test_failure_callback_receives_the_exception(qapp):
    runner = TaskRunner(synchronous=True)
    errors = []
    runner.run(lambda: 1 / 0, None, errors.append)
    assert len(errors) == 1
    assert isinstance(errors[0], ZeroDivisionError)
