"""A built wheel, installed in a fresh virtual environment, finds its stylesheet and catalogues.

The app must not depend on the repository being next to it: the wheel is built from a copy of
the sources, installed in a new venv, and `kpidesk --demo` is started from that venv in a folder
outside the repository. The app reports (KPIDESK_RESOURCES_PROBE=1) where it found its resources
and how long the stylesheet in use is, then quits.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parents[1]
STYLESHEET = ROOT / "resources" / "styles" / "kpidesk.qss"

# Not part of the sources: build products, caches and the project's own venv.
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".ruff_cache", ".hypothesis", ".import_linter_cache", "tests",
)  # fmt: skip

# Files another engineer's work (gettext catalogues, icons) will add under resources/: planted in
# the copy so the test proves the package-data patterns ship them before the real ones exist.
PLANTED = {
    "resources/locale/xx/LC_MESSAGES/kpidesk.po": 'msgid ""\nmsgstr ""\n',
    "resources/locale/xx/LC_MESSAGES/kpidesk.mo": "planted",
    "resources/icons/planted.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    "resources/icons/LICENSE.txt": "planted licence",
}


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def build_wheel(sources: Path, out: Path) -> Path:
    # pip is always there; `python -m build` is not a project dependency. pip builds in an
    # isolated environment with the setuptools pyproject.toml asks for (>=77, for PEP 639).
    require(importlib.util.find_spec("pip") is not None, "pip is needed to build the wheel")
    done = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), "."],
               cwd=sources)  # fmt: skip
    if done.returncode != 0 and "No matching distribution found for setuptools" in done.stderr:
        # Offline, without a package index or a cache holding setuptools>=77: no way to build.
        require(False, f"pip cannot get setuptools>=77 to build the wheel:\n{done.stderr[-600:]}")
    assert done.returncode == 0, done.stderr
    (wheel,) = out.glob("kpidesk-*.whl")
    return wheel


def project_site_packages() -> list[str]:
    paths = sysconfig.get_paths()
    return sorted({paths["purelib"], paths["platlib"]})


@pytest.mark.slow
def test_an_installed_wheel_finds_its_resources_outside_the_repository(
    monkeypatch: pytest.MonkeyPatch,
):
    with tempfile.TemporaryDirectory(prefix="kpidesk-wheel-test-") as tmp_name:
        tmp = Path(tmp_name)
        # Every temporary file of the subprocesses (pip's build environment, the folder
        # `kpidesk --demo` makes and never removes) lands in ours and goes with it.
        scratch = tmp / "scratch"
        scratch.mkdir()
        for name in ("TMPDIR", "TEMP", "TMP"):
            monkeypatch.setenv(name, str(scratch))
        # A copy, so the build's build/ and *.egg-info never land in the shared working tree.
        sources = tmp / "sources"
        shutil.copytree(ROOT, sources, ignore=IGNORED)
        for name, text in PLANTED.items():
            (sources / name).parent.mkdir(parents=True, exist_ok=True)
            (sources / name).write_text(text, encoding="utf-8")

        wheel = build_wheel(sources, tmp / "dist")
        shipped = set(zipfile.ZipFile(wheel).namelist())
        assert "kpidesk/resources/styles/kpidesk.qss" in shipped
        for name in PLANTED:
            assert name.replace("resources/", "kpidesk/resources/", 1) in shipped
        assert not [n for n in shipped if "screenshots" in n or n.endswith(".png")]
        assert not [n for n in shipped if not n.startswith(("kpidesk/", "kpidesk-"))]

        venv = tmp / "venv"
        done = run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
        assert done.returncode == 0, done.stderr
        python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        done = run([sys.executable, "-m", "pip", "--python", str(python), "install",
                    "--no-deps", "--no-index", str(wheel)])  # fmt: skip
        assert done.returncode == 0, done.stderr
        where = run([str(python), "-c", "import sysconfig; p = sysconfig.get_paths();"
                     " print(p['purelib']); print(p['scripts'])"])  # fmt: skip
        site_packages, scripts = where.stdout.split("\n")[:2]
        # The desktop dependencies (PySide6 alone is ~500 MB) come from the project's venv through
        # a path file: installing them afresh would take minutes and need an index. Path entries
        # go after the new venv's own site-packages, and .pth files inside them are not run, so
        # the project's editable kpidesk is invisible there: kpidesk can only come from the wheel
        # (checked below with the path the app reports).
        Path(site_packages, "kpidesk_test_dependencies.pth").write_text(
            "\n".join(project_site_packages()) + "\n", encoding="utf-8"
        )

        elsewhere = tmp / "elsewhere"
        elsewhere.mkdir()
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        # (XDG_* folders already point at the test's private home: no settings or logs leak.)
        env |= {"QT_QPA_PLATFORM": "offscreen", "KPIDESK_RESOURCES_PROBE": "1"}
        app = Path(scripts) / ("kpidesk.exe" if os.name == "nt" else "kpidesk")
        done = run([str(app), "--demo"], cwd=elsewhere, env=env)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    report = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert Path(report["resources"]).is_relative_to(site_packages), report
    assert int(report["stylesheet-shipped-chars"]) == len(STYLESHEET.read_text(encoding="utf-8"))
    # In use, with every colour and the icons' folder filled in: the sheet really applied.
    assert int(report["stylesheet-in-use-chars"]) > 0
    assert int(report["stylesheet-unfilled"]) == 0
    assert not tmp.exists()


LINUX = ROOT / "packaging" / "linux"


def test_the_linux_desktop_entry_and_metainfo_validate():
    desktop_validate, appstream = (
        shutil.which("desktop-file-validate"),
        shutil.which("appstreamcli"),
    )
    require(
        desktop_validate is not None and appstream is not None,
        "desktop-file-validate and appstreamcli (Debian: desktop-file-utils, appstream)",
    )
    (desktop,) = LINUX.glob("*.desktop")
    (metainfo,) = LINUX.glob("*.metainfo.xml")
    done = run([desktop_validate, str(desktop)])
    assert (done.returncode, done.stdout + done.stderr) == (0, "")
    done = run([appstream, "validate", "--no-net", str(metainfo)])
    assert done.returncode == 0, done.stdout + done.stderr
    # The metainfo launches the .desktop file next to it, under the same id.
    assert f'<launchable type="desktop-id">{desktop.name}</launchable>' in metainfo.read_text()
    assert metainfo.name.removesuffix(".metainfo.xml") == desktop.stem


@pytest.mark.slow
# PyInstaller's analysis of Qt, numpy and SQLAlchemy takes 4 to 9 minutes on 2 shared cores.
@pytest.mark.timeout(1500)
@pytest.mark.skipif(sys.platform != "linux", reason="the build is tested on Linux; Windows by hand")
def test_the_pyinstaller_build_runs_its_self_test_headless():
    require(
        importlib.util.find_spec("PyInstaller") is not None,
        "PyInstaller is not installed: pip install -e '.[package]' (`make` installs it)",
    )
    with tempfile.TemporaryDirectory(prefix="kpidesk-pyinstaller-test-") as tmp_name:
        tmp = Path(tmp_name)
        done = subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(tmp / "dist"),
             "--workpath", str(tmp / "build"), str(ROOT / "packaging" / "kpidesk.spec")],
            capture_output=True, text=True, timeout=900, cwd=tmp,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        app = tmp / "dist" / "kpidesk" / "kpidesk"
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
        env |= {"QT_QPA_PLATFORM": "offscreen", "KPIDESK_LANG": "en_GB", "TMPDIR": str(tmp)}
        elsewhere = tmp / "elsewhere"  # not the repository: the build must not lean on it
        elsewhere.mkdir()
        test = run([str(app), "--self-test"], cwd=elsewhere, env=env)
        size = sum(p.stat().st_size for p in (tmp / "dist").rglob("*") if p.is_file())

    assert test.returncode == 0, test.stdout + test.stderr
    report = test.stdout.splitlines()
    assert [line.split(":")[0] for line in report[:-1]] == [
        "database", "translations", "Qt platforms", "charts", "keyring", "stylesheet", "icons",
    ]  # fmt: skip
    for line in report[:-1]:
        if not line.startswith("keyring:"):  # optional: no Secret Service where CI runs it
            assert ": ok · " in line, line
    assert "Taux de transformation" in report[1]
    assert "xcb" in report[2] and "offscreen" in report[2]
    assert report[-1] == "All required checks passed."
    stylesheet = next(line for line in report if line.startswith("stylesheet:"))
    assert str(ROOT) not in stylesheet  # the build's own copy, not the checkout's
    assert size < 400 * 1024 * 1024, f"the build grew to {size / 2**20:.0f} MiB"
    assert not tmp.exists()
