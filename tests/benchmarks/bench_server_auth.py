"""Benchmark: login and /v1/me on loopback, 2 uvicorn workers, PostgreSQL, 100 concurrent clients.

Run (PostgreSQL URL of a role that may create databases, as .ci/run sets up):

    KPIDESK_TEST_POSTGRES_URL=postgresql+psycopg://kpidesk:kpidesk-test@127.0.0.1/kpidesk_test \\
        .venv/bin/python -m tests.benchmarks.bench_server_auth

It makes a throwaway database, starts `kpidesk-server serve --workers 2` and, as a baseline in the
same run, a bare FastAPI app under the same uvicorn set-up; 100 async httpx clients then call each
endpoint back to back (closed loop). /v1/me is measured with tokens made beforehand, so no argon2
work is in it; login (argon2id at the production cost) is measured on its own. A markdown table of
latencies (p50/p95/p99), throughput and the p99 ratio to the baseline is printed.

Not collected by pytest (the file name does not start with test_).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
import sqlalchemy as sa

CLIENTS = 100
PASSWORD = "benchmark password"


@dataclass
class Result:
    name: str
    latencies_ms: list[float]
    seconds: float
    errors: int

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(cmd: list[str], port: int, env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start: {proc.communicate()[1].decode()[-2000:]}")


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


async def load(
    name: str,
    base: str,
    per_client: int,
    request: Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]],
    pace: float,
) -> Result:
    """CLIENTS simulated devices, each with its own connection, each sending ``per_client``
    requests: back to back when ``pace`` is 0 (closed loop: saturation), else one every
    ``pace`` seconds (starting at random offsets so they do not march in step)."""
    latencies: list[float] = []
    errors = 0
    rng = random.Random(1)
    clients = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(CLIENTS)]
    try:
        await asyncio.gather(*(request(http, n) for n, http in enumerate(clients)))  # connect

        async def device(n: int, http: httpx.AsyncClient) -> None:
            nonlocal errors
            next_at = time.perf_counter() + rng.uniform(0, pace)
            for _ in range(per_client):
                if pace:
                    await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                    next_at += pace
                began = time.perf_counter()
                try:
                    response = await request(http, n)
                except httpx.TransportError as exc:
                    errors += 1
                    print(f"{name}: {type(exc).__name__}: {exc}", file=sys.stderr)
                    continue
                latencies.append((time.perf_counter() - began) * 1000)
                errors += not response.is_success

        # The load generator's own garbage collection pauses would show up as server latency.
        gc.collect()
        gc.disable()
        began = time.perf_counter()
        try:
            await asyncio.gather(*(device(n, http) for n, http in enumerate(clients)))
        finally:
            seconds = time.perf_counter() - began
            gc.enable()
    finally:
        await asyncio.gather(*(http.aclose() for http in clients))
    return Result(name, latencies, seconds, errors)


def make_database(admin_url: sa.URL) -> sa.URL:
    name = f"kpidesk_bench_{secrets.token_hex(4)}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return admin_url.set(database=name)


def drop_database(admin_url: sa.URL, url: sa.URL) -> None:
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    engine.dispose()


def populate(url: sa.URL) -> list[str]:
    """CLIENTS reps with the production password cost, and one token each for /me."""
    from kpidesk.protocol.auth import Role
    from kpidesk.server import directory, migrations
    from kpidesk.server.db import Database, make_engine
    from kpidesk.server.devices import issue_token
    from kpidesk.server.security import Passwords
    from kpidesk.server.settings import PasswordHashing

    engine = make_engine(url)
    migrations.upgrade(engine)
    db = Database(engine)
    passwords = Passwords(PasswordHashing())
    one_hash = passwords.hash(PASSWORD)  # the same cost for everyone, hashed once
    tokens = []
    with db.session(write=True) as session:
        for n in range(CLIENTS):
            user = directory.create_user(session, passwords, f"rep{n}", Role.REP, "x" * 12)
            user.password_hash = one_hash
            token, _device = issue_token(session, user, f"bench laptop {n}")
            tokens.append(token)
    db.close()
    return tokens


def table(results: list[Result]) -> str:
    lines = [
        "| endpoint, load | requests | p50 ms | p95 ms | p99 ms | req/s | errors"
        " | p99 / baseline |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    baseline = None
    for r in results:
        if r.name.startswith("baseline"):
            baseline = r
        ratio = f"{r.pct(0.99) / baseline.pct(0.99):.2f}" if baseline else "-"
        lines.append(
            f"| {r.name} | {len(r.latencies_ms)} | {statistics.median(r.latencies_ms):.1f} "
            f"| {r.pct(0.95):.1f} | {r.pct(0.99):.1f} | {len(r.latencies_ms) / r.seconds:.0f} "
            f"| {r.errors} | {ratio if 'login' not in r.name else '-'} |"
        )
    return "\n".join(lines)


async def measure(base: str, bare: str, tokens: list[str], args: argparse.Namespace):
    """Each GET endpoint closed loop (saturation), then paced; login paced on its own."""
    me_headers = [{"Authorization": f"Bearer {token}"} for token in tokens]
    cases = [
        ("baseline: bare FastAPI /v1/health", bare, lambda http, _n: http.get("/v1/health")),
        ("/v1/health (SELECT 1)", base, lambda http, _n: http.get("/v1/health")),
        ("/v1/me", base, lambda http, n: http.get("/v1/me", headers=me_headers[n])),
    ]
    results = []
    for mode, pace in (("closed loop", 0.0), (f"1 req / {args.pace:g} s each", args.pace)):
        for name, url, request in cases:
            results.append(await load(f"{name}, {mode}", url, args.requests, request, pace))

    def login(http: httpx.AsyncClient, n: int) -> Awaitable[httpx.Response]:
        # A login is a laptop's first request: a new connection each time.
        return http.post(
            "/v1/auth/login",
            json={"username": f"rep{n}", "password": PASSWORD, "device_name": "bench"},
            headers={"Connection": "close"},
        )

    argon2 = "/v1/auth/login (argon2id 64 MiB, t=3)"
    burst = await load(f"{argon2}, all {CLIENTS} at once", base, 1, login, 0.0)
    paced = await load(
        f"{argon2}, 1 req / {args.login_pace:g} s each", base, args.logins, login, args.login_pace
    )
    return [*results, burst, paced]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="per client, GET endpoints")
    parser.add_argument("--pace", type=float, default=1.0, help="seconds between GETs")
    parser.add_argument("--logins", type=int, default=2, help="per client, paced")
    parser.add_argument("--login-pace", type=float, default=20.0, help="seconds between logins")
    args = parser.parse_args()
    raw = os.environ.get("KPIDESK_TEST_POSTGRES_URL")
    if not raw:
        raise SystemExit("set KPIDESK_TEST_POSTGRES_URL (see the module docstring)")
    admin_url = sa.make_url(raw).set(drivername="postgresql+psycopg")
    url = make_database(admin_url)
    servers = []
    try:
        tokens = populate(url)
        port, bare_port = free_port(), free_port()
        env = {**os.environ, "KPIDESK_DATABASE_URL": url.render_as_string(hide_password=False)}
        servers.append(start(
            [sys.executable, "-m", "kpidesk.server.cli", "serve", "--port", str(port),
             "--workers", "2"], port, env,
        ))  # fmt: skip
        servers.append(start(
            [sys.executable, "-m", "uvicorn", "tests.benchmarks.bare_app:app", "--port",
             str(bare_port), "--workers", "2", "--no-access-log", "--log-level", "warning"],
            bare_port, env,
        ))  # fmt: skip
        results = asyncio.run(
            measure(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}", tokens, args)
        )
    finally:
        for proc in servers:
            stop(proc)
        drop_database(admin_url, url)
    print(
        f"\n{CLIENTS} concurrent clients (one connection each), 2 uvicorn workers, PostgreSQL,"
        f" loopback, {os.cpu_count()} CPUs shared by the clients and the servers.\n"
        "Ratios: p99 against the bare FastAPI baseline in the same mode.\n"
    )
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
