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
    assert int(report["stylesheet-chars"]) == len(STYLESHEET.read_text(encoding="utf-8"))
    assert not tmp.exists()
