"""Guards against a broken Qt binding release.

PySide6 6.12.0 under Python 3.11 decrements None's reference count on every call of a method
returning void; after a few thousand calls the interpreter aborts ("deallocating None"). The
app makes such calls all day, so the project excludes that release; this test fails on any
release with the same bug.
"""

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem
from PySide6.QtWidgets import QLabel


def test_void_calls_keep_references_to_none(qapp):
    label = QLabel()
    item = QStandardItem("x")
    before = sys.getrefcount(None)
    for _ in range(500):
        label.setText("a")
        item.setData("b", Qt.ItemDataRole.UserRole)
    assert abs(sys.getrefcount(None) - before) < 50
