"""Modules imported after Qt's are no longer read whole by PySide (its ``__feature__`` check
looked for the text "PySide6" in each: about 450 files on each start, kept in ``linecache``)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# A module of its own, imported after kpidesk's UI package: was its source read?
_PROBE = textwrap.dedent(
    """
    import linecache, sys
    sys.path.insert(0, sys.argv[1])
    {before}
    import probe_module
    print(probe_module.__file__ in linecache.cache)
    """
)


def _read_whole(tmp_path, before: str) -> bool:
    (tmp_path / "probe_module.py").write_text("ANSWER = 42\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", _PROBE.format(before=before), str(tmp_path)],
                         capture_output=True, text=True, timeout=60, check=True)  # fmt: skip
    return out.stdout.split() == ["True"]


def test_a_module_imported_after_kpidesk_s_ui_is_not_read(tmp_path):
    assert not _read_whole(tmp_path, "import kpidesk.ui.theme")  # Qt, through kpidesk.ui


def test_pyside_alone_still_reads_it(tmp_path):
    """What the replacement saves. Once a PySide no longer reads imported modules, this fails:
    kpidesk.ui.pyside_imports can go then."""
    assert _read_whole(tmp_path, "import PySide6.QtCore")


def test_the_ui_s_own_modules_count_as_using_pyside():
    from kpidesk import domain
    from kpidesk.ui import pyside_imports

    assert pyside_imports._uses_pyside(pyside_imports)
    assert not pyside_imports._uses_pyside(domain)
