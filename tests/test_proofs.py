"""The README's durability and security figures: counted from what the marked tests did."""

from __future__ import annotations

import json
import os
import textwrap

import pytest

from tests import proofs

pytest_plugins = ["pytester"]


def _case(figure: str, count: int, passed: bool, at: str = "2026-12-01T10:00:00+00:00") -> dict:
    return {"figure": figure, "count": count, "passed": passed, "at": at}


def test_totals_add_the_cases_and_count_failed_ones_as_failures():
    cases = {
        "tests/server/test_crash.py::test_kill_9_loses_nothing_reported_saved[sqlite]":
            _case("kills", 50, True),
        "tests/server/test_attacks_http.py::a[sqlite]": _case("attacks", 1, True),
        "tests/server/test_attacks_http.py::a[postgresql]": _case("attacks", 1, False,
                                                                   "2026-12-02T09:00:00+00:00"),
        "tests/gone_since.py::test_x": _case("attacks", 7, True),  # its file was removed
    }  # fmt: skip
    found = proofs.totals(cases)
    assert found["kills"] == {"tried": 50, "failed": 0, "cases": 1, "dates": {"2026-12-01"}}
    assert found["attacks"] == {"tried": 2, "failed": 1, "cases": 2,
                                "dates": {"2026-12-01", "2026-12-02"}}  # fmt: skip
    table = proofs.render(cases)
    assert (
        "| SIGKILLs of a laptop writing and syncing with a real server | 50 | 0 | a write" in table
    )
    assert "| 2 | 1 | an attack that worked | 2 | 2026-12-01 to 2026-12-02 |" in table
    assert "Schemathesis, all checks) | not run |" in table  # never a figure made up


def test_the_block_is_replaced_between_its_markers_only():
    text = f"before\n{proofs.START}\nold table\n{proofs.END}\nafter\n"
    assert proofs.rewrite(text, "new") == f"before\n{proofs.START}\nnew\n{proofs.END}\nafter\n"
    with pytest.raises(SystemExit):
        proofs.rewrite("no markers", "new")


MARKED = textwrap.dedent("""
        import pytest

        pytestmark = pytest.mark.proof("attacks")

        @pytest.mark.parametrize("n", [1, 2, 3])
        def test_attack(n):
            assert n != 3

        def test_skipped():
            pytest.skip("no server here")

        @pytest.mark.proof(None)
        def test_legitimate_use():
            pass

        @pytest.mark.proof("kills")
        def test_kills(proof):
            proof(40)
            proof(2)
    """)


def test_a_run_counts_marked_cases_by_their_outcome(pytester, monkeypatch, tmp_path):
    """A real pytest run with the plugin: passed, failed, skipped and opted-out cases."""
    results = tmp_path / "proofs.json"
    monkeypatch.setattr(proofs, "RESULTS", results)
    pytester.makepyfile(test_marked=MARKED)
    # The plugin object itself (not its name): the run is in this process, RESULTS patched.
    pytester.runpytest_inprocess("-p", "no:cacheprovider", plugins=[proofs])
    cases = proofs.load(results)
    by_test = {nodeid.split("::", 1)[1]: case for nodeid, case in cases.items()}
    assert sorted(by_test) == ["test_attack[1]", "test_attack[2]", "test_attack[3]", "test_kills"]
    assert [by_test[f"test_attack[{n}]"]["passed"] for n in (1, 2, 3)] == [True, True, False]
    assert by_test["test_kills"] == {**by_test["test_kills"], "figure": "kills", "count": 42,
                                     "passed": True}  # fmt: skip


def _results_in(monkeypatch, results) -> None:
    """A pytest started by a test writes its figures to ``results``, and its workers import
    the plugin (``-p tests.proofs``) from this repository."""
    monkeypatch.setenv("KPIDESK_PROOFS_RESULTS", str(results))
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(proofs.ROOT), os.environ.get("PYTHONPATH", "")])
    )


def test_parallel_workers_count_every_case_once(pytester, monkeypatch, tmp_path):
    """With pytest-xdist (make test runs two workers) the controller writes the file: each
    worker writing its own cases would leave only the last one's."""
    results = tmp_path / "proofs.json"
    pytester.makepyfile(test_marked=MARKED)
    # Whoever saves waits (up to 2 s) after reading the file until a second process has read
    # it too: two writers then each write back only what they read plus their own cases.
    pytester.makeconftest(
        textwrap.dedent("""
        import os, pathlib, time
        from tests import proofs

        read = proofs.load

        def load_then_wait(path=None):
            found = read(path)
            waiting = pathlib.Path(os.environ["PROOFS_BARRIER"])
            (waiting / str(os.getpid())).touch()
            deadline = time.monotonic() + 2
            while len(list(waiting.iterdir())) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            return found

        proofs.load = load_then_wait
    """)
    )
    (tmp_path / "barrier").mkdir()
    monkeypatch.setenv("PROOFS_BARRIER", str(tmp_path / "barrier"))
    _results_in(monkeypatch, results)
    run = pytester.runpytest_subprocess("-p", "tests.proofs", "-p", "no:cacheprovider",
                                        "-n", "2", "--dist", "load")  # fmt: skip
    run.assert_outcomes(passed=4, failed=1, skipped=1)
    cases = json.loads(results.read_text(encoding="utf-8"))["cases"]
    assert sorted(nodeid.split("::", 1)[1] for nodeid in cases) == [
        "test_attack[1]",
        "test_attack[2]",
        "test_attack[3]",
        "test_kills",
    ]
    assert cases["test_marked.py::test_kills"]["count"] == 42


def test_a_case_whose_worker_died_loses_what_an_earlier_run_said(pytester, monkeypatch, tmp_path):
    results = tmp_path / "proofs.json"
    dies = "test_dies.py::test_attack_that_kills_its_worker"
    proofs.save({dies: {"figure": "attacks", "count": 1, "passed": True,
                        "at": "2026-12-01T10:00:00+00:00"}}, results)  # fmt: skip
    pytester.makepyfile(
        test_dies=textwrap.dedent("""
        import os
        import pytest

        @pytest.mark.proof("attacks")
        def test_attack_that_kills_its_worker():
            os._exit(1)
    """)
    )
    _results_in(monkeypatch, results)
    run = pytester.runpytest_subprocess("-p", "tests.proofs", "-p", "no:cacheprovider", "-n", "1")
    run.assert_outcomes(failed=1)
    assert dies not in proofs.load(results)  # not the pass of 1 December standing for today
