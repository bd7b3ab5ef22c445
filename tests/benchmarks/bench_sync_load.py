"""200 simulated devices syncing small changes at once against PostgreSQL (2 workers).

Needs KPIDESK_TEST_POSTGRES_URL (a role that may create databases, as .ci/run sets up); without
it `make bench` skips this one. A throwaway database gets 100 reps with two devices each and a
few records; `kpidesk-server serve --workers 2` runs on it. Each device then syncs every 2.5 to
7.5 s for ROUNDS rounds (about 40 syncs/s in all: a real laptop syncs every few minutes and a
few seconds after a change, so this is a hundred times a real team's rate), sending one to three
new or changed records with real mutation ids and clock stamps, and pulling what changed; a
refused change counts as an error. The load generator runs on the same machine. Baseline in the
same run: /v1/health under the same load. Target: no error, p99 under 250 ms.
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

import httpx
import sqlalchemy as sa

from kpidesk.records.wire import SPECS
from tests.benchmarks.bench_server_auth import drop_database, make_database
from tests.benchmarks.common import Result
from tests.server.test_serve import serving

DEVICES = 200
ROUNDS = 8
PACE_SECONDS = 5.0


def _populate(url: sa.URL) -> list[tuple[str, str]]:
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
        for n in range(DEVICES // 2):
            user = directory.create_user(session, cheap, f"rep{n}", Role.REP, "p" * 12)
            for k in range(2):
                token, device = issue_token(session, user, f"laptop {k}")
                devices.append((token, device.id))
    db.close()
    return devices


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


def run() -> list[Result]:
    raw = os.environ.get("KPIDESK_TEST_POSTGRES_URL")
    if not raw:
        print("  bench_sync_load skipped: set KPIDESK_TEST_POSTGRES_URL", file=sys.stderr)
        return []
    admin_url = sa.make_url(raw).set(drivername="postgresql+psycopg")
    url = make_database(admin_url)
    try:
        devices = _populate(url)
        with serving(url.render_as_string(hide_password=False), "--workers", "2") as (base, _log):
            health, health_errors, sync, sync_errors = asyncio.run(_measure(base, devices))
    finally:
        drop_database(admin_url, url)
    p99, base = _p99(sync), _p99(health)
    errors = len(sync_errors) + len(health_errors)
    return [
        Result(f"{DEVICES} devices syncing at once, p99 (median {statistics.median(sync):.0f} ms,"
               f" {len(sync)} syncs, {errors} errors)", p99, "/v1/health p99, same load", base,
               "no error, p99 < 250 ms", errors == 0 and p99 < 250),
    ]  # fmt: skip


if __name__ == "__main__":
    from tests.benchmarks.common import table

    print(table(run()))
