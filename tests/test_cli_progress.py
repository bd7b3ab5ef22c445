"""`kpidesk demo` says how far it is (stderr), and its --json result stays clean JSON (stdout)."""

from __future__ import annotations

import io
import json
import sqlite3

from kpidesk.commands.progress import TerminalProgress
from tests.test_cli import run_cli


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_json_stays_valid_while_the_progress_goes_to_stderr(tmp_path):
    path = tmp_path / "demo.sqlite"
    proc = run_cli("demo", "--db", path, "--years", "1", "--end", "2026-06-15", "--json")
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)  # nothing but the JSON on stdout
    conn = sqlite3.connect(path)
    try:
        counted = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                   for t in ("account", "contact", "activity", "offer")}  # fmt: skip
    finally:
        conn.close()
    assert shown == {"path": str(path), **{f"{t}s" if t != "activity" else "activities": n
                                           for t, n in counted.items()}}  # fmt: skip
    assert proc.stderr == ""  # not a terminal: no bar, a script reads errors alone


def test_the_bar_redraws_one_line_on_a_terminal():
    terminal = _Terminal()
    progress = TerminalProgress("Building", terminal)
    for step in range(1001):
        progress(step / 1000)
    progress.finish()
    drawn = terminal.getvalue()
    frames = drawn.rstrip("\n").split("\r")[1:]
    assert drawn.endswith("\n") and drawn.count("\n") == 1  # one line, ended once
    assert len(frames) == 101  # 0 % to 100 %: a thousand calls, a hundred and one redraws
    assert frames[0] == "Building " + "·" * 30 + " 0%"
    assert frames[50] == "Building " + "█" * 15 + "·" * 15 + " 50%"
    assert frames[-1] == "Building " + "█" * 30 + " 100%"


def test_progress_out_of_range_is_clamped_and_never_repeats():
    terminal = _Terminal()
    progress = TerminalProgress("Building", terminal)
    for share in (-0.5, 0.0, 0.0, 1.7):
        progress(share)
    frames = terminal.getvalue().split("\r")[1:]
    assert [f.rsplit(" ", 1)[1] for f in frames] == ["0%", "100%"]


def test_a_failure_ends_the_bar_line_so_the_error_stands_alone():
    terminal = _Terminal()
    progress = TerminalProgress("Building", terminal)
    progress(0.3)
    progress.abandon()
    terminal.write("kpidesk: the disk is full\n")
    assert terminal.getvalue().splitlines()[-1] == "kpidesk: the disk is full"


def test_nothing_is_drawn_when_stderr_is_not_a_terminal():
    log = io.StringIO()
    progress = TerminalProgress("Building", log)
    for share in (0.0, 0.5, 1.0):
        progress(share)
    progress.finish()
    assert log.getvalue() == ""
