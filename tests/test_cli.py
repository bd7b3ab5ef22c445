"""The command line: clear one-line errors with exit code 2, never a traceback."""

import sqlite3
import subprocess
import sys

import pytest


def run_cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "kpidesk.cli", *map(str, args)],
        capture_output=True, text=True, timeout=120, **kwargs,
    )  # fmt: skip


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_missing_database_file(tmp_path):
    missing = tmp_path / "nope.sqlite"
    proc = run_cli("--db", missing)
    assert_one_line_error(proc, str(missing), "no kpidesk database")
    assert not missing.exists()


def test_a_file_that_is_not_sqlite(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("these are my notes, not a database\n")
    proc = run_cli("--db", text, "demo", "--years", "1")
    assert_one_line_error(proc, str(text), "not a SQLite file")
    assert text.read_text() == "these are my notes, not a database\n"


def test_a_sqlite_file_of_another_program(tmp_path):
    other = tmp_path / "music.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE tracks (title TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    proc = run_cli("--db", other)
    assert_one_line_error(proc, str(other), "another program", "tracks")
    assert other.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--frobnicate"], "unrecognized arguments"),
        (["demo", "--years", "zero"], "not a whole number"),
        (["demo", "--years", "50"], "between 1 and 20"),
        (["demo", "--end", "31/12/2026"], "not a date"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_arguments(args, fragment):
    assert_one_line_error(run_cli(*args), fragment)


def test_demo_needs_a_target_and_builds_a_database(tmp_path):
    assert_one_line_error(run_cli("demo"), "--db")
    target = tmp_path / "demo.sqlite"
    proc = run_cli("demo", "--years", "1", "--seed", "4", "--end", "2026-01-31", "--db", target)
    assert proc.returncode == 0, proc.stderr
    assert "200 accounts" in proc.stdout
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT count(*) FROM offer").fetchone() == (1000,)
    conn.close()


def test_init_creates_an_empty_database_once(tmp_path):
    target = tmp_path / "new.sqlite"
    assert run_cli("init", "--db", target).returncode == 0
    assert (target.stat().st_mode & 0o777) == 0o600
    assert_one_line_error(run_cli("--db", target, "init"), "already a kpidesk database")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--demo"],
        ["--self-test"],
        ["--db", "my.sqlite"],
        ["--db=my.sqlite", "--demo"],
        ["--db", "a.sqlite", "--db", "b.sqlite"],
        ["--db="],
    ],
)
def test_starting_the_app_reads_its_options_as_the_full_parser_does(argv):
    """The app's start skips building every command's parser: same reading of its options."""
    from kpidesk.cli import app_options, build_parser

    assert app_options(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["-h"], ["--version"], ["--de"], ["--db"], ["--db", "-x"], ["kpi"], ["--", "x"],
     ["--demo", "today"], ["--db", "x", "extra"]],
)  # fmt: skip
def test_anything_else_goes_to_the_full_parser(argv):
    from kpidesk.cli import app_options

    assert app_options(argv) is None
