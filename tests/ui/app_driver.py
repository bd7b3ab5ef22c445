"""Drives the real ``run_app`` in a child process, for the tests that need its window loop
(closing a window and opening the next one). A child, because once QApplication.exec() has
returned, Qt lets no window of that process become active again: the GUI tests after it would
fail. Usage: python -m tests.ui.app_driver SCENARIO DATABASE; prints what it saw as JSON.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

POLL_MS = 100
MAX_POLLS = 900  # 90 s: the demo is built on a busy machine


def main(scenario: str, db: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

    from kpidesk.ui.app import create_application, run_app
    from kpidesk.ui.main_window import MainWindow
    from kpidesk.ui.pages.language_box import LanguageBox
    from kpidesk.ui.pages.welcome import WelcomePage

    seen: list[dict[str, object]] = []
    polls = [MAX_POLLS]

    def current() -> MainWindow | None:
        shown = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, MainWindow) and w.isVisible() and w._nav.count()]  # fmt: skip
        return shown[0] if shown else None

    def state_of(window: MainWindow) -> dict[str, object]:
        nav = [window._nav.item(n).text() for n in range(window._nav.count())]
        return {"title": window.windowTitle(), "welcome": window.welcome_shown(),
                "page": window.current_page_key(), "first_page": nav[0]}  # fmt: skip

    def act(window: MainWindow) -> bool:
        """The next step of the scenario; False once it is over."""
        n = len(seen)
        if scenario == "demo":  # welcome, into the demo, back out, welcome again
            if n == 1:
                window.findChild(WelcomePage).demo_button.click()
            elif n == 2:
                window.findChild(QWidget, "demoBanner").findChild(QPushButton).click()
            return n < 3
        if scenario == "language":  # Settings > Language > Français > Apply
            if n == 1:
                window.show_page("settings")
                box = window.findChild(LanguageBox)
                box.choice.setCurrentIndex(box.choice.findData("fr_FR"))
                box.apply_button.click()
            return n < 2
        raise SystemExit(f"unknown scenario {scenario}")

    def poll() -> None:
        polls[0] -= 1
        window = current()
        if polls[0] < 0:
            QApplication.quit()
            return
        if window is not None:
            tour = window.findChild(QDialog)
            if tour is not None and tour.isVisible():
                tour.reject()
            state = state_of(window)
            if not seen or {**seen[-1], "page": None} != {**state, "page": None}:
                seen.append(state)
                if not act(window):
                    QApplication.quit()
                    return
        QTimer.singleShot(POLL_MS, poll)

    create_application()  # run_app takes this one: the timer needs it first
    QTimer.singleShot(POLL_MS, poll)
    run_app(db)
    print(json.dumps(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2])))
