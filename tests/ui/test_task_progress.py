"""The background helper's progress: reports from the worker reach the GUI thread, in order,
before the result, and the GUI thread is never the one doing the work."""

from __future__ import annotations

import threading

from kpidesk.ui.tasks import TaskRunner


def test_progress_arrives_on_the_gui_thread_in_order_then_the_result(qapp, qtbot):
    runner = TaskRunner()
    gui = threading.get_ident()
    heard: list[tuple[float, int]] = []
    done: list[tuple[str, int]] = []

    def work(report):
        for n in range(1, 6):
            report(n / 5)
        return "built", threading.get_ident()

    runner.run_reporting(
        work, lambda share: heard.append((share, threading.get_ident())), done.append
    )
    qtbot.waitUntil(lambda: bool(done))
    assert [share for share, _thread in heard] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert {thread for _share, thread in heard} == {gui}
    result, worker = done[0][0], done[0][1]
    assert result == "built" and worker != gui
    runner.wait()


def test_a_failing_task_reports_its_failure_and_no_late_progress(qapp, qtbot):
    runner = TaskRunner(synchronous=True)
    heard: list[float] = []
    failures: list[BaseException] = []

    def work(report):
        report(0.5)
        raise OSError("disk full")

    runner.run_reporting(work, heard.append, None, failures.append)
    assert heard == [0.5] and isinstance(failures[0], OSError)
