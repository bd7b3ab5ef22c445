"""Finds user-visible string literals that bypass the gettext catalogue.

A literal counts as words when, with its placeholders, HTML tags and entities taken out, it
still has a run of two letters. It is reported when it reaches a Qt text API, ``print``, a
stream's ``write``, a usage error or an argparse help text without going through ``_``,
``N_``, ``ngettext`` or ``pgettext`` (a literal inside such a call, or in a ``.format`` of one,
is fine). The few non-words that look like words (shortcuts, format codes) are allowed by name.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

TRANSLATORS = frozenset({"_", "N_", "ngettext", "pgettext", "plural_message"})
# Methods whose arguments are shown to the user.
TEXT_METHODS = frozenset({
    "setText", "setToolTip", "setWindowTitle", "setPlaceholderText", "setStatusTip",
    "setWhatsThis", "setTitle", "setAccessibleName", "setAccessibleDescription", "setSuffix",
    "setPrefix", "setSpecialValueText", "setLabelText", "setInformativeText", "setDetailedText",
    "setHeaderLabels", "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setTabText",
    "addAction", "addItem", "addItems", "insertItem", "addTab", "addMenu", "addRow",
    "showMessage", "information", "warning", "critical", "question", "about", "getText",
    "getOpenFileName", "getSaveFileName", "setButtonText", "add_page", "setHtml",
})  # fmt: skip
# Constructors whose text arguments are shown.
TEXT_CLASSES = frozenset({
    "QLabel", "QPushButton", "QCheckBox", "QGroupBox", "QAction", "QRadioButton", "QToolButton",
    "QMessageBox", "QMenu", "QListWidgetItem", "QTableWidgetItem", "QStandardItem",
    "QCommandLinkButton",
})  # fmt: skip
# Calls that write to the terminal or make an error the user reads.
OUTPUT_CALLS = frozenset({"print", "write", "UsageError", "ArgumentTypeError", "exit"})
TEXT_KEYWORDS = frozenset({"text", "title", "help", "description", "epilog", "message", "label"})
# addItem(text, data) / insertItem(index, text, data): the data is an identifier, not words.
DATA_LAST = frozenset({"addItem", "insertItem"})
# Non-words that contain letters; each one is written here on purpose.
ALLOWED = frozenset({
    "Ctrl+L", "Ctrl+K", "Ctrl+N", "Ctrl+F", "Ctrl+Z", "Ctrl+S", "Ctrl+W", "Ctrl+Q", "Ctrl+,",
    "Alt+Left", "Alt+Right", "Alt+Home", "Esc", "F1", "F5",
    "first-paint ", "ready ",  # the start-up probe's protocol for the benchmarks, not words
    # the resources probe's protocol for the packaging test
    "resources ", "stylesheet-shipped-chars ", "stylesheet-in-use-chars ", "stylesheet-unfilled ",
})  # fmt: skip
# Placeholders, HTML tags and entities, %-codes, addresses and the program's own name.
_HIDDEN = re.compile(r"\{[^{}]*\}|<[^<>]*>|&[a-zA-Z]+;|%[-+ #0-9.]*[sdifr]|\w+://\S*|\bkpidesk\b")
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def has_words(text: str) -> bool:
    return text not in ALLOWED and bool(_WORD.search(_HIDDEN.sub("", text)))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _is_translated(node: ast.AST) -> bool:
    """``_("...")``, or ``_("...").format(...)``: the literal went through the catalogue."""
    if isinstance(node, ast.Call):
        if _name(node.func) in TRANSLATORS:
            return True
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return _is_translated(node.func.value)
    return False


def _literals(node: ast.AST) -> list[ast.Constant]:
    """The str constants an argument shows: itself, the parts of a concatenation or an
    f-string, the receiver of ``"...".format()`` or ``.join()``; not a translated call, not
    the arguments of other calls (``fmt.day(d, "full")``: a format code)."""
    if _is_translated(node):
        return []
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("format", "join", "upper", "strip"):
            return _literals(func.value)
        return []
    if isinstance(node, ast.Subscript):  # record["name"]: a key, not words
        return _literals(node.value)
    found: list[ast.Constant] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FormattedValue):
            continue  # "{value}" of an f-string: a value, not a literal
        found += _literals(child)
    return found


# Log records are English for whoever reads the log (support, a maintainer), not the rep's words.
LOGGERS = frozenset({"log", "logger", "logging"})


def _shown_arguments(call: ast.Call) -> list[ast.expr]:
    func = call.func
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if isinstance(receiver, ast.Name) and receiver.id in LOGGERS:
        return []
    name = _name(call.func)
    is_output = name in OUTPUT_CALLS
    if not (name in TEXT_METHODS or name in TEXT_CLASSES or is_output):
        return [kw.value for kw in call.keywords if kw.arg in ("help", "description", "epilog")]
    args = list(call.args)
    if name in DATA_LAST and len(args) >= 2:
        args = args[:-1]
    if name == "exit" and args:  # parser.exit(status, message): the status is a number
        args = args[1:]
    return args + [kw.value for kw in call.keywords if kw.arg in TEXT_KEYWORDS]


def scan_source(source: str, path: str = "<source>") -> list[Finding]:
    findings = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        for argument in _shown_arguments(node):
            for literal in _literals(argument):
                if has_words(literal.value):
                    findings.append(Finding(path, literal.lineno, literal.value))
    return findings


def scan_paths(paths: list[Path], root: Path) -> list[Finding]:
    findings = []
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            relative = str(file.relative_to(root))
            findings += scan_source(file.read_text(encoding="utf-8"), relative)
    return findings
