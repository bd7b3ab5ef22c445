"""The app's icons: Lucide SVGs shipped in ``kpidesk.resources/icons`` (with their licence),
tinted with the theme's colours when loaded, so the same file serves the light and dark themes.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kpidesk.ui import theme

RESOURCES = "kpidesk.resources"

# What each icon is for: one place names the file behind every use.
ICON_NAMES = {
    "today": "calendar-check",
    "indicators": "chart-column",
    "pipeline": "funnel",
    "accounts": "building-2",
    "journal": "notebook-pen",
    "team": "users",
    "settings": "settings",
    "quick_log": "square-pen",
    "sync": "refresh-cw",
    "show": "app-window",
    "quit": "log-out",
    "reminder": "bell",
    "app": "trending-up",
}
SIZES = (16, 20, 24, 32, 48, 64)


def svg_text(purpose: str) -> str:
    return (files(RESOURCES) / "icons" / f"{ICON_NAMES[purpose]}.svg").read_text(encoding="utf-8")


@lru_cache(maxsize=128)
def _tinted(purpose: str, colour: str) -> QIcon:
    svg = svg_text(purpose).replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    icon = QIcon()
    for size in SIZES:
        image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        icon.addPixmap(QPixmap.fromImage(image))
    return icon


def icon(purpose: str, colour_name: str = "text") -> QIcon:
    """The icon for ``purpose`` in the theme's ``colour_name`` (text, nav_text, accent...)."""
    return _tinted(purpose, theme.colour(colour_name).name())


def app_icon() -> QIcon:
    """The window's and the tray's icon: the rising line, in the accent colour."""
    return _tinted("app", theme.LIGHT["accent"])
