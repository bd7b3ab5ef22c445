"""The README's benchmark table is regenerated from latest.json without losing the rows of the
benchmarks latest.json does not hold (a worktree that ran only `make bench ARGS=import`)."""

from __future__ import annotations

from tests.benchmarks import table as generator


def _row(bench: str, name: str, median: float) -> dict:
    return {"bench": bench, "name": name, "median_ms": median, "baseline": "raw",
            "baseline_ms": 1.0, "ratio": median, "target": "< 2 s", "met": False}  # fmt: skip


README = f"""# kpidesk

## Benchmarks

{generator.START}
<!-- bench-rows: desktop:2026-11-30:2 import:2026-11-30:1 sync:2026-11-29:1 -->
Latest run (…):

| measure | median | baseline (same run) | ratio | target | met |
| --- | ---: | --- | ---: | --- | :---: |
| quick log | 74.08 ms | raw: 5.19 ms | 12.47× | < 30 ms | **no** |
| accounts search | 52.58 ms | filter: 1.73 ms | 27.53× | < 16 ms | **no** |
| import (typed by hand) | 7262.45 ms | raw: 545.28 ms | 13.32× | < 2 s | **no** |
| first sync | 42183.08 ms | raw: 11612.17 ms | 3.79× | <= 2.5× | **no** |
{generator.END}

After the table.
"""


def test_a_partial_run_replaces_only_its_benchmarks_rows():
    data = {"machine": "x86_64, 2 cores", "runs": {"import": "2026-12-02T05:00:00+00:00"},
            "results": [_row("import", "import 8,800 offers", 2231.0)]}  # fmt: skip
    new = generator.rewrite(README, generator.render(data, generator.shown(README)))
    body = new.split(generator.START)[1].split(generator.END)[0]
    rows = [line for line in body.splitlines() if line.startswith("|")][2:]
    assert [r.split(" | ")[0] for r in rows] == [
        "| quick log",
        "| accounts search",
        "| import 8,800 offers",
        "| first sync",
    ]
    assert "2231.00 ms" in rows[2] and "typed by hand" not in new
    assert "<!-- bench-rows: desktop:2026-11-30:2 import:2026-12-02:1 sync:2026-11-29:1 -->" in new
    assert "(2026-11-29 to 2026-12-02, x86_64, 2 cores)" in new
    assert new.endswith("After the table.\n")
    # regenerated again from the same latest.json, the README does not change
    assert generator.rewrite(new, generator.render(data, generator.shown(new))) == new


def test_a_table_without_its_rows_line_is_written_from_latest_json_alone():
    old = README.replace("<!-- bench-rows: desktop:2026-11-30:2 import:2026-11-30:1 "
                         "sync:2026-11-29:1 -->\n", "")  # fmt: skip
    data = {"runs": {"import": "2026-12-02T05:00:00+00:00"},
            "results": [_row("import", "import 8,800 offers", 2231.0)]}  # fmt: skip
    new = generator.rewrite(old, generator.render(data, generator.shown(old)))
    assert "quick log" not in new and "2231.00 ms" in new
