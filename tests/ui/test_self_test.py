"""`kpidesk --self-test`: every required check passes on a working install, a failing one makes
the exit code 1, and a missing keyring is reported without failing."""

from __future__ import annotations

from kpidesk.cli import main
from kpidesk.ui import self_test
from kpidesk.ui.self_test import Check


def test_a_working_install_passes_every_required_check(qapp, capsys):
    assert main(["--self-test"]) == 0
    report = capsys.readouterr().out.splitlines()
    names = [line.split(":")[0] for line in report[:-1]]
    assert names == [
        "database",
        "translations",
        "Qt platforms",
        "charts",
        "keyring",
        "stylesheet",
        "icons",
    ]
    assert report[-1] == "All required checks passed."
    assert "translations: ok · Conversion rate → Taux de transformation" in report[1]


def test_a_failed_required_check_exits_1_and_an_optional_one_does_not(monkeypatch, capsys):
    def broken():
        raise OSError("disk full")

    optional = (lambda: Check("keyring", False, "none", required=False),)
    monkeypatch.setattr(self_test, "CHECKS", optional)
    assert self_test.run() == 0
    assert "keyring: not available (optional) · none" in capsys.readouterr().out

    monkeypatch.setattr(self_test, "CHECKS", (broken, *optional))
    assert self_test.run() == 1
    out = capsys.readouterr().out
    assert "broken: FAILED · OSError: disk full" in out
    assert out.splitlines()[-1] == "A required check failed."
