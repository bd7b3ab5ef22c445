"""How many simulated devices one server on PostgreSQL (2 workers) holds: a search.

Needs KPIDESK_TEST_POSTGRES_URL (a role that may create databases, as .ci/run sets up); without
it `make bench` skips this one. Each trial gets a throwaway database with N/2 reps of two
devices each; `kpidesk-server serve --workers 2` runs on it. Each device then syncs every 2.5 to
7.5 s (5 s on average) for ROUNDS rounds, sending one to three new or changed records with real
mutation ids and clock stamps, and pulling what changed; a refused change counts as an error.
The load generator runs on the same machine. Baseline in the same trial: /v1/health under the
same load. A trial holds when there is no error and the syncs' p99 is under 250 ms.

The search starts at START devices and doubles while trials hold; after the first that fails it
bisects between the last that held and it, until they are within 10% of each other or the time
budget is spent. The answer is the largest N that held, with what it means in reps: N devices
syncing every 5 s make N/5 syncs a second, the load of 60 N laptops syncing every 5 minutes.
`python -m tests.benchmarks.bench_sync_load --budget 900 --start 200` runs it alone.
"""

from __future__ import annotations

import asyncio
import gc
import gzip
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx
import sqlalchemy as sa

from kpidesk.records.wire import SPECS
from tests.benchmarks.bench_server_auth import drop_database, make_database
from tests.benchmarks.common import Result
from tests.server.test_serve import serving

ROUNDS = 8
PACE_SECONDS = 5.0  # the mean pause between two syncs of one device (2.5 to 7.5 s)
P99_LIMIT_MS = 250.0
START = 200  # devices in the first trial (DESIGN.md's target: 200 at once)
BUDGET_S = 900.0  # the search stops bisecting once this is spent (a trial takes about a minute)
REAL_SYNC_S = 300.0  # a real laptop syncs about every 5 minutes
DESIGN_TARGET = 200


def reps_for(devices: int) -> int:
    """How many laptops syncing every 5 minutes make the load of ``devices`` syncing every 5 s."""
    return round(devices * REAL_SYNC_S / PACE_SECONDS)


def _populate(url: sa.URL, count: int) -> list[tuple[str, str]]:
    """(token, device id) for every device."""
    from kpidesk.protocol.auth import Role
    from kpidesk.server import directory, migrations
    from kpidesk.server.db import Database, make_engine
    from kpidesk.server.devices import issue_token
    from kpidesk.server.security import Passwords
    from kpidesk.server.settings import PasswordHashing

    engine = make_engine(url)
    migrations.upgrade(engine)
    db = Database(engine)
    cheap = Passwords(PasswordHashing(time_cost=1, memory_kib=1024, parallelism=1))
    devices = []
    with db.session(write=True) as session:
        for n in range((count + 1) // 2):
            user = directory.create_user(session, cheap, f"rep{n}", Role.REP, "p" * 12)
            for k in range(2):
                token, device = issue_token(session, user, f"laptop {k}")
                devices.append((token, device.id))
    db.close()
    return devices[:count]


def _stamp(device_id: str, counter: int) -> str:
    return f"{int(time.time() * 1000):013d}-{counter % 0xFFFF:04x}-{device_id}"


async def _device(http: httpx.AsyncClient, token: str, device_id: str, latencies: list[float],
                  errors: list[str], rng: random.Random) -> None:  # fmt: skip
    cursor, mid, counter = 0, 0, 0
    accounts: list[str] = []
    waiting: list[dict] = []  # sent but not acknowledged: sent again, like the real client
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json",
               "Content-Encoding": "gzip"}  # fmt: skip
    await asyncio.sleep(rng.random() * PACE_SECONDS)
    for _ in range(ROUNDS):
        mutations = waiting
        for _ in range(rng.randint(1, 3)):
            mid += 1
            counter += 1
            stamp = _stamp(device_id, counter)
            if accounts and rng.random() < 0.5:
                fields = {"city": {"v": rng.choice(["Lyon", "Annecy", "Vienne"]), "hlc": stamp}}
                mutations.append({"mid": mid, "table": "account", "id": rng.choice(accounts),
                                  "cl": 1, "fields": fields})  # fmt: skip
                continue
            row_id = str(uuid.uuid4())
            accounts.append(row_id)
            given = {"name": f"Client {mid}", "status": "prospect", "created_status": "prospect",
                     "temperature": "warm", "source": "prospecting",
                     "created_at": "2026-11-27T09:00:00.000000Z"}  # fmt: skip
            # A new row carries every field, as the laptop sends it (the server refuses less).
            fields = {s.name: {"v": given.get(s.name), "hlc": stamp} for s in SPECS["account"]}
            mutations.append({"mid": mid, "table": "account", "id": row_id, "cl": 1,
                              "fields": fields})  # fmt: skip
        body = {"device_id": device_id, "cursor": cursor, "mutations": mutations, "limit": 500}
        start_at = time.perf_counter()
        try:
            response = await http.post(
                "/v1/sync", content=gzip.compress(json.dumps(body).encode()), headers=headers
            )
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
            waiting = mutations
            continue
        latencies.append((time.perf_counter() - start_at) * 1000)
        if response.status_code != 200:
            errors.append(f"HTTP {response.status_code}: {response.text[:100]}")
            waiting = mutations
            continue
        reply = response.json()
        if reply["acked_mid"] != mid:
            errors.append(f"acked {reply['acked_mid']} instead of {mid}")
        errors.extend(f"refused: {r['reason']}" for r in reply["rejected"])
        waiting = []
        cursor = reply["next_cursor"]
        await asyncio.sleep(PACE_SECONDS * (0.5 + rng.random()))


async def _health(http: httpx.AsyncClient, latencies: list[float], errors: list[str],
                  rng: random.Random) -> None:  # fmt: skip
    await asyncio.sleep(rng.random() * PACE_SECONDS)
    for _ in range(ROUNDS):
        start_at = time.perf_counter()
        try:
            response = await http.get("/v1/health")
            latencies.append((time.perf_counter() - start_at) * 1000)
            if response.status_code != 200:
                errors.append(f"HTTP {response.status_code}")
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
        await asyncio.sleep(PACE_SECONDS * (0.5 + rng.random()))


async def _measure(base: str, devices: list[tuple[str, str]]):
    limits = httpx.Limits(max_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=30, limits=limits) for _ in devices]
    rng = random.Random(7)
    try:
        gc.disable()  # the load generator's own pauses must not show as server latency
        health: list[float] = []
        health_errors: list[str] = []
        await asyncio.gather(*(_health(c, health, health_errors, rng) for c in clients))
        sync: list[float] = []
        sync_errors: list[str] = []
        await asyncio.gather(*(
            _device(c, token, device_id, sync, sync_errors, rng)
            for c, (token, device_id) in zip(clients, devices, strict=True)
        ))  # fmt: skip
    finally:
        gc.enable()
        await asyncio.gather(*(c.aclose() for c in clients))
    return health, health_errors, sync, sync_errors


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


@dataclass(frozen=True)
class Trial:
    devices: int
    p99_ms: float
    median_ms: float
    syncs: int
    errors: int
    health_p99_ms: float
    load: tuple[float, float, float]  # the load average at its end

    @property
    def held(self) -> bool:
        return self.errors == 0 and self.p99_ms < P99_LIMIT_MS

    def line(self) -> str:
        verdict = "held" if self.held else "failed"
        return (f"  {self.devices:5d} devices: p99 {self.p99_ms:7.1f} ms (median"
                f" {self.median_ms:.0f} ms, {self.syncs} syncs, {self.errors} errors, health p99"
                f" {self.health_p99_ms:.1f} ms, load {self.load[0]:.2f}) {verdict}")  # fmt: skip


def trial(admin_url: sa.URL, devices: int) -> Trial:
    """One trial of ``devices`` devices on a new database and a new server."""
    url = make_database(admin_url)
    try:
        ids = _populate(url, devices)
        with serving(url.render_as_string(hide_password=False), "--workers", "2") as (base, _log):
            health, health_errors, sync, sync_errors = asyncio.run(_measure(base, ids))
    finally:
        drop_database(admin_url, url)
    if sync_errors:
        print(f"    first errors: {sorted(set(sync_errors))[:3]}", file=sys.stderr)
    return Trial(devices, _p99(sync), statistics.median(sync), len(sync),
                 len(sync_errors) + len(health_errors), _p99(health), os.getloadavg())  # fmt: skip


def search(
    measure: Callable[[int], Trial], start: int = START, budget_s: float = BUDGET_S,
    clock: Callable[[], float] = time.monotonic,
) -> tuple[Trial | None, list[Trial]]:  # fmt: skip
    """The largest number of devices that held, and every trial in the order run: doubling
    from ``start`` until one fails, then bisecting until within 10% or out of time. Doubling
    stops too when out of time (the answer is then a lower bound)."""
    began = clock()
    trials: list[Trial] = []
    best: Trial | None = None
    low, high, n = 0, None, start
    while True:
        result = measure(n)
        trials.append(result)
        print(result.line(), file=sys.stderr, flush=True)
        if result.held:
            best, low = result, n
        else:
            high = n
        if clock() - began > budget_s:
            break
        if high is None:
            n *= 2
            continue
        if high - low <= max(1, high // 10):
            break
        n = (low + high) // 2 if low else max(1, high // 2)
    return best, trials


def run(budget_s: float = BUDGET_S, start: int = START) -> list[Result]:
    raw = os.environ.get("KPIDESK_TEST_POSTGRES_URL")
    if not raw:
        print("  bench_sync_load skipped: set KPIDESK_TEST_POSTGRES_URL", file=sys.stderr)
        return []
    admin_url = sa.make_url(raw).set(drivername="postgresql+psycopg")
    best, trials = search(lambda n: trial(admin_url, n), start, budget_s)
    failed = [t for t in trials if not t.held]
    bound = f", {min(t.devices for t in failed)} failed" if failed else ", none failed"
    if best is None:
        least = min(trials, key=lambda t: t.devices)
        return [Result(f"server capacity: not even {least.devices} devices held (p99 at"
                       f" {least.devices}, load {least.load[0]:.1f})",
                       least.p99_ms, "/v1/health p99, same load", least.health_p99_ms,
                       f">= {DESIGN_TARGET} devices at p99 < 250 ms, 0 errors", False)]  # fmt: skip
    return [
        Result(f"server capacity: {best.devices} devices held{bound} (about"
               f" {reps_for(best.devices):,} reps syncing every 5 min; p99 at {best.devices},"
               f" median {best.median_ms:.0f} ms, {best.syncs} syncs, 0 errors, load"
               f" {best.load[0]:.1f})", best.p99_ms, "/v1/health p99, same load",
               best.health_p99_ms, f">= {DESIGN_TARGET} devices at p99 < 250 ms, 0 errors",
               best.devices >= DESIGN_TARGET),
    ]  # fmt: skip


if __name__ == "__main__":
    import argparse

    from tests.benchmarks.common import table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=BUDGET_S, help="seconds (default 900)")
    parser.add_argument("--start", type=int, default=START, help="devices in the first trial")
    args = parser.parse_args()
    print(table([r.as_json() for r in run(args.budget, args.start)]))
