"""Light or dark, as the system asks: the palette, the stylesheet's colours, charts and icons.

Qt 6.5+ reports the system's choice (``QStyleHints.colorScheme()``) and signals a change
(``colorSchemeChanged``); ``KPIDESK_THEME=light|dark`` forces one (the screenshots, a rep who
wants it). The stylesheet names its colours (``@name``); each scheme fills them from its set
below. Where the platform gives no palette of its own for dark (Linux without a desktop theme,
Windows' older styles), the dark palette is set from the same set, so every widget follows.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from importlib.resources import files

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

RESOURCES = "kpidesk.resources"
log = logging.getLogger(__name__)

LIGHT = {
    "text": "#111827", "text_strong": "#111827", "text_soft": "#374151",
    "muted": "#6b7280", "muted_strong": "#4b5563",
    "window": "#f3f4f6", "base": "#ffffff", "card": "#ffffff", "card_soft": "#f9fafb",
    "line": "#e5e7eb", "line_strong": "#9ca3af",
    "nav_bg": "#1f2937", "nav_text": "#e5e7eb", "nav_muted": "#9ca3af",
    "nav_selected": "#374151", "nav_selected_text": "#ffffff",
    "accent": "#f59e0b", "highlight": "#2563eb", "highlight_text": "#ffffff", "link": "#1d4ed8",
    "selected_soft": "#fef3c7",
    "good": "#15803d", "bad": "#c2410c",
    "error_text": "#b91c1c", "error_strong": "#7f1d1d",
    "note_text": "#92400e", "note_bg": "#fffbeb", "note_border": "#fde68a",
    "toast_bg": "#ecfdf5", "toast_border": "#a7f3d0",
    "toast_error_bg": "#fef2f2", "toast_error_border": "#fecaca",
    "info_bg": "#eff6ff", "info_border": "#bfdbfe",
    "cold_bg": "#dbeafe", "cold_text": "#1d4ed8", "warm_bg": "#fef3c7", "warm_text": "#b45309",
    "hot_bg": "#ffedd5", "hot_text": "#c2410c",
    "hot_fg": "#c2410c", "warm_fg": "#b45309", "cold_fg": "#1d4ed8",
    "chart_bg": "#ffffff", "chart_axis": "#4b5563", "chart_line": "#2563eb",
    "chart_bar": "#93c5fd", "chart_target": "#15803d",
}  # fmt: skip

# The same names for a dark window: text light on grey-blue, tints darkened, accents brightened
# so that each still reads against its background (WCAG AA for text).
DARK = {
    "text": "#e5e7eb", "text_strong": "#f9fafb", "text_soft": "#d1d5db",
    "muted": "#9ca3af", "muted_strong": "#b6bcc6",
    "window": "#18202b", "base": "#111827", "card": "#1f2937", "card_soft": "#1b2431",
    "line": "#374151", "line_strong": "#6b7280",
    "nav_bg": "#0b1119", "nav_text": "#e5e7eb", "nav_muted": "#9ca3af",
    "nav_selected": "#263243", "nav_selected_text": "#ffffff",
    "accent": "#fbbf24", "highlight": "#2563eb", "highlight_text": "#ffffff", "link": "#93c5fd",
    "selected_soft": "#3d3217",
    "good": "#4ade80", "bad": "#fb923c",
    "error_text": "#fca5a5", "error_strong": "#fecaca",
    "note_text": "#fcd34d", "note_bg": "#2d2512", "note_border": "#6b5518",
    "toast_bg": "#0f2e22", "toast_border": "#1f6b4a",
    "toast_error_bg": "#3a1616", "toast_error_border": "#7f1d1d",
    "info_bg": "#14243d", "info_border": "#1e3a8a",
    "cold_bg": "#1e3a8a", "cold_text": "#bfdbfe", "warm_bg": "#5a3e0a", "warm_text": "#fde68a",
    "hot_bg": "#6a2a0c", "hot_text": "#fed7aa",
    # In a table, on the base colour: three hues told apart at a glance (orange, yellow, blue).
    "hot_fg": "#fb923c", "warm_fg": "#facc15", "cold_fg": "#93c5fd",
    "chart_bg": "#1f2937", "chart_axis": "#b6bcc6", "chart_line": "#60a5fa",
    "chart_bar": "#3b5f8f", "chart_target": "#4ade80",
}  # fmt: skip

SCHEMES = {"light": LIGHT, "dark": DARK}
_TOKEN = re.compile(r"@([a-z_]+)")


def stylesheet(colours: dict[str, str]) -> str:
    """The shipped stylesheet with its ``@name`` colours filled in (empty if it is missing)."""
    style = files(RESOURCES) / "styles" / "kpidesk.qss"
    if not style.is_file():  # a broken install: the app still works, unstyled
        log.warning("no stylesheet at %s", style)
        return ""
    # @icons: the shipped icons' folder, for images the stylesheet draws (a check box's tick).
    names = {**colours, "icons": str(files(RESOURCES) / "icons").replace("\\", "/")}
    return _TOKEN.sub(lambda m: names[m.group(1)], style.read_text(encoding="utf-8"))


def palette(colours: dict[str, str]) -> QPalette:
    role, pal = QPalette.ColorRole, QPalette()
    for roles, name in (
        ((role.Window, role.Button, role.AlternateBase), "window"),
        ((role.WindowText, role.ButtonText, role.Text, role.ToolTipText), "text"),
        ((role.Base, role.ToolTipBase), "base"),
        ((role.Highlight,), "highlight"),
        ((role.HighlightedText,), "highlight_text"),
        ((role.Link,), "link"),
        ((role.PlaceholderText,), "muted"),
        ((role.Mid, role.Dark), "line_strong"),
        ((role.Midlight, role.Light), "line"),
        ((role.BrightText,), "text_strong"),
    ):
        for r in roles:
            pal.setColor(r, QColor(colours[name]))
    pal.setColor(role.Button, QColor(colours["card"]))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.WindowText, role.ButtonText, role.Text):
        pal.setColor(disabled, r, QColor(colours["line_strong"]))
    return pal


def system_scheme() -> str:
    """ "dark" or "light": KPIDESK_THEME, else the system's choice, else the palette's look."""
    forced = os.environ.get("KPIDESK_THEME", "").strip().lower()
    if forced in SCHEMES:
        return forced
    scheme = QGuiApplication.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return "dark"
    if scheme == Qt.ColorScheme.Light:
        return "light"
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
    return "dark" if window.lightness() < 128 else "light"


class Theme(QObject):
    """The scheme in force; follows the system while the app runs.

    Signals:
        sig_changed: the scheme changed (``name`` is "light" or "dark"): views that paint
            colours themselves (charts, icons) redraw.
    """

    sig_changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        self.name = ""
        app.styleHints().colorSchemeChanged.connect(self._on_hints_scheme_changed)

    @property
    def colours(self) -> dict[str, str]:
        return SCHEMES[self.name or "light"]

    def is_dark(self) -> bool:
        return self.name == "dark"

    def colour(self, name: str) -> QColor:
        return QColor(self.colours[name])

    def apply(self, name: str | None = None) -> None:
        name = name or system_scheme()
        if name == self.name:
            return
        self.name = name
        colours = SCHEMES[name]
        # Our own palette in both schemes: the stylesheet's colours and the widgets' agree, and
        # a dark system palette never meets the light stylesheet (or the reverse).
        self._app.setPalette(palette(colours))
        self._app.setStyleSheet(stylesheet(colours))
        self._app.setProperty("kpidesk_scheme", name)
        self.sig_changed.emit(name)

    def _on_hints_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self.apply()


def theme_of(app: QApplication | None = None) -> Theme | None:
    """The application's theme (one per QApplication, made by ``install``)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    return app.findChild(Theme) if app is not None else None


def install(app: QApplication) -> Theme:
    theme = theme_of(app) or Theme(app)
    theme.apply()
    return theme


def colour(name: str) -> QColor:
    """A named colour of the scheme in force (light when no theme is installed)."""
    # Read from the application's property, not through theme_of: a table asks for a colour
    # per painted cell, and findChild walks every child of the application each time.
    app = QApplication.instance()
    scheme = app.property("kpidesk_scheme") if app is not None else None
    return QColor(SCHEMES.get(scheme, LIGHT)[name])


class ThemedColours(Mapping):
    """Keys to named colours, read in the scheme in force at each lookup (a table's foreground
    follows a change of scheme at its next repaint)."""

    def __init__(self, names: Mapping[object, str]) -> None:
        self._names = dict(names)

    def __getitem__(self, key: object) -> QColor:
        return colour(self._names[key])

    def __iter__(self) -> Iterator[object]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)
