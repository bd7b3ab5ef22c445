"""Shared pieces of the benchmarks: the cached 5-year demo data set and timing helpers.

Run every benchmark with `make bench` (or `.venv/bin/python -m tests.benchmarks`). Each result
is compared with a baseline measured in the same run, because these machines are shared and
noisy: the ratio is what we track, the absolute time is for information.
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# A fixed end date keeps the data set (and the numbers) identical from run to run.
DEMO_END = date(2026, 11, 27)
CACHE = Path(os.environ.get("KPIDESK_BENCH_CACHE", Path.home() / ".cache" / "kpidesk-bench"))


def demo_database(years: int = 5, seed: int = 1) -> Path:
    """The demo data set for benchmarks, built once and cached (read-only use)."""
    from kpidesk.services.demo import create_demo_database

    path = CACHE / f"demo-{years}y-seed{seed}-{DEMO_END.isoformat()}.sqlite"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        create_demo_database(partial, years, seed, DEMO_END)
        partial.rename(path)
    return path


def writable_copy(source: Path, folder: Path) -> Path:
    target = folder / source.name
    shutil.copyfile(source, target)
    return target


def interleaved_ms(
    measure: Callable[[], object], baseline: Callable[[], object], rounds: int, warmup: int = 2
) -> tuple[list[float], list[float]]:
    """Samples of `measure` and `baseline`, timed alternately (A, B, A, B...).

    A busy moment on the shared machine then slows both sides of the same round, and the
    per-round ratio (see `Result.of`) cancels most of it; two separate loops would not.
    """
    for _ in range(warmup):
        measure()
        baseline()
    ours, theirs = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        measure()
        ours.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        baseline()
        theirs.append((time.perf_counter() - start) * 1000)
    return ours, theirs


def timings_ms(fn: Callable[[], object], repeat: int, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


@dataclass(frozen=True)
class Result:
    """One measure. `ratio` is the median of the per-round ratios when the rounds were paired
    (interleaved with the baseline), else the ratio of the medians."""

    name: str
    median_ms: float
    baseline: str
    baseline_ms: float
    target: str
    met: bool
    ratio: float = field(default=math.nan)
    paired: bool = False  # True: `ratio` is a median of per-round ratios
    unit: str = "ms"  # what median_ms and baseline_ms count (a memory measure: "MB")

    def __post_init__(self) -> None:
        if math.isnan(self.ratio):
            quotient = self.median_ms / self.baseline_ms if self.baseline_ms else math.inf
            object.__setattr__(self, "ratio", quotient)

    @classmethod
    def of(
        cls,
        name: str,
        ours: list[float],
        baseline: str,
        theirs: list[float],
        target: str,
        met: Callable[[float, float], bool],
        unit: str = "ms",
    ) -> Result:
        """A result from paired samples (round i of `ours` ran next to round i of `theirs`);
        `met(median_ms, ratio)` says whether the target holds."""
        ratio = statistics.median(a / b for a, b in zip(ours, theirs, strict=True) if b > 0)
        mine = statistics.median(ours)
        return cls(name, mine, baseline, statistics.median(theirs), target, met(mine, ratio),
                   ratio, paired=True, unit=unit)  # fmt: skip

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "median_ms": round(self.median_ms, 3),
            "baseline": self.baseline,
            "baseline_ms": round(self.baseline_ms, 3),
            "ratio": round(self.ratio, 3) if math.isfinite(self.ratio) else None,
            "paired": self.paired,
            "target": self.target,
            "met": self.met,
            "unit": self.unit,
        }


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def table(rows: list[dict]) -> str:
    """The markdown table of results (each as `Result.as_json`, so latest.json can be re-read)."""
    lines = [
        "| measure | median | baseline (same run) | ratio | target | met |",
        "| --- | ---: | --- | ---: | --- | :---: |",
    ]
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        unit = r.get("unit", "ms")  # rows written before units existed are times
        lines.append(
            f"| {r['name']} | {r['median_ms']:.2f} {unit} | {r['baseline']}: "
            f"{r['baseline_ms']:.2f} {unit} "
            f"| {ratio} | {r['target']} | {'yes' if r['met'] else '**no**'} |"
        )
    return "\n".join(lines)
