"""Sync on loopback, against a real `kpidesk-server serve` process (SQLite, or PostgreSQL when
KPIDESK_TEST_POSTGRES_URL is set):

- an empty sync: exactly one HTTP request, under 1 KB each way (bodies as sent, gzip included);
- the first sync of the 5-year demo data (about 58,000 records) into an empty laptop: records
  per second, against a raw sqlite3 ``executemany`` of the same rows into the same schema,
  each first sync followed by one baseline (target: 30,000 records/s or more, and within 2.5x
  the baseline). The laptop must then hold exactly the rows the baseline wrote (every business
  field of every row), and its next sync receives nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from tests.benchmarks.common import Result, demo_database

TABLES = ("account", "contact", "activity", "offer", "objective")


def start_server(folder: Path) -> tuple[str, str, subprocess.Popen]:
    """A migrated server database with the demo's records, and a server process on it."""
    from tests.server.test_serve import free_port

    url = os.environ.get("KPIDESK_BENCH_SERVER_URL") or f"sqlite:///{folder / 'server.sqlite'}"
    env = {**os.environ, "KPIDESK_DATABASE_URL": url, "KPIDESK_SERVER_DATA": str(folder)}
    subprocess.run([sys.executable, "-m", "kpidesk.server.cli", "migrate"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpidesk.server.cli", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(100):
        try:
            if httpx.get(f"{base}/v1/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return url, base, proc


def load_demo_into_server(url: str, demo: Path) -> tuple[str, int]:
    """The demo rep's records on the server, owned by a new user; returns (token, count)."""
    from kpidesk.protocol.auth import Role
    from kpidesk.server import directory
    from kpidesk.server.db import Database, make_engine
    from kpidesk.server.devices import issue_token
    from kpidesk.server.security import Passwords
    from kpidesk.server.settings import PasswordHashing
    from kpidesk.server.tables import SERVER_RECORD_TABLES, ServerState, table_of

    db = Database(make_engine(sa.make_url(url)))
    cheap = Passwords(PasswordHashing(time_cost=1, memory_kib=1024, parallelism=1))
    local = sqlite3.connect(demo)
    local.row_factory = sqlite3.Row
    version = 0
    with db.session(write=True) as session:
        user = directory.create_user(session, cheap, "bench", Role.REP, "p" * 12)
        for name in TABLES:
            server_table = table_of(SERVER_RECORD_TABLES[name])
            columns = [c.name for c in server_table.c if c.name != "versions"]
            rows = []
            for row in local.execute(f"SELECT * FROM {name}"):
                version += 1
                values = {c: row[c] for c in columns if c in row.keys()}  # noqa: SIM118
                values.update(
                    owner_id=user.id, server_version=version, versions={"*": version},
                    clocks=json.loads(row["clocks"]),
                )  # fmt: skip
                rows.append(values)
            for start in range(0, len(rows), 5000):
                session.execute(
                    sa.insert(server_table),
                    [_typed(server_table, r) for r in rows[start : start + 5000]],
                )
        session.execute(
            sa.update(table_of(ServerState)).where(table_of(ServerState).c.id == 1)
            .values(last_server_version=version)
        )  # fmt: skip
        token, device = issue_token(session, user, "bench laptop")
        device_id, user_id = device.id, user.id
    db.close()
    local.close()
    return f"{token}|{device_id}|{user_id}", version


def _typed(table: sa.Table, row: dict) -> dict:
    from datetime import UTC, datetime

    out = dict(row)
    for column in table.c:
        value = out.get(column.name)
        if isinstance(value, str) and column.type.__class__.__name__ == "UtcDateTime":
            out[column.name] = datetime.fromisoformat(value).replace(tzinfo=UTC)
    return out


def _fresh_laptop(path: Path, device_id: str, user_id: str):
    from kpidesk.store import meta
    from kpidesk.store.database import open_database

    db = open_database(path)
    with db.write() as conn:
        meta.put(conn, meta.DEVICE_ID, device_id)
        meta.put(conn, meta.OWNER_ID, user_id)
        meta.put(conn, meta.USER_ID, user_id)
    return db


def _raw_baseline(demo: Path, target: Path) -> float:
    """Seconds for a raw sqlite3 executemany of the same rows into an empty kpidesk schema."""
    from kpidesk.store.database import open_database

    open_database(target).close()  # the same schema and indexes, empty
    source = sqlite3.connect(demo)
    rows = {t: source.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    columns = {t: [d[0] for d in source.execute(f"SELECT * FROM {t} LIMIT 0").description]
               for t in TABLES}  # fmt: skip
    source.close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA synchronous=FULL")
    start = time.perf_counter()
    conn.execute("BEGIN")
    for t in TABLES:
        marks = ",".join("?" * len(columns[t]))
        conn.executemany(f"INSERT INTO {t} ({','.join(columns[t])}) VALUES ({marks})", rows[t])
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


def _same_rows(laptop: Path, raw: Path) -> None:
    """The first sync is worth timing only if it wrote what the baseline wrote."""
    from kpidesk.records.wire import SPECS

    a, b = sqlite3.connect(laptop), sqlite3.connect(raw)
    try:
        for table in TABLES:
            sql = (
                f"SELECT id, cl, {', '.join(s.name for s in SPECS[table])} FROM {table} ORDER BY id"
            )
            ours, theirs = a.execute(sql).fetchall(), b.execute(sql).fetchall()
            assert ours == theirs, f"{table}: the synced rows differ from the demo's"
    finally:
        a.close()
        b.close()


ROUNDS = 3  # first syncs (each into a new, empty laptop); the medians are reported


def _new_device(url: str, user_id: str, name: str) -> tuple[str, str]:
    from kpidesk.server.db import Database, make_engine
    from kpidesk.server.devices import issue_token
    from kpidesk.server.tables import User

    db = Database(make_engine(sa.make_url(url)))
    with db.session(write=True) as session:
        token, device = issue_token(session, session.get(User, user_id), name)
        device_id = device.id
    db.close()
    return token, device_id


def first_sync(url: str, base: str, user_id: str, path: Path, name: str):
    """One first sync of everything the user has on the server into a new, empty laptop at
    ``path`` (a device of its own): (seconds, report, client, connection, laptop). The laptop
    then has nothing left to send."""
    import httpx

    from kpidesk.store import outbox
    from kpidesk.sync.client import SyncClient
    from kpidesk.sync.transport import ServerConnection

    token, device_id = _new_device(url, user_id, name)
    laptop = _fresh_laptop(path, device_id, user_id)
    connection = ServerConnection(httpx.Client(base_url=base, timeout=120), token)
    client = SyncClient(laptop, connection)
    start = time.perf_counter()
    report = client.sync()
    elapsed = time.perf_counter() - start
    with laptop.read() as conn:
        assert outbox.pending_count(conn) == 0
    return elapsed, report, client, connection, laptop


def run() -> list[Result]:
    import statistics

    demo = demo_database(5)
    firsts, baselines = [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url, base, proc = start_server(folder)
        try:
            secret, count = load_demo_into_server(url, demo)
            _token, _device, user_id = secret.split("|")
            for n in range(ROUNDS):
                laptop_path = folder / f"laptop{n}.sqlite"
                elapsed, report, client, connection, laptop = first_sync(
                    url, base, user_id, laptop_path, f"laptop {n}"
                )
                firsts.append(elapsed)
                assert report.received == count, (report.received, count)
                before = (connection.requests, connection.bytes_sent, connection.bytes_received)
                empty = client.sync()
                requests = connection.requests - before[0]
                sent = connection.bytes_sent - before[1]
                received = connection.bytes_received - before[2]
                assert empty.steps == 1 and empty.received == 0
                laptop.close()
                baselines.append(_raw_baseline(demo, folder / f"raw{n}.sqlite"))
                _same_rows(laptop_path, folder / f"raw{n}.sqlite")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    first = statistics.median(firsts)
    rate = count / first
    return [
        Result.of(f"first sync of {count:,} records (loopback, {rate:,.0f} records/s)",
                  [x * 1000 for x in firsts], "raw sqlite3 executemany",
                  [x * 1000 for x in baselines], ">= 30,000/s and <= 2.5× baseline",
                  lambda ms, ratio: count / ms * 1000 >= 30_000 and ratio <= 2.5),
        Result(f"empty sync: {requests} request, {sent} B up, {received} B down",
               0.0 if requests == 1 else float(requests), "one request under 1 KB each way",
               1.0, "1 request, < 1 KB", requests == 1 and sent < 1024 and received < 1024),
    ]  # fmt: skip
