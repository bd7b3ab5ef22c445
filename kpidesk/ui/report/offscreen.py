"""The PDF from a command line: a QGuiApplication on the offscreen platform, no screen needed."""

from __future__ import annotations

import os
from pathlib import Path

from kpidesk.services.report import ReviewReport


def write_review_pdf_offscreen(review: ReviewReport, path: Path) -> int:
    # Set before Qt starts: a terminal over SSH has no display, and the PDF needs none.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from kpidesk.ui.report.pdf import write_review_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    pages = write_review_pdf(review, path)
    del app
    return pages
