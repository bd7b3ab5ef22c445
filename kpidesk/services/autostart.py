"""Start kpidesk when the rep logs in (off by default): XDG autostart on Linux, the HKCU Run key
on Windows. Nothing is written until the rep switches it on in Settings.

- Linux (and other XDG desktops): ``$XDG_CONFIG_HOME/autostart/kpidesk.desktop`` (default
  ``~/.config``), per the XDG Autostart specification;
- Windows: the value ``kpidesk`` under ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\
  CurrentVersion\\Run`` (per user, no administrator rights). The registry module is passed in,
  so the code path is tested on Linux with a fake one.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Protocol

APP_NAME = "kpidesk"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class Autostart(Protocol):
    def is_enabled(self) -> bool: ...

    def set_enabled(self, enabled: bool) -> None: ...


def launch_command() -> list[str]:
    """How this install starts the app: the packaged executable, or this Python running the
    ``kpidesk`` entry point's module."""
    if getattr(sys, "frozen", False):  # the PyInstaller build
        return [sys.executable]
    return [sys.executable, "-m", "kpidesk.cli"]


def desktop_exec(command: list[str]) -> str:
    """The ``Exec`` value for ``command``: each argument quoted as the Desktop Entry
    specification says (inside double quotes, ``"`` `` ` `` ``$`` and ``\\`` escaped), and a
    literal ``%`` doubled (a field code otherwise)."""
    quoted = []
    for arg in command:
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg).replace("%", "%%")
        quoted.append(
            f'"{escaped}"' if any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`") else escaped
        )
    # The file's own escapes (a backslash is written twice in a string value).
    return " ".join(quoted).replace("\\", "\\\\")


class XdgAutostart:
    def __init__(self, command: list[str] | None = None, config_home: Path | None = None) -> None:
        self._command = command or launch_command()
        home = config_home or Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
        self.path = home / "autostart" / f"{APP_NAME}.desktop"

    def is_enabled(self) -> bool:
        """Ours and not switched off (a desktop's own settings may write ``Hidden=true``)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError:
            return False
        return "Hidden=true" not in text.splitlines()

    def set_enabled(self, enabled: bool) -> None:
        if not enabled:
            self.path.unlink(missing_ok=True)
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        entry = "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                "Name=kpidesk",
                "Comment=Your sales indicators and reminders",
                "Comment[fr]=Vos indicateurs commerciaux et vos rappels",
                f"Exec={desktop_exec(self._command)}",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )
        temporary = self.path.with_suffix(".desktop.tmp")
        temporary.write_text(entry, encoding="utf-8")
        temporary.replace(self.path)  # never a half-written entry


class WindowsRunKey:
    def __init__(self, registry: Any, command: list[str] | None = None) -> None:
        self._reg = registry  # the winreg module, or a test's fake with the same functions
        self._command = command or launch_command()

    def is_enabled(self) -> bool:
        try:
            with self._reg.OpenKey(self._reg.HKEY_CURRENT_USER, RUN_KEY) as key:
                self._reg.QueryValueEx(key, APP_NAME)
        except OSError:  # FileNotFoundError: no such key or value
            return False
        return True

    def set_enabled(self, enabled: bool) -> None:
        reg = self._reg
        with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            if enabled:
                reg.SetValueEx(key, APP_NAME, 0, reg.REG_SZ, subprocess.list2cmdline(self._command))
                return
            with contextlib.suppress(FileNotFoundError):  # already off
                reg.DeleteValue(key, APP_NAME)


def for_this_system() -> Autostart | None:
    """The mechanism of this system, or None where kpidesk has none (macOS)."""
    if sys.platform == "win32":
        import winreg

        return WindowsRunKey(winreg)
    if sys.platform == "darwin":
        return None
    return XdgAutostart()
