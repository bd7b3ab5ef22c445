"""Importing an 8,800-row offers file (preview included) against a raw ``sqlite3`` executemany
of the same rows, runs interleaved (A, B, A, B...), the median of the ratios reported.

Targets (DESIGN.md "Performance"): under 2 s, and no worse than 3× the raw insert. The raw
baseline reads the CSV with the standard library and inserts the offers and their accounts with
two ``executemany`` in one transaction: no checks, no outbox, no clocks.
"""

from __future__ import annotations

import csv
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import Result

ROWS = 8_800
TARGET_S = 2.0
TARGET_RATIO = 3.0


def offers_file(path: Path, rows: int = ROWS, seed: int = 1) -> Path:
    rng = random.Random(seed)
    lines = ["N° devis;Client;Montant HT;Statut;Date d'envoi;Date de décision;Commercial"]
    for i in range(rows):
        status = rng.choice(["Gagné", "Perdu", "En cours"])
        sent = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2025"
        decided = "" if status == "En cours" else f"{rng.randint(1, 28):02d}/01/2026"
        amount = f"{rng.randint(1, 99)} {rng.randint(0, 999):03d},00 €"
        lines.append(f"D-{i};Client {i % 900};{amount};{status};{sent};{decided};Jean")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def kpidesk_import(file: Path, folder: Path) -> float:
    from kpidesk.services.workspace import open_workspace

    workspace = open_workspace(folder / f"k{time.monotonic_ns()}.sqlite")
    try:
        start = time.perf_counter()
        source = workspace.importer.open(file)
        plan = workspace.importer.preview(source)
        workspace.importer.run(source, preview=plan)
        return time.perf_counter() - start
    finally:
        workspace.close()


def raw_import(file: Path, folder: Path) -> float:
    conn = sqlite3.connect(folder / f"r{time.monotonic_ns()}.sqlite")
    conn.executescript(
        "CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT UNIQUE);"
        "CREATE TABLE offer (reference TEXT, account TEXT, amount INTEGER, status TEXT,"
        " sent TEXT, decided TEXT, notes TEXT);"
    )
    start = time.perf_counter()
    with file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))[1:]
    offers = [
        (r[0], r[1], int(r[2].replace(" ", "").replace(",00€", "")) * 100, r[3], r[4], r[5], r[6])
        for r in rows
    ]
    with conn:
        conn.executemany("INSERT OR IGNORE INTO account (name) VALUES (?)",
                         [(r[1],) for r in rows])  # fmt: skip
        conn.executemany("INSERT INTO offer VALUES (?, ?, ?, ?, ?, ?, ?)", offers)
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _check(file: Path, folder: Path) -> None:
    """Before timing: kpidesk imports every row of the file, as the raw baseline does."""
    from kpidesk.services.workspace import open_workspace

    workspace = open_workspace(folder / "check.sqlite")
    try:
        source = workspace.importer.open(file)
        _written, plan = workspace.importer.run(source, preview=workspace.importer.preview(source))
        offers, accounts = plan.counts("offer").new, plan.counts("account").new
        if (offers, accounts) != (ROWS, 900) or plan.refusals:
            raise AssertionError(f"imported {offers} offers and {accounts} accounts")
    finally:
        workspace.close()


def measure(rounds: int = 5) -> tuple[list[float], list[float]]:
    """Paired samples in ms (kpidesk, raw), round i of each timed next to the other."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        file = offers_file(folder / "offres.csv")
        _check(file, folder)  # warm-up too: imports, caches, the file in the page cache
        mine, theirs = [], []
        for _round in range(rounds):
            mine.append(kpidesk_import(file, folder) * 1000)
            theirs.append(raw_import(file, folder) * 1000)
    return mine, theirs


def run() -> list[Result]:
    mine, theirs = measure()
    return [
        Result.of(f"import {ROWS:,} offers from .csv (preview included)", mine,
                  "raw sqlite3 executemany", theirs, "< 2 s and ≤ 3×",
                  lambda median_ms, ratio: median_ms < TARGET_S * 1000 and ratio <= TARGET_RATIO)
    ]  # fmt: skip


if __name__ == "__main__":
    mine, theirs = measure()
    ratio = statistics.median(a / b for a, b in zip(mine, theirs, strict=True))
    print(f"kpidesk {statistics.median(mine):.0f} ms, raw {statistics.median(theirs):.0f} ms,"
          f" median ratio {ratio:.1f}×")  # fmt: skip
