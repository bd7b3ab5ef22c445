"""`python -m tests.benchmarks.table`: put the table of latest.json in README.md.

The table goes between the `<!-- bench-table:start -->` and `<!-- bench-table:end -->` markers
of the README's Benchmarks section, in the order of `benchmark_names()` (rows of one benchmark
stay together), so the README never holds hand-copied figures. `--check` only says whether the
README is up to date (exit 1 when not).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tests.benchmarks.common import table
from tests.benchmarks.results import LATEST, load

README = Path(__file__).resolve().parents[2] / "README.md"
START = "<!-- bench-table:start -->"
END = "<!-- bench-table:end -->"


def render(data: dict) -> str:
    from tests.benchmarks.__main__ import benchmark_names

    order = {name: i for i, name in enumerate(benchmark_names())}
    rows = sorted(data["results"], key=lambda r: order.get(r.get("bench"), len(order)))
    runs = data.get("runs", {})
    dates = sorted({stamp[:10] for stamp in runs.values()})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}" if dates else "?"
    note = f"Latest run ({when}, {data.get('machine', '?')}); generated from `{_relative(LATEST)}`:"
    return f"{note}\n\n{table(rows)}"


def rewrite(text: str, body: str) -> str:
    if START not in text or END not in text:
        raise SystemExit(f"README.md has no {START} … {END} markers")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    return f"{head}{START}\n{body}\n{END}{tail}"


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(README.parent))
    except ValueError:
        return str(path)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.table", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is stale")
    args = parser.parse_args(argv)
    data = load()
    if not data["results"]:
        print(f"no results in {LATEST}: run `make bench` first", file=sys.stderr)
        return 1
    text = README.read_text(encoding="utf-8")
    new = rewrite(text, render(data))
    if args.check:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    print(f"README.md: table of {len(data['results'])} measures from {_relative(LATEST)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
