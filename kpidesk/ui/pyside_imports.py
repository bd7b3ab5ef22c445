"""Imports after Qt's, at their plain cost.

PySide6 reads the whole source file of every module imported after it: its ``__feature__``
support (``from __feature__ import snake_case``) looks for the text "PySide6" in each, with
``inspect.getsource``, to know which modules may switch a feature on. kpidesk imports SQLAlchemy,
pydantic and its own services after Qt: about 450 modules read on each start (60 to 90 ms of
the time to the pages, measured), and their text then kept in ``linecache`` for good.

kpidesk never switches a PySide feature on, so the answer only has to be cheap and plausible:
a module of Qt, pyqtgraph or kpidesk's UI uses PySide. A PySide without that check (a later
version) is left as it is.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - what installs the check, before it is replaced

QT_USERS = ("PySide6", "shiboken6", "pyqtgraph", "kpidesk.ui")


def _uses_pyside(module: ModuleType) -> bool:
    return getattr(module, "__name__", "").startswith(QT_USERS)


def skip_source_reading() -> bool:
    """Replace PySide's check by the name's; whether there was one to replace."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_pyside
    return True
