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


def measure(rounds: int = 3) -> tuple[float, float, float]:
    """(median kpidesk seconds, median raw seconds, median of the per-round ratios)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        file = offers_file(folder / "offres.csv")
        mine, theirs, ratios = [], [], []
        for _round in range(rounds):
            a = kpidesk_import(file, folder)
            b = raw_import(file, folder)
            mine.append(a)
            theirs.append(b)
            ratios.append(a / b)
    return statistics.median(mine), statistics.median(theirs), statistics.median(ratios)


def run() -> list[Result]:
    mine, theirs, ratio = measure()
    return [
        Result(f"import {ROWS:,} offers (preview included); ratio {ratio:.0f}×", mine * 1000,
               "raw sqlite3 executemany", theirs * 1000, "< 2 s and ≤ 3×",
               mine < TARGET_S and ratio <= TARGET_RATIO)
    ]  # fmt: skip


if __name__ == "__main__":
    mine, theirs, ratio = measure()
    print(f"kpidesk {mine:.2f} s, raw {theirs:.3f} s, median ratio {ratio:.1f}×")
