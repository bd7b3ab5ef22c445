"""The README's durability and security figures, counted by the tests that perform them.

A test (or a whole module, with ``pytestmark``) marked ``@pytest.mark.proof("attacks")`` adds to
that figure: one per test case, or the number it reports with the ``proof`` fixture
(``proof(kills)``: the crash test's kills, Schemathesis' requests); ``proof(None)`` on a test of
a marked module leaves it out (a check of legitimate use beside the attacks). A case that passed
counts as
tried with no failure; one that failed counts its number as failures. Each run writes what it
saw to tests/results/proofs.json (ignored by git), case by case, so a partial run refreshes only
its own cases; ``python -m tests.proofs`` puts the totals in README.md between the
``<!-- proofs:start -->`` and ``<!-- proofs:end -->`` markers (``--check``: exit 1 if stale), so
the README never holds a hand-typed figure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# KPIDESK_PROOFS_RESULTS: elsewhere, for tests/test_proofs.py's own runs of pytest.
_OWN_RESULTS = ROOT / "tests" / "results" / "proofs.json"
RESULTS = Path(os.environ.get("KPIDESK_PROOFS_RESULTS") or _OWN_RESULTS)
README = ROOT / "README.md"
START = "<!-- proofs:start -->"
END = "<!-- proofs:end -->"

# figure -> (what one unit is, what a failure would have been), in the README's order.
FIGURES: dict[str, tuple[str, str]] = {
    "kills": ("SIGKILLs of a laptop writing and syncing with a real server",
              "a write reported as saved lost, a damaged file, a sync that did not converge"),
    "attacks": ("attacks on a real server, SQLite and PostgreSQL",
                "an attack that worked"),
    "hostile": ("generated valid and invalid requests (Schemathesis, all checks)",
                "a 5xx, or an answer the API's schema does not allow"),
    "files": ("hostile or odd files opened by the laptop (calendars, damaged databases)",
              "a traceback, a wrong reading, a change to the database"),
}  # fmt: skip

_PROPERTY = "proof_count"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "proof(figure): this test counts in a README figure")
    config.stash[_SEEN] = {}
    config.pluginmanager.register(_Collector(config.stash[_SEEN]))


_SEEN = pytest.StashKey[dict[str, dict | None]]()


@pytest.fixture
def proof(request: pytest.FixtureRequest) -> Callable[[int], None]:
    """``proof(n)``: this case tried n of its figure's units (default: 1)."""

    def report(count: int) -> None:
        request.node.user_properties.append((_PROPERTY, count))

    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    marker = item.get_closest_marker("proof")
    if marker is None or report.when not in ("setup", "call"):
        return report
    if report.when == "setup" and report.passed:
        return report  # counted after the call
    if report.skipped:
        return report  # not tried: no figure
    figure = marker.args[0]
    if figure is None:  # ``proof(None)``: a check beside the attacks, not one of them
        return report
    if figure not in FIGURES:
        raise pytest.UsageError(f"{item.nodeid}: unknown proof figure {figure!r}")
    counts = [v for k, v in item.user_properties if k == _PROPERTY]
    # On the report, not in this process's memory: with pytest-xdist the reports reach the
    # controlling process, the one that writes the file (two workers writing it would each
    # keep only its own cases). A new list: the report's is the test item's own.
    report.user_properties = [*report.user_properties, (_CASE, {
        "figure": figure,
        "count": sum(counts) if counts else 1,
        "passed": report.passed,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    })]  # fmt: skip
    return report


_CASE = "proof_case"


class _Collector:
    """Each run's own (a test runs pytest inside pytest): the cases its reports carry."""

    def __init__(self, seen: dict[str, dict | None]) -> None:
        self.seen = seen

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        case = next((case for key, case in report.user_properties if key == _CASE), None)
        if case is not None:
            self.seen[report.nodeid] = case
        elif report.failed and report.nodeid not in self.seen:
            # Perhaps a marked test whose worker died: the report pytest-xdist makes then
            # carries no case, nor the test's marks. What an earlier run said of it must not
            # stand for this one (for a test of no figure, there is nothing to forget).
            self.seen[report.nodeid] = None


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput"):
        return  # a pytest-xdist worker: its cases went to the controller with its reports
    seen = session.config.stash.get(_SEEN, {})
    if seen:
        save(seen)


def load(path: Path | None = None) -> dict[str, dict]:
    path = path or RESULTS  # looked up at each call: a test points it elsewhere
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("cases", {})


def save(seen: dict[str, dict | None], path: Path | None = None) -> None:
    """Replace the cases of this run, keep the others (a partial run refreshes only its own);
    a case seen as None (its worker died) is dropped."""
    path = path or RESULTS
    cases = {k: v for k, v in {**load(path), **seen}.items() if v is not None}
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps({"cases": cases}, indent=1, sort_keys=True) + "\n", "utf-8")
    partial.replace(path)


def totals(cases: dict[str, dict]) -> dict[str, dict]:
    """Per figure: units tried, units failed, test cases, the dates of the runs. A case whose
    test file is gone no longer counts."""
    found: dict[str, dict] = {}
    for nodeid, case in cases.items():
        if not (ROOT / nodeid.split("::", 1)[0]).exists():
            continue
        figure = found.setdefault(case["figure"], {"tried": 0, "failed": 0, "cases": 0,
                                                   "dates": set()})  # fmt: skip
        figure["tried"] += case["count"]
        figure["failed"] += 0 if case["passed"] else case["count"]
        figure["cases"] += 1
        figure["dates"].add(case["at"][:10])
    return found


def render(cases: dict[str, dict]) -> str:
    found = totals(cases)
    rows = ["| tried | how many | failures | a failure would be | test cases | last run |",
            "| --- | ---: | ---: | --- | ---: | --- |"]  # fmt: skip
    for name, (unit, failure) in FIGURES.items():
        figure = found.get(name)
        if figure is None:
            rows.append(f"| {unit} | not run | | {failure} | | |")
            continue
        dates = sorted(figure["dates"])
        when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}"
        rows.append(f"| {unit} | {figure['tried']:,} | {figure['failed']} | {failure} "
                    f"| {figure['cases']} | {when} |")  # fmt: skip
    note = (f"Counted by the tests themselves into `{RESULTS.relative_to(ROOT)}`; this table"
            " is written from it by `python -m tests.proofs`:")  # fmt: skip
    return note + "\n\n" + "\n".join(rows)


def rewrite(text: str, body: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{body}\n{END}{tail}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.proofs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is stale")
    args = parser.parse_args(argv)
    cases = load()
    if not cases:
        print(f"no results in {RESULTS}: run the tests first (make test)", file=sys.stderr)
        return 1
    text = README.read_text(encoding="utf-8")
    new = rewrite(text, render(cases))
    if args.check:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    print(f"README.md: the figures of {len(cases)} test cases from {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
