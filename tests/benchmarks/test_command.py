"""`make bench` with a wrong name or --help says so instead of printing an empty table.

Not a timing test: nothing here runs a benchmark. The module is run as `make bench` runs it (a
separate `python -m tests.benchmarks` from the repository root), so argument parsing, the
message and the exit code are all checked as a user sees them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.benchmarks", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unknown_benchmark_name_is_refused_with_the_known_names():
    done = bench("kpis", "no_such_bench")
    assert done.returncode == 2
    assert "no benchmark named 'no_such_bench'; known: " in done.stderr
    assert "desktop" in done.stderr
    assert "kpis" in done.stderr
    assert "running" not in done.stderr  # refused before anything ran, even the valid name
    assert done.stdout == ""  # no (empty) table
    assert "Traceback" not in done.stderr


def test_help_prints_the_usage_and_the_known_names_and_runs_nothing():
    done = bench("--help")
    assert done.returncode == 0
    assert "usage: python -m tests.benchmarks [-h] [NAME ...]" in done.stdout
    assert "known benchmarks: " in done.stdout
    assert "sync_load" in done.stdout
    assert "running" not in done.stderr
    assert "| measure" not in done.stdout


def test_an_unknown_option_is_a_usage_error():
    done = bench("--rounds", "3")
    assert done.returncode == 2
    assert "unrecognized arguments: --rounds" in done.stderr
    assert done.stdout == ""
