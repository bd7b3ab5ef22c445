"""What a machine lacks is said in one line: no display for the app, no server extra installed."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.test_cli import assert_one_line_error

# A desktop-only install, as far as Python can tell: the server extra's modules cannot import.
WITHOUT_SERVER_EXTRA = """
import sys
for name in ("fastapi", "starlette", "uvicorn", "argon2", "psycopg"):
    sys.modules[name] = None
from kpidesk.server.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_app_without_a_display_says_so(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-m", "kpidesk.cli", "--demo"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert_one_line_error(proc, "no display", "DISPLAY", "WAYLAND_DISPLAY")
    assert "xcb" not in proc.stderr
    assert not list(tmp_path.glob("kpidesk-demo-*"))


def _server(*args, script=None):
    code = ["-c", script] if script else ["-m", "kpidesk.server.cli"]
    return subprocess.run(
        [sys.executable, *code, *map(str, args)],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_server_without_its_extra_says_what_to_install(tmp_path):
    data = tmp_path / "server"
    proc = _server("init", "--data-dir", data, "--admin", "ana", script=WITHOUT_SERVER_EXTRA)
    assert_one_line_error(proc, "pip install 'kpidesk[server]'", "is missing")
    assert not data.exists() or not any(data.iterdir())
    password = tmp_path / "pw"
    password.write_text("correct horse battery staple\n")
    made = _server("init", "--data-dir", data, "--admin", "ana", "--password-file", password)
    assert made.returncode == 0, made.stderr
    proc = _server("serve", "--data-dir", data, script=WITHOUT_SERVER_EXTRA)
    assert_one_line_error(proc, "pip install 'kpidesk[server]'", "is missing")
