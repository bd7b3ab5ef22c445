"""`python -m tests.benchmarks.table`: put the table of latest.json in README.md.

The table goes between the `<!-- bench-table:start -->` and `<!-- bench-table:end -->` markers
of the README's Benchmarks section, in the order of `benchmark_names()` (rows of one benchmark
stay together), so the README never holds hand-copied figures. `--check` only says whether the
README is up to date (exit 1 when not).

latest.json is not in git, so a fresh clone (or another engineer's worktree) holds only the
benchmarks it ran. A benchmark missing from it keeps the rows the README already shows, with
their day: the hidden `<!-- bench-rows: … -->` line under the markers says which rows are whose
(``name:day:count``, in table order). Regenerating after `make bench ARGS=import` replaces the
import rows only.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from tests.benchmarks.common import table
from tests.benchmarks.results import LATEST, load

README = Path(__file__).resolve().parents[2] / "README.md"
START = "<!-- bench-table:start -->"
END = "<!-- bench-table:end -->"
ROWS_NOTE = re.compile(r"<!-- bench-rows: ([^>]*) -->")


def shown(text: str) -> dict[str, tuple[str, list[str]]]:
    """The rows the README's table shows now, per benchmark: (day of its run, table lines);
    empty when the table carries no bench-rows line (then only latest.json is written)."""
    if START not in text or END not in text:
        return {}
    body = text.split(START, 1)[1].split(END, 1)[0]
    note = ROWS_NOTE.search(body)
    if note is None:
        return {}
    lines = [line for line in body.splitlines() if line.startswith("|")][2:]  # no header
    out: dict[str, tuple[str, list[str]]] = {}
    for entry in note.group(1).split():
        name, day, count = entry.rsplit(":", 2)
        out[name], lines = (day, lines[: int(count)]), lines[int(count) :]
    return out


def render(data: dict, kept: dict[str, tuple[str, list[str]]] | None = None) -> str:
    """The table of latest.json, with the ``kept`` rows (see :func:`shown`) of every benchmark
    latest.json does not hold."""
    from tests.benchmarks.__main__ import benchmark_names

    runs = data.get("runs", {})
    fresh: dict[str, list[dict]] = {}
    for row in data["results"]:
        fresh.setdefault(row.get("bench", "?"), []).append(row)
    groups = {name: (runs.get(name, "?")[:10], table(rows).splitlines()[2:])
              for name, rows in fresh.items()}  # fmt: skip
    groups = {**{k: v for k, v in (kept or {}).items() if k not in fresh}, **groups}
    order = {name: i for i, name in enumerate(benchmark_names())}
    names = sorted(groups, key=lambda n: (order.get(n, len(order)), n))
    dates = sorted({groups[n][0] for n in names})
    when = dates[0] if len(dates) == 1 else f"{dates[0]} to {dates[-1]}" if dates else "?"
    note = f"Latest run ({when}, {data.get('machine', '?')}); generated from `{_relative(LATEST)}`"
    if set(names) - set(fresh):
        note += " and, for the benchmarks it does not hold, the rows of the previous table"
    rows_note = " ".join(f"{n}:{groups[n][0]}:{len(groups[n][1])}" for n in names)
    lines = [*table([]).splitlines(), *(line for n in names for line in groups[n][1])]
    return f"<!-- bench-rows: {rows_note} -->\n{note}:\n\n" + "\n".join(lines)


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
    new = rewrite(text, render(data, shown(text)))
    if args.check:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    print(f"README.md: table of {len(data['results'])} measures from {_relative(LATEST)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
