"""tests/benchmarks/results/latest.json: the figures of the latest `make bench`.

Running a subset (`make bench ARGS=sync`) replaces only that benchmark's rows, so the file (and
the README table made from it) always holds the latest figure of every measure. The folder is
ignored by git: a figure belongs in the README, with its date, only when someone puts it there.
"""

from __future__ import annotations

import json
import platform
from datetime import UTC, datetime
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "results"
LATEST = FOLDER / "latest.json"


def load(path: Path = LATEST) -> dict:
    if not path.exists():
        return {"results": []}
    return json.loads(path.read_text(encoding="utf-8"))


def save(benchmarks: list[str], rows: list[dict], path: Path = LATEST) -> Path:
    """Replace the rows of `benchmarks` with `rows`, keeping every other benchmark's rows."""
    previous = load(path)
    kept = [r for r in previous.get("results", []) if r.get("bench") not in benchmarks]
    now = datetime.now(UTC).isoformat(timespec="seconds")
    runs = {**previous.get("runs", {}), **dict.fromkeys(benchmarks, now)}
    data = {
        "machine": f"{platform.machine()}, {_cores()} cores, Python {platform.python_version()}",
        "runs": runs,  # when each benchmark last ran
        "results": kept + rows,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(path)
    return path


def _cores() -> int:
    import os

    return os.cpu_count() or 1
