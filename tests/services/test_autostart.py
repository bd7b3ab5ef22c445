"""Start at login: the XDG autostart entry written and removed, the Windows Run key (a fake
registry with winreg's functions, so the Windows code path runs on Linux)."""

import shlex
import subprocess
from contextlib import contextmanager

import pytest

from kpidesk.services import autostart
from kpidesk.services.autostart import RUN_KEY, WindowsRunKey, XdgAutostart, desktop_exec

COMMAND = ["/opt/kpi desk/bin/python", "-m", "kpidesk.cli"]


def _entry(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if line)


def test_xdg_entry_written_under_xdg_config_home_and_removed(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    starter = XdgAutostart(COMMAND)
    assert starter.path == tmp_path / "cfg" / "autostart" / "kpidesk.desktop"
    assert not starter.is_enabled()
    starter.set_enabled(True)
    assert starter.is_enabled()
    entry = _entry(starter.path)
    assert entry["Type"] == "Application" and entry["Name"] == "kpidesk"
    # The path with a space survives as one argument (the file's backslashes undone first).
    assert shlex.split(entry["Exec"].replace("\\\\", "\\")) == COMMAND
    assert list(starter.path.parent.iterdir()) == [starter.path]  # no temporary file left
    starter.set_enabled(False)
    assert not starter.path.exists() and not starter.is_enabled()
    starter.set_enabled(False)  # already off: nothing to do, no error


def test_xdg_default_folder_is_dot_config(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert XdgAutostart(COMMAND).path == tmp_path / ".config" / "autostart" / "kpidesk.desktop"


def test_an_entry_the_desktop_switched_off_reads_as_off(tmp_path):
    starter = XdgAutostart(COMMAND, config_home=tmp_path)
    starter.set_enabled(True)
    starter.path.write_text(starter.path.read_text() + "Hidden=true\n")
    assert not starter.is_enabled()


def test_the_entry_passes_desktop_file_validate(tmp_path):
    import shutil

    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed")
    starter = XdgAutostart(["/usr/bin/kpidesk"], config_home=tmp_path)
    starter.set_enabled(True)
    result = subprocess.run(
        ["desktop-file-validate", str(starter.path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["/usr/bin/kpidesk"], "/usr/bin/kpidesk"),
        (["/a b/kpidesk"], '"/a b/kpidesk"'),
        (["/x/100%"], "/x/100%%"),
        (['/a "q"/k'], '"/a \\\\"q\\\\"/k"'),
    ],
)
def test_exec_quoting_follows_the_desktop_entry_rules(args, expected):
    assert desktop_exec(args) == expected


class FakeRegistry:
    """winreg's functions used by WindowsRunKey, over a dict of keys."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_SET_VALUE = 2
    REG_SZ = 1

    def __init__(self):
        self.keys: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}

    @contextmanager
    def OpenKey(self, root, path):
        if (root, path) not in self.keys:
            raise FileNotFoundError(path)
        yield (root, path)

    @contextmanager
    def CreateKeyEx(self, root, path, reserved, access):
        assert access == self.KEY_SET_VALUE
        self.keys.setdefault((root, path), {})
        yield (root, path)

    def QueryValueEx(self, key, name):
        kind, value = self.keys[key].get(name, (None, None))
        if kind is None:
            raise FileNotFoundError(name)
        return value, kind

    def SetValueEx(self, key, name, reserved, kind, value):
        self.keys[key][name] = (kind, value)

    def DeleteValue(self, key, name):
        if name not in self.keys[key]:
            raise FileNotFoundError(name)
        del self.keys[key][name]


def test_windows_run_key_written_and_removed():
    registry = FakeRegistry()
    command = [r"C:\Program Files\kpidesk\kpidesk.exe"]
    starter = WindowsRunKey(registry, command)
    assert not starter.is_enabled()
    starter.set_enabled(True)
    assert starter.is_enabled()
    kind, value = registry.keys[("HKCU", RUN_KEY)]["kpidesk"]
    assert kind == FakeRegistry.REG_SZ
    assert value == r'"C:\Program Files\kpidesk\kpidesk.exe"'  # quoted: the path has a space
    starter.set_enabled(False)
    assert not starter.is_enabled() and registry.keys[("HKCU", RUN_KEY)] == {}
    starter.set_enabled(False)  # already off


def test_the_mechanism_follows_the_platform(monkeypatch):
    monkeypatch.setattr(autostart.sys, "platform", "linux")
    assert isinstance(autostart.for_this_system(), XdgAutostart)
    monkeypatch.setattr(autostart.sys, "platform", "darwin")
    assert autostart.for_this_system() is None
