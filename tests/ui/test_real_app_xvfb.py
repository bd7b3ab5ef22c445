"""The real `kpidesk --demo`, started as a rep would, in a real X server (Xvfb)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import require

pytestmark = pytest.mark.xvfb

TOOLS = ("Xvfb", "import", "identify", "xdotool")


def _free_display() -> int:
    for n in range(150, 250):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


def _wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def x_display():
    missing = [t for t in TOOLS if shutil.which(t) is None]
    require(not missing, f"needs {', '.join(missing)} (installed by .ci/run)")
    n = _free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{n}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(lambda: Path(f"/tmp/.X11-unix/X{n}").exists(), 20, "Xvfb")
        yield f":{n}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_kpidesk_demo_shows_its_main_window(x_display, tmp_path):
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "KPIDESK_LANG": "en_GB",
    }
    app = subprocess.Popen(
        [sys.executable, "-m", "kpidesk.cli", "--demo"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:

        def window_found() -> bool:
            if app.poll() is not None:
                raise AssertionError(f"kpidesk exited early:\n{app.stdout.read()}")
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--name", "kpidesk"],
                env=env, capture_output=True, text=True,
            )  # fmt: skip
            return found.returncode == 0 and bool(found.stdout.strip())

        _wait_for(window_found, 90, "the kpidesk window")
        time.sleep(3)  # the demo data set opens and the pages fill in
        shot = tmp_path / "screen.png"
        subprocess.run(["import", "-window", "root", str(shot)], env=env, check=True, timeout=30)
        colours = subprocess.run(
            ["identify", "-format", "%k", str(shot)], capture_output=True, text=True, check=True
        ).stdout
        assert int(colours) > 50, f"the screen looks blank ({colours} colours)"
        assert app.poll() is None, "kpidesk closed by itself"
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
