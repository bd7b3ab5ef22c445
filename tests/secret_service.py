"""A real Secret Service for the keyring tests: gnome-keyring in a private D-Bus session.

Nothing touches the developer's own keyring: the bus, the keyring daemon and its files live in
a temporary home, and both daemons stop when the fixture ends. `.ci/run` installs them; on a
plain machine without them the tests are skipped (with CI=true, they fail).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import require

TOOLS = ("dbus-daemon", "gnome-keyring-daemon")


@pytest.fixture
def secret_service(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment variables that point a process at a fresh, unlocked Secret Service."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    require(not missing, f"needs {', '.join(missing)} for a real keyring (installed by .ci/run)")
    home = tmp_path / "keyring-home"
    runtime = home / "run"
    runtime.mkdir(parents=True, mode=0o700)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    bus = subprocess.run(
        ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
        env=env, capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    address, pid = bus.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    assert daemon.stdin is not None
    daemon.stdin.write(b"keyring-test-password")
    daemon.stdin.close()
    try:
        _wait_until_ready(env)
        yield env
    finally:
        daemon.terminate()
        daemon.wait(timeout=10)
        subprocess.run(["kill", pid], check=False)


def _wait_until_ready(env: dict[str, str]) -> None:
    probe = (
        "import keyring, sys; b = keyring.get_keyring();"
        "sys.exit(0 if type(b).__module__.endswith('SecretService') else 1)"
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if subprocess.run([os.sys.executable, "-c", probe], env=env, timeout=30).returncode == 0:
            return
        time.sleep(0.2)
    raise AssertionError("the Secret Service did not come up")
