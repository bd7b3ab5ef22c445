"""Indicators > Review report (PDF): the button writes the PDF of the period on screen."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt


def test_the_indicators_page_saves_the_review_report(qtbot, seeded, desktop, tmp_path):
    page = desktop.indicators
    desktop.window.show_page("indicators")
    target = tmp_path / "review.pdf"
    page.ask_report_path = lambda: target
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    pages = PdfReader(target).pages
    assert len(pages) == 3
    assert "Review report saved to" in desktop.window.toast.text()
    first = " ".join(pages[0].extract_text().split())
    assert "Garage Moreau" not in first  # the lists are on page 3
    assert "Garage Moreau" in " ".join(pages[2].extract_text().split())  # hot, seeded offer


def test_an_unwritable_place_is_said_in_words(qtbot, seeded, desktop, tmp_path):
    page = desktop.indicators
    page.ask_report_path = lambda: tmp_path / "missing" / "review.pdf"
    qtbot.mouseClick(page.report_button, Qt.MouseButton.LeftButton)
    assert "Could not save" in desktop.window.toast.text()
