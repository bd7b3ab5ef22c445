"""Settings fit at every size, in French (the longer language): each wrapped hint gets the
lines it needs and each field its full height, inside its section, in every section."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from kpidesk.presentation import using
from kpidesk.ui.app import create_application
from kpidesk.ui.desktop import build_pages
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.tasks import TaskRunner

FIELDS = (QAbstractSpinBox, QLineEdit, QComboBox, QAbstractButton)


@pytest.fixture(params=["fr", "en_GB"])
def settings_in(request, qapp, qtbot, workspace, tmp_path):
    create_application()
    with using(request.param):
        window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.show()
        qtbot.waitExposed(window)
        desktop = build_pages(window, workspace, TaskRunner(window, synchronous=True))
        window.show_page("settings")
        yield desktop


def _visible_in(widget: QWidget, kinds) -> list[QWidget]:
    return [w for w in widget.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]


@pytest.mark.parametrize("size", [(900, 700), (1366, 740), (1920, 1000)], ids=str)
def test_every_section_gives_its_hints_and_fields_their_height(qtbot, settings_in, size):
    window, page = settings_in.window, settings_in.settings
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0])
    QApplication.processEvents()
    assert len(page.sections) >= 6
    checked = 0
    for section in page.sections:
        assert section.isVisible()
        for label in _visible_in(section, QLabel):
            if label.wordWrap() and label.text():
                # The lines the text needs at the label's width, not fewer.
                assert label.height() >= label.heightForWidth(label.width()), label.text()
                checked += 1
        for field in _visible_in(section, FIELDS):
            if field.parent() is not None and isinstance(field.parent(), QAbstractSpinBox):
                continue  # a spin box's own buttons and line edit
            assert field.height() >= field.minimumSizeHint().height(), field
            checked += 1
        for widget in _visible_in(section, (QLabel, *FIELDS)):
            left = widget.mapTo(section, QPoint(0, 0)).x()
            assert left >= 0 and left + widget.width() <= section.width(), widget
    assert checked > 30  # the hints and fields of all the sections, not none
