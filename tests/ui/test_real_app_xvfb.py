"""The real `kpidesk --demo`, started as a rep would, in a real X server (Xvfb)."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import require

pytestmark = pytest.mark.xvfb

TOOLS = ("Xvfb", "import", "identify", "xdotool")


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
    # Xvfb picks a free display itself and writes its number once it accepts clients: two
    # test processes (make test runs two workers) looking for a free number could pick the same.
    chosen, told = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(told), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(told,),
    )  # fmt: skip
    os.close(told)
    try:
        ready, _, _ = select.select([chosen], [], [], 20)
        number = os.read(chosen, 16).decode().strip() if ready else ""
        assert number.isdigit(), "Xvfb did not say which display it took"
        yield f":{number}"
    finally:
        os.close(chosen)
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


def _sqlite_value(path: Path, query: str):
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        row = conn.execute(query).fetchone()
    finally:
        conn.close()
    return row[0] if row else None


def test_a_first_start_shows_the_welcome_screen_and_the_keyboard_starts_empty(x_display, tmp_path):
    """On an empty data folder: the welcome screen, not an empty window; Alt+S ("Start with
    my own data", the mnemonic of its English label), a name, Enter: saved in the database;
    Escape past the tour, then a first call logged from the keyboard."""
    home = tmp_path / "home"
    env = {
        **os.environ,
        "DISPLAY": x_display,
        "QT_QPA_PLATFORM": "xcb",
        "KPIDESK_LANG": "en_GB",
        **{var: str(home / sub) for var, sub in (
            ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"))},
    }  # fmt: skip
    database = home / "data" / "kpidesk" / "kpidesk.sqlite"
    app = subprocess.Popen(
        [sys.executable, "-m", "kpidesk.cli"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip

    def xdotool(*args: str) -> str:
        return subprocess.run(
            ["xdotool", *args], env=env, capture_output=True, text=True, timeout=30
        ).stdout

    try:

        def window_found() -> bool:
            if app.poll() is not None:
                raise AssertionError(f"kpidesk exited early:\n{app.stdout.read()}")
            return bool(xdotool("search", "--onlyvisible", "--name", "kpidesk").strip())

        _wait_for(window_found, 90, "the kpidesk window")
        # The database is created and read on a worker; the welcome screen follows it.
        _wait_for(lambda: database.is_file(), 60, "the rep's database")
        time.sleep(4)
        window = xdotool("search", "--onlyvisible", "--name", "kpidesk").split()[0]
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "--delay", "120", "alt+s")  # "Start with my own data"
        time.sleep(1.5)
        xdotool("type", "--delay", "60", "Claire Martin")
        xdotool("key", "Return")
        name = 'SELECT value FROM setting WHERE key = "profile.name"'
        _wait_for(lambda: _sqlite_value(database, name) is not None, 30, "the name saved")
        assert _sqlite_value(database, name) == '"Claire Martin"'
        choice = 'SELECT value FROM setting WHERE key = "first_run.choice"'
        assert _sqlite_value(database, choice) == '"empty"'
        # The tour follows. Escape skips it and the keys go to the main window again, with
        # nothing clicked (with no window manager to give it back, none had the keyboard):
        # Ctrl+L, a new company's name, Enter ("+ New prospect"), Enter logs a call with it.
        shown = ("search", "--sync", "--onlyvisible", "--name")
        xdotool(*shown, "A short tour of kpidesk")
        time.sleep(0.5)
        xdotool("key", "Escape")
        time.sleep(1)
        xdotool("key", "ctrl+l")
        xdotool(*shown, "Log an activity")
        time.sleep(0.5)
        xdotool("type", "--delay", "60", "Garage Moreau")
        time.sleep(0.5)
        xdotool("key", "--delay", "300", "Return", "Return")
        logged = "SELECT a.name FROM activity x JOIN account a ON a.id = x.account_id"
        _wait_for(lambda: _sqlite_value(database, logged) is not None, 30, "the call logged")
        assert _sqlite_value(database, logged) == "Garage Moreau"
        assert app.poll() is None, "kpidesk closed by itself"
    finally:
        app.terminate()
        try:
            app.wait(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
