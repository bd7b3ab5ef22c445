"""The README's keyboard table is true key for key: it names the same keys as the in-app
shortcut sheet, and every key with a modifier (or F1) is a shortcut the window really has."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence, QShortcut

from kpidesk.ui.dialogs.shortcuts import SHORTCUTS

README = Path(__file__).resolve().parents[2] / "README.md"


def _keys(cell: str) -> set[str]:
    keys = set()
    for key in re.split(r" / |, | or ", cell.strip()):
        if "…" in key:  # "Ctrl+1 … Ctrl+7"
            first, last = (k.strip() for k in key.split("…"))
            prefix = first.rstrip("0123456789")
            keys |= {
                f"{prefix}{n}"
                for n in range(int(first[len(prefix) :]), int(last[len(prefix) :]) + 1)
            }
        else:
            keys.add(key.strip())
    return {k.lower() for k in keys if k}


def _readme_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Working with the keyboard", 1)[1].split("\n## ", 1)[0]
    lines = section.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("| keys |"))
    rows = []
    for line in lines[start + 2 :]:  # past the header and the | --- | line
        if not line.startswith("|"):
            break
        rows.append(line)
    assert len(rows) >= 10, rows
    return set().union(*(_keys(row.split("|")[1]) for row in rows))


def test_the_readme_and_the_shortcut_sheet_name_the_same_keys():
    sheet = set().union(*(_keys(keys) for keys, _text in SHORTCUTS))
    assert _readme_keys() == sheet


def test_every_key_of_the_table_is_a_real_shortcut(desktop):
    window = desktop.window
    # A page's own keys (Ctrl+N on Accounts...) exist once it is built: on its first visit,
    # the only time they can act (a hidden page's shortcuts never do).
    for key in window.unbuilt_pages():
        window.page(key)
    real = {s.key().toString().lower() for s in window.findChildren(QShortcut)}
    real |= {a.shortcut().toString().lower() for a in window.findChildren(QAction)}
    real.discard("")
    # Plain keys (Enter, arrows, a dialog's own letters and digits) are the widgets' own.
    wanted = {k for k in _readme_keys() if "+" in k or re.fullmatch(r"f\d+", k)}
    assert wanted - real == set()
    assert QKeySequence("Ctrl+H").toString().lower() in real  # the check reads real sequences
