"""Benchmark: every indicator of one period (with the previous period and the year before) on
the 5-year demo data set, against a hand-written raw ``sqlite3`` computation of the same numbers,
measured side by side in the same run (DESIGN.md, "Performance").

Run it from the project folder (it is not collected by ``make test``)::

    .venv/bin/python tests/benchmarks/bench_kpis.py            # 60 rounds per period kind
    .venv/bin/python tests/benchmarks/bench_kpis.py --rounds 200

The data set is built once (``kpidesk demo --years 5 --seed 1 --end 2026-06-30``) into the user
cache folder and reused. The targets: under 25 ms, and within 1.3x of raw sqlite3.
Before timing, the numbers of both sides are compared: a fast wrong answer does not count.
"""

from __future__ import annotations

import argparse
import gc
import math
import sqlite3
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import platformdirs

from kpidesk.domain.periods import Period, one_year_before, period_containing
from kpidesk.services.demo import create_demo_database
from kpidesk.services.kpis import KpiService
from kpidesk.store.database import open_database
from tests.benchmarks.common import Result

END = date(2026, 6, 30)
TZ = ZoneInfo("Europe/Paris")
AT = date(2025, 11, 12)  # the periods containing this day, and those before, are complete
KINDS = ("week", "month", "quarter", "year")
TARGET_MS = 25.0
TARGET_RATIO = 1.3


def dataset() -> Path:
    folder = Path(platformdirs.user_cache_dir("kpidesk", appauthor=False)) / "bench"
    path = folder / f"demo-5y-seed1-{END.isoformat()}.sqlite"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        print(f"building the 5-year demo data set in {path} ...", file=sys.stderr)
        create_demo_database(path, 5, 1, END)
    return path


# -- the baseline: plain sqlite3, aggregates only ---------------------------------------------


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


FIRST_WINS = """
  SELECT o.account_id AS account_id, max(a.source = 'referral') AS referral
  FROM offer o JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
  WHERE o.status = 'won' AND o.decided_at >= :s AND o.decided_at < :e AND o.cl % 2 = 1
    AND o.owner_id = :me
    AND NOT EXISTS (SELECT 1 FROM offer p WHERE p.account_id = o.account_id
                    AND p.status = 'won' AND p.cl % 2 = 1 AND p.decided_at < o.decided_at)
  GROUP BY o.account_id
"""

RAW_PERIOD = {
    "activities": """
        SELECT sum(kind = 'visit'), sum(kind = 'visit' AND purpose = 'prospecting'),
               sum(kind = 'call'), sum(purpose = 'follow_up')
        FROM activity WHERE done_at >= :s AND done_at < :e AND cl % 2 = 1
          AND owner_id = :me""",
    "sent": """
        SELECT count(*) FROM offer
        WHERE sent_at >= :s AND sent_at < :e AND status != 'draft' AND cl % 2 = 1
          AND owner_id = :me""",
    "decided": """
        SELECT count(*), sum(status = 'won'),
               sum(CASE WHEN status = 'won' AND currency = :cur THEN 1 END),
               sum(CASE WHEN status = 'won' AND currency = :cur THEN amount_cents END),
               sum(CASE WHEN status = 'won' AND currency = :cur THEN margin_cents END),
               avg(CASE WHEN status = 'won' AND sent_at IS NOT NULL
                        THEN julianday(decided_at) - julianday(sent_at) END)
        FROM offer WHERE decided_at >= :s AND decided_at < :e
          AND status IN ('won', 'lost', 'abandoned') AND cl % 2 = 1 AND owner_id = :me""",
    "new_prospects": """
        SELECT count(*) FROM account WHERE created_at >= :s AND created_at < :e
          AND created_status IN ('suspect', 'prospect') AND cl % 2 = 1 AND owner_id = :me""",
    "new_clients": f"SELECT count(*), sum(referral) FROM ({FIRST_WINS})",
    "active_start": """
        SELECT count(DISTINCT o.account_id)
        FROM offer o JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
        WHERE o.status = 'won' AND o.decided_at >= :s12 AND o.decided_at < :s
          AND o.cl % 2 = 1 AND o.owner_id = :me""",
    "kept": f"""
        SELECT count(DISTINCT o.account_id)
        FROM offer o JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
        WHERE o.status = 'won' AND o.decided_at >= :t12 AND o.decided_at < :t
          AND o.cl % 2 = 1 AND o.owner_id = :me
          AND o.account_id NOT IN (SELECT account_id FROM ({FIRST_WINS}))""",
    "follow_up": """
        SELECT count(*), sum(
          coalesce(decided_at >= sent_at AND decided_at < window_end, 0)
          OR EXISTS (SELECT 1 FROM activity f WHERE f.offer_id = o.id
                     AND f.purpose = 'follow_up' AND f.cl % 2 = 1 AND f.owner_id = :me
                     AND f.done_at >= o.sent_at AND f.done_at < o.window_end)
          OR EXISTS (SELECT 1 FROM activity f WHERE f.account_id = o.account_id
                     AND f.purpose = 'follow_up' AND f.cl % 2 = 1 AND f.owner_id = :me
                     AND f.done_at >= o.sent_at AND f.done_at < o.window_end))
        FROM (SELECT id, account_id, sent_at, decided_at,
                     date(substr(sent_at, 1, 10), '+7 days') || substr(sent_at, 11) AS window_end
              FROM offer WHERE sent_at >= :s AND sent_at < :e AND sent_at <= :t7
                AND status != 'draft' AND cl % 2 = 1 AND owner_id = :me) o""",
    "open": """
        SELECT count(*),
               sum(CASE WHEN last_done > sent_at THEN last_done ELSE sent_at END < :stale),
               sum(currency = :cur),
               sum(CASE WHEN currency = :cur THEN amount_cents END),
               sum(CASE WHEN currency = :cur THEN amount_cents * coalesce(probability,
                 CASE temperature WHEN 'hot' THEN :hot WHEN 'warm' THEN :warm ELSE :cold END)
               END)
        FROM (SELECT o.amount_cents, o.probability, o.sent_at, o.currency, a.temperature,
                (SELECT max(x.done_at) FROM activity x WHERE x.offer_id = o.id
                 AND x.done_at < :t AND x.cl % 2 = 1 AND x.owner_id = :me) AS last_done
              FROM offer o LEFT JOIN account a ON a.id = o.account_id AND a.cl % 2 = 1
              WHERE (o.decided_at IS NULL OR o.decided_at >= :t) AND +o.sent_at < :t
                AND o.status != 'draft' AND o.cl % 2 = 1 AND o.owner_id = :me)""",
    "hot": """
        SELECT count(*) FROM account a
        WHERE a.temperature = 'hot' AND a.created_at < :t AND a.cl % 2 = 1 AND a.owner_id = :me
          AND (a.status = 'prospect'
            OR (a.status IN ('client', 'former') AND a.created_status IN ('suspect', 'prospect')
              AND NOT EXISTS (SELECT 1 FROM offer w WHERE w.account_id = a.id
                              AND w.status = 'won' AND w.cl % 2 = 1 AND w.decided_at < :t)
              AND EXISTS (SELECT 1 FROM offer w WHERE w.account_id = a.id
                          AND w.status = 'won' AND w.cl % 2 = 1 AND w.decided_at >= :t)
              AND (a.created_status = 'prospect'
                OR EXISTS (SELECT 1 FROM offer s WHERE s.account_id = a.id
                           AND s.status != 'draft' AND s.cl % 2 = 1 AND s.sent_at < :t))))""",
}


def _me(conn: sqlite3.Connection) -> str:
    """The signed-in user, whose records kpidesk counts (`owner_id = :me`, as the store does)."""
    row = conn.execute("SELECT value FROM local_meta WHERE key = 'owner_id'").fetchone()
    return row[0] if row else ""


def raw_period(conn: sqlite3.Connection, period: Period, as_of: datetime) -> dict:
    p = {
        "me": _me(conn),
        "s": _ts(period.start),
        "e": _ts(period.end),
        "t": _ts(as_of),
        "s12": _ts(one_year_before(period.start, TZ)),
        "t12": _ts(one_year_before(as_of, TZ)),
        "t7": _ts(as_of - timedelta(days=7)),
        "stale": _ts(as_of - timedelta(days=14)),
        "cur": "EUR",
        "hot": 0.6,
        "warm": 0.3,
        "cold": 0.1,
    }

    def one(name: str) -> tuple:
        sql = RAW_PERIOD[name]
        return conn.execute(sql, {k: v for k, v in p.items() if f":{k}" in sql}).fetchone()

    visits, prospecting, calls, follow_ups = (x or 0 for x in one("activities"))
    (sent,) = one("sent")
    decided, won, won_eur, revenue, margin, cycle = one("decided")
    won, won_eur, revenue = won or 0, won_eur or 0, revenue or 0
    margin = margin if won_eur else 0  # SQL's NULL sum: offers won, no margin known (KPIS.md)
    (new_prospects,) = one("new_prospects")
    new_clients, referred = one("new_clients")
    (active_start,) = one("active_start")
    (kept,) = one("kept")
    eligible, followed = one("follow_up")
    _, stale, open_eur, pipeline, weighted = one("open")
    (hot,) = one("hot")

    def share(k, n):
        return k / n if n else None

    average = revenue / won_eur if won_eur else None
    conversion = share(won, decided)
    velocity = None
    if average is not None and conversion and cycle:
        velocity = math.floor((open_eur or 0) * average * conversion / cycle + 0.5)
    return {
        "visits": visits,
        "visits.prospecting": prospecting or 0,
        "calls": calls,
        "follow_ups": follow_ups,
        "offers_sent": sent,
        "new_prospects": new_prospects,
        "new_clients": new_clients,
        "revenue": revenue,
        "margin": margin,
        "margin_rate": share(margin, revenue),
        "average_deal": None if average is None else math.floor(average + 0.5),
        "pipeline_value": pipeline or 0,
        "weighted_pipeline": math.floor((weighted or 0) + 0.5),
        "conversion": conversion,
        "visit_to_offer": share(sent, visits),
        "follow_up_rate": share(followed or 0, eligible),
        "retention": share(kept, active_start),
        "recommendation": share(referred or 0, new_clients),
        "hot_prospects": hot,
        "stale_offers": stale or 0,
        "sales_cycle": cycle,
        "pipeline_velocity": velocity,
    }


def raw_report(conn: sqlite3.Connection, period: Period, now: datetime) -> list[dict]:
    conn.execute("BEGIN")
    try:
        return [
            raw_period(conn, p, min(p.end, max(p.start, now)))
            for p in (period, period.previous(), period.year_ago())
        ]
    finally:
        conn.execute("COMMIT")


# -- comparison and timing ----------------------------------------------------------------------


def kpidesk_numbers(report) -> list[dict]:
    out = []
    for attr in ("current", "previous", "year_ago"):
        numbers = {r.key: getattr(r, attr).value for r in report}
        numbers["visits.prospecting"] = getattr(report["visits"], attr).part("prospecting").value
        out.append(numbers)
    return out


def same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1.0 if abs(a) > 100 else 1e-9)
    return abs(a - b) <= 1  # weighted pipeline: float sums in another order may round apart


def check(ours: list[dict], raw: list[dict], label: str) -> None:
    for which, mine, theirs in zip(("current", "previous", "year ago"), ours, raw, strict=True):
        for key, value in theirs.items():
            if not same(mine[key], value):
                raise SystemExit(f"{label} {which} {key}: kpidesk {mine[key]!r} != raw {value!r}")


def measure(rounds: int) -> list[tuple[str, str, list[float], list[float]]]:
    """(period kind, period, kpidesk samples ms, raw sqlite3 samples ms) for each kind; round i
    of one side ran right after round i of the other."""
    path = dataset()
    db = open_database(path)  # migrates a cached file built by an older kpidesk
    now = datetime.combine(END, datetime.min.time(), TZ).astimezone(UTC)
    service = KpiService(db, TZ, clock=lambda: now)
    raw = sqlite3.connect(path, isolation_level=None)
    rows = []
    for kind in KINDS:
        period = period_containing(kind, AT, TZ)
        check(kpidesk_numbers(service.compute(period)), raw_report(raw, period, now), kind)
        ours: list[float] = []
        theirs: list[float] = []
        gc.collect()
        for _ in range(rounds):  # interleaved, so both sides see the same machine
            start = time.perf_counter()
            service.compute(period)
            ours.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw_report(raw, period, now)
            theirs.append(time.perf_counter() - start)
        rows.append((kind, str(period), [x * 1000 for x in ours], [x * 1000 for x in theirs]))
    raw.close()
    db.close()
    return rows


def run() -> list[Result]:
    """For `make bench` (python -m tests.benchmarks)."""
    return [
        Result.of(f"all indicators of a {kind}, with previous and year ago", mine, "raw sqlite3",
                  theirs, f"< {TARGET_MS:.0f} ms and ≤ {TARGET_RATIO}×",
                  lambda ms, ratio: ms < TARGET_MS and ratio <= TARGET_RATIO)
        for kind, _label, mine, theirs in measure(40)
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    rows = measure(args.rounds)
    print(
        "All indicators of one period, with the previous period and the year before"
        f" ({args.rounds} rounds, medians):\n"
    )
    print(
        "| period | kpidesk `KpiService.compute` | raw `sqlite3` | ratio"
        f" | under {TARGET_MS:.0f} ms | within {TARGET_RATIO}x |"
    )
    print("| --- | ---: | ---: | ---: | :---: | :---: |")
    failed = False
    for kind, label, ours, raw in rows:
        mine, theirs = statistics.median(ours), statistics.median(raw)
        ratio = statistics.median(a / b for a, b in zip(ours, raw, strict=True))
        fast, close = mine < TARGET_MS, ratio <= TARGET_RATIO
        failed |= not (fast and close)
        print(
            f"| {kind} ({label}) | {mine:.2f} ms | {theirs:.2f} ms | {ratio:.2f} |"
            f" {'yes' if fast else 'NO'} | {'yes' if close else 'NO'} |"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
