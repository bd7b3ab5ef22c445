"""Shared pieces of the benchmarks: the cached 5-year demo data set and timing helpers.

Run every benchmark with `make bench` (or `.venv/bin/python -m tests.benchmarks`). Each result
is compared with a baseline measured in the same run, because these machines are shared and
noisy: the ratio is what we track, the absolute time is for information.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
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
    name: str
    median_ms: float
    baseline: str
    baseline_ms: float
    target: str
    met: bool

    @property
    def ratio(self) -> float:
        return self.median_ms / self.baseline_ms if self.baseline_ms else float("inf")


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def table(results: list[Result]) -> str:
    lines = [
        "| measure | median | baseline (same run) | ratio | target | met |",
        "| --- | ---: | --- | ---: | --- | :---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.median_ms:.2f} ms | {r.baseline}: {r.baseline_ms:.2f} ms "
            f"| {r.ratio:.2f}× | {r.target} | {'yes' if r.met else '**no**'} |"
        )
    return "\n".join(lines)
