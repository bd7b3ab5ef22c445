"""Composition root of the desktop app (placeholder until the desktop shell lands)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


def run_app(db_path: Path, *, demo: bool = False) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("kpidesk")
    window.setCentralWidget(QLabel(f"kpidesk — {db_path}"))
    window.resize(1000, 700)
    window.show()
    return app.exec()
