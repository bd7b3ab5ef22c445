"""``kpidesk --self-test``: does this install (a wheel, or the PyInstaller build) work here?

It exercises what a packaged build most often loses: the SQLite driver and the migrations, the
compiled catalogues and Babel's locale data, Qt's platform plugins and pyqtgraph, a keyring
backend, the stylesheet and the icons shipped as package data. It runs headless (Qt's ``offscreen``
platform), so support can ask a rep to run it, and the packaging test runs it on the build.
It lives in ``kpidesk.ui`` because the chart check needs Qt and pyqtgraph (only ``ui`` imports
them); the other checks use the layers below through their public functions.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from kpidesk.presentation import N_, _

RESOURCES = "kpidesk.resources"
# A msgid whose French is known: the catalogue is found, parsed, and is not the source text.
KNOWN_MSGID, KNOWN_FRENCH = "Conversion rate", "Taux de transformation"
NATIVE_PLATFORMS = {"linux": "xcb", "win32": "windows", "darwin": "cocoa"}


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str
    required: bool = True


def _database() -> Check:
    from kpidesk.services.workspace import open_workspace

    folder = Path(tempfile.mkdtemp(prefix="kpidesk-self-test-"))
    try:
        workspace = open_workspace(folder / "self-test.sqlite")
        try:
            written = workspace.accounts.create({"name": "kpidesk self-test"})
            names = [row.name for row in workspace.accounts.list(frozenset({written.id}))]
        finally:
            workspace.close()
        passed = names == ["kpidesk self-test"]
        return Check(N_("database"), passed, _("created, written, read back and removed"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _translations() -> Check:
    from kpidesk.presentation import load_language

    french = load_language("fr")
    text = french.catalogue.gettext(KNOWN_MSGID)
    detail = f"{KNOWN_MSGID} → {text} ({french.locale.get_display_name('fr')})"
    return Check(N_("translations"), text == KNOWN_FRENCH, detail)


def _application():
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # headless: nothing is shown, any machine
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    return (
        existing if existing is not None else QApplication([sys.argv[0], "-platform", "offscreen"])
    )


def _qt_plugins() -> Check:
    from PySide6.QtCore import QLibraryInfo

    _application()
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"
    found = sorted(
        p.name.removeprefix("libq").removeprefix("q").split(".")[0]
        for p in folder.glob("*")
        if p.is_file()
    )
    wanted = {"offscreen", NATIVE_PLATFORMS.get(sys.platform, "offscreen")}
    return Check(N_("Qt platforms"), wanted <= set(found), ", ".join(found) or str(folder))


def _charts() -> Check:
    _application()
    import pyqtgraph as pg
    from pyqtgraph.exporters import ImageExporter

    plot = pg.PlotWidget()
    plot.resize(320, 200)
    plot.plot([1, 3, 2, 5, 4], pen=pg.mkPen("#1f6feb", width=2))
    exporter = ImageExporter(plot.getPlotItem())
    exporter.parameters()["width"] = 320
    image = exporter.export(toBytes=True)
    # A blank image means nothing was drawn: the line's colour must be somewhere in it.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(image.height())}
    plot.deleteLater()
    return Check(
        N_("charts"),
        image.width() > 0 and len(colours) > 1,
        f"pyqtgraph {pg.__version__}, {image.width()}×{image.height()}",
    )


def _keyring() -> Check:
    import keyring

    from kpidesk.sync.credentials import CredentialStore

    backend = type(keyring.get_keyring())
    name = f"{backend.__module__}.{backend.__qualname__}"
    if CredentialStore().has_keyring():
        return Check(N_("keyring"), True, name, required=False)
    detail = _("none ({name}): sign-ins are kept only while the app runs").format(name=name)
    return Check(N_("keyring"), False, detail, required=False)


def _stylesheet() -> Check:
    style = files(RESOURCES) / "styles" / "kpidesk.qss"
    text = style.read_text(encoding="utf-8") if style.is_file() else ""
    return Check(N_("stylesheet"), bool(text.strip()), f"{style} ({len(text)})")


def _icons() -> Check:
    """Every icon the app uses is shipped, draws something, and its licence is beside it."""
    _application()
    from kpidesk.ui.icons import ICON_NAMES, icon

    drawn = []
    for purpose in ICON_NAMES:
        image = icon(purpose).pixmap(24, 24).toImage()
        if any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24)):
            drawn.append(purpose)
    licence = files(RESOURCES) / "icons" / "LICENSE"
    passed = len(drawn) == len(ICON_NAMES) and licence.is_file()
    missing = sorted(set(ICON_NAMES) - set(drawn))
    detail = f"{len(drawn)}/{len(ICON_NAMES)}" + (
        f" (not drawn: {', '.join(missing)})" if missing else ""
    )
    return Check(N_("icons"), passed, detail + ("" if licence.is_file() else ", no LICENSE"))


CHECKS: tuple[Callable[[], Check], ...] = (
    _database,
    _translations,
    _qt_plugins,
    _charts,
    _keyring,
    _stylesheet,
    _icons,
)


def run_checks() -> list[Check]:
    results = []
    for check in CHECKS:
        try:
            results.append(check())
        except Exception as exc:  # a broken install raises anything: report it, go on
            name = check.__name__.strip("_").replace("_", " ")
            results.append(Check(name, False, f"{type(exc).__name__}: {exc}"))
    return results


def run() -> int:
    """Print the report; 0 when every required check passed, 1 otherwise."""
    results = run_checks()
    for check in results:
        if check.passed:
            status = _("ok")
        elif check.required:
            status = _("FAILED")
        else:
            status = _("not available (optional)")
        print(f"{_(check.name)}: {status} · {check.detail}", flush=True)
    failed = [c for c in results if c.required and not c.passed]
    print(_("All required checks passed.") if not failed else _("A required check failed."))
    return 1 if failed else 0
