"""The look: light or dark as the system asks (and its change signal), the stylesheet filled in
both, icons shipped and drawn, and the sidebar's shortcuts."""

import re
from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from kpidesk.ui import theme
from kpidesk.ui.app import create_application
from kpidesk.ui.icons import ICON_NAMES, icon
from kpidesk.ui.widgets.nav_delegate import SHORTCUT_ROLE


@pytest.fixture
def app_theme(qapp, monkeypatch):
    monkeypatch.delenv("KPIDESK_THEME", raising=False)
    create_application()
    current = theme.theme_of(qapp)
    assert current is not None
    yield current
    current.apply("light")  # the other tests see the light theme


def _lightness(role: QPalette.ColorRole) -> int:
    return QApplication.palette().color(role).lightness()


def test_dark_is_applied_when_the_system_scheme_is_dark(app_theme, monkeypatch):
    hints = QApplication.styleHints()
    monkeypatch.setattr(type(hints), "colorScheme", lambda self: Qt.ColorScheme.Dark)
    app_theme.apply()
    assert app_theme.name == "dark"
    assert _lightness(QPalette.ColorRole.Window) < 60
    assert _lightness(QPalette.ColorRole.WindowText) > 200
    style = QApplication.instance().styleSheet()
    # The tiles' background: the dark set's card colour, no longer the light set's.
    assert f"QFrame#kpiTile {{ background: {theme.DARK['card']};" in style
    monkeypatch.setattr(type(hints), "colorScheme", lambda self: Qt.ColorScheme.Light)
    app_theme.apply()
    assert app_theme.name == "light"
    assert _lightness(QPalette.ColorRole.Window) > 200
    assert _lightness(QPalette.ColorRole.WindowText) < 60


def test_the_change_signal_switches_the_theme(app_theme, monkeypatch, qtbot):
    hints = QApplication.styleHints()
    monkeypatch.setattr(type(hints), "colorScheme", lambda self: Qt.ColorScheme.Dark)
    # What Qt emits when the system switches: the app follows while it runs.
    with qtbot.waitSignal(app_theme.sig_changed) as changed:
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert changed.args == ["dark"]
    assert _lightness(QPalette.ColorRole.Window) < 60


def test_kpidesk_theme_forces_a_scheme(app_theme, monkeypatch):
    monkeypatch.setenv("KPIDESK_THEME", "dark")
    assert theme.system_scheme() == "dark"
    monkeypatch.setenv("KPIDESK_THEME", "light")
    assert theme.system_scheme() == "light"


def test_both_sets_name_every_colour_of_the_stylesheet():
    text = (files("kpidesk.resources") / "styles" / "kpidesk.qss").read_text(encoding="utf-8")
    used = set(re.findall(r"@([a-z_]+)", text)) - {"icons"}
    assert used  # the stylesheet names its colours
    for colours in (theme.LIGHT, theme.DARK):
        assert used <= set(colours), used - set(colours)
        filled = theme.stylesheet(colours)
        assert "@" not in filled
        images = re.findall(r"url\(([^)]+)\)", filled)
        assert images and all(Path(image).is_file() for image in images), images


def _contrast(a: str, b: str) -> float:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("colours", [theme.LIGHT, theme.DARK], ids=["light", "dark"])
def test_text_reads_on_its_background_in_both_schemes(colours):
    # WCAG AA: 4.5 for body text, 3 for large or bold text (the tiles' figures, the trends).
    for text, background, least in (
        ("text", "window", 4.5), ("text", "card", 4.5), ("muted", "card", 4.5),
        ("muted_strong", "card", 4.5), ("nav_text", "nav_bg", 4.5),
        ("nav_muted", "nav_bg", 4.5), ("error_text", "window", 4.5),
        ("note_text", "note_bg", 4.5), ("good", "card", 3), ("bad", "card", 3),
        ("hot_text", "hot_bg", 4.5), ("warm_text", "warm_bg", 4.5), ("cold_text", "cold_bg", 4.5),
        ("hot_fg", "base", 4.5), ("warm_fg", "base", 4.5), ("cold_fg", "base", 4.5),
        ("chart_axis", "chart_bg", 4.5),
        ("highlight_text", "highlight", 4.5),
    ):  # fmt: skip
        ratio = _contrast(colours[text], colours[background])
        assert ratio >= least, f"{text} on {background}: {ratio:.2f}"


def _ink(image) -> set[tuple[int, int, int]]:
    """The colours of the icon's solid strokes (antialiased edges left out), rounded: the
    premultiplied pixels differ from the tint by a unit or two."""
    size = image.width()
    return {
        tuple(round(v / 8) for v in image.pixelColor(x, y).getRgb()[:3])
        for x in range(size)
        for y in range(size)
        if image.pixelColor(x, y).alpha() == 255
    }


def _rounded(hex_colour: str) -> tuple[int, int, int]:
    return tuple(round(int(hex_colour[i : i + 2], 16) / 8) for i in (1, 3, 5))


def test_every_icon_is_shipped_with_its_licence_and_draws(qapp):
    folder = files("kpidesk.resources") / "icons"
    assert "ISC License" in (folder / "LICENSE").read_text(encoding="utf-8")
    for purpose, name in ICON_NAMES.items():
        assert (folder / f"{name}.svg").is_file(), name
        image = icon(purpose).pixmap(32, 32).toImage()
        painted = [image.pixelColor(x, y) for x in range(32) for y in range(32)]
        ink = [c for c in painted if c.alpha() > 128]
        assert len(ink) > 20, purpose  # a shape, not an empty square
        # Tinted with the theme's text colour, not Lucide's default black.
        assert _ink(image) == {_rounded(theme.colour("text").name())}, purpose


def test_icons_follow_the_theme(app_theme, qapp):
    app_theme.apply("dark")
    assert _ink(icon("sync").pixmap(32, 32).toImage()) == {_rounded(theme.DARK["text"])}


def test_the_sidebar_shows_each_page_s_shortcut(desktop):
    nav = desktop.window._nav
    rows = [nav.item(i) for i in range(nav.count())]
    assert [r.data(SHORTCUT_ROLE) for r in rows] == [f"Ctrl+{n}" for n in range(1, 8)]
    assert all(not r.icon().isNull() for r in rows)
    # Drawn, not only stored: the right end of the row changes when the shortcut is taken away.
    nav.resize(200, 400)
    rect = nav.visualItemRect(rows[1])
    corner = (rect.right() - 50, rect.top(), 45, rect.height())
    with_keys = nav.grab().toImage().copy(*corner)
    rows[1].setData(SHORTCUT_ROLE, None)
    without = nav.grab().toImage().copy(*corner)
    assert with_keys != without


def test_a_chart_is_drawn_in_the_dark_colours(app_theme, qapp, qtbot):
    from kpidesk.ui.widgets.kpi_chart import KpiChart

    app_theme.apply("dark")
    chart = KpiChart()
    qtbot.addWidget(chart)
    assert chart.backgroundBrush().color().name() == theme.DARK["chart_bg"]
    app_theme.apply("light")
    assert chart.backgroundBrush().color().name() == theme.LIGHT["chart_bg"]


def test_a_tables_colours_follow_the_scheme_in_force(app_theme):
    from kpidesk.domain.vocabulary import Temperature
    from kpidesk.ui.models.accounts import TEMPERATURE_COLORS

    app_theme.apply("dark")
    assert TEMPERATURE_COLORS[Temperature.HOT].name() == theme.DARK["hot_fg"].lower()
    app_theme.apply("light")
    assert TEMPERATURE_COLORS[Temperature.HOT].name() == theme.LIGHT["hot_fg"].lower()
