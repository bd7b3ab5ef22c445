"""``GET /v1/coaching`` for a manager of a team of REPS reps with a year of history each (the
1-year demo data set, copied for each rep with new ids): the reply computed (no tag) against
the 304 its tag gets while nothing changed (a few small queries, no computing), interleaved.

Before timing, it checks the reply: every rep is on the team page, each with the number of
open offers and the pipeline value that a plain SQL count over the server's rows gives, and the
tag of the computed reply gets a 304. Runs on SQLite (or on PostgreSQL with
KPIDESK_BENCH_SERVER_URL, a migrated empty database).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, time
from pathlib import Path

import sqlalchemy as sa

from tests.benchmarks.common import DEMO_END, Result, demo_database, interleaved_ms

REPS = 6
ROUNDS = 7
NOW = datetime.combine(DEMO_END, time(15, 0), tzinfo=UTC)
TABLES = ("account", "contact", "activity", "offer", "objective")
STAMP = "0000000000000-0000-bench"  # the rows' clock: the team view does not read it


def _load(url: str, demo: Path) -> tuple[str, list[str]]:
    """A manager leading a team of REPS reps, each with the demo's rows; (manager's token,
    rep ids)."""
    import uuid

    from kpidesk.protocol.auth import Role
    from kpidesk.server import directory
    from kpidesk.server.db import Database, make_engine
    from kpidesk.server.devices import issue_token
    from kpidesk.server.security import Passwords
    from kpidesk.server.settings import PasswordHashing
    from kpidesk.server.tables import SERVER_RECORD_TABLES, table_of
    from tests.benchmarks.bench_sync import _typed

    db = Database(make_engine(sa.make_url(url)))
    cheap = Passwords(PasswordHashing(time_cost=1, memory_kib=1024, parallelism=1))
    local = sqlite3.connect(demo)
    local.row_factory = sqlite3.Row
    source = {t: local.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    local.close()
    version = 0
    reps = []
    with db.session(write=True) as session:
        manager = directory.create_user(session, cheap, "manager", Role.MANAGER, "p" * 12)
        team = directory.create_team(session, "Nord", manager)
        for n in range(REPS):
            rep = directory.create_user(session, cheap, f"rep{n}", Role.REP, "p" * 12)
            rep.shares_activities = n % 2 == 0
            directory.assign_member(session, team, rep)
            reps.append(rep.id)
            new_id: dict[str, str] = {}
            for name in TABLES:
                table = table_of(SERVER_RECORD_TABLES[name])
                columns = [c.name for c in table.c if c.name not in ("versions", "written_by")]
                rows = []
                for row in source[name]:
                    version += 1
                    values = {c: row[c] for c in columns if c in row.keys()}  # noqa: SIM118
                    values["id"] = new_id.setdefault(row["id"], str(uuid.uuid4()))
                    for ref in ("account_id", "contact_id", "offer_id", "referred_by"):
                        if values.get(ref):
                            values[ref] = new_id.setdefault(values[ref], str(uuid.uuid4()))
                    values.update(owner_id=rep.id, server_version=version,
                                  versions={"*": version}, clocks={"*": STAMP})  # fmt: skip
                    rows.append(_typed(table, values))
                for start in range(0, len(rows), 5000):
                    session.execute(sa.insert(table), rows[start : start + 5000])
        token, _device = issue_token(session, manager, "manager laptop")
    db.close()
    return token, reps


def _open_offers(url: str, reps: list[str]) -> dict[str, tuple[int, int]]:
    """Per rep, (open offers, their amount) by plain SQL: sent, not a draft, not decided by
    now, alive, in euros (as KPIS.md defines the pipeline)."""
    engine = sa.create_engine(url)
    now = NOW.replace(tzinfo=None).isoformat(sep=" ")
    sql = sa.text(
        "SELECT owner_id, count(*), coalesce(sum(amount_cents), 0) FROM offer"
        " WHERE cl % 2 = 1 AND status != 'draft' AND sent_at IS NOT NULL AND sent_at < :now"
        " AND (decided_at IS NULL OR decided_at >= :now) AND currency = 'EUR'"
        " GROUP BY owner_id"
    )
    with engine.connect() as conn:
        found = {r[0]: (r[1], r[2]) for r in conn.execute(sql, {"now": now})}
    engine.dispose()
    return {rep: found.get(rep, (0, 0)) for rep in reps}


def run() -> list[Result]:
    from fastapi.testclient import TestClient

    from kpidesk.server.app import create_app
    from kpidesk.server.settings import PasswordHashing, ServerSettings

    demo = demo_database(1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = os.environ.get("KPIDESK_BENCH_SERVER_URL") or f"sqlite:///{folder / 'server.sqlite'}"
        env = {**os.environ, "KPIDESK_DATABASE_URL": url, "KPIDESK_SERVER_DATA": str(folder)}
        subprocess.run([sys.executable, "-m", "kpidesk.server.cli", "migrate"], env=env,
                       check=True, capture_output=True)  # fmt: skip
        token, reps = _load(url, demo)
        settings = ServerSettings(data_dir=folder, database_url=url,
                                  password_hashing=PasswordHashing(1, 1024, 1))  # fmt: skip
        app = create_app(settings, clock_ms=lambda: int(NOW.timestamp() * 1000))
        auth = {"Authorization": f"Bearer {token}"}
        params = {"tz": "Europe/Paris"}
        with TestClient(app) as client:
            first = client.get("/v1/coaching", params=params, headers=auth)
            assert first.status_code == 200, first.text
            etag = first.headers["etag"]
            (page,) = next(v for v in first.json()["views"] if v["period_kind"] == "month")["teams"]
            expected = _open_offers(url, reps)
            got = {r["rep_id"]: (len(r["open_offers"]), r["pipeline_value_cents"])
                   for r in page["reps"]}  # fmt: skip
            assert got == expected, (got, expected)
            tagged = {**auth, "If-None-Match": etag}
            assert client.get("/v1/coaching", params=params, headers=tagged).status_code == 304

            def computed() -> None:
                assert client.get("/v1/coaching", params=params, headers=auth).status_code == 200

            def not_modified() -> None:
                reply = client.get("/v1/coaching", params=params, headers=tagged)
                assert reply.status_code == 304

            ours, theirs = interleaved_ms(not_modified, computed, ROUNDS, warmup=1)
        app.state.context.db.close()
    offers = sum(n for n, _ in expected.values())
    return [
        Result.of(f"team view, unchanged team of {REPS} reps with a year each ({offers} open"
                  " offers): 304 from the fingerprint", ours, "the reply computed", theirs,
                  "< 10% of computing it", lambda _ms, ratio: ratio < 0.1),
    ]  # fmt: skip


if __name__ == "__main__":
    from tests.benchmarks.common import table

    print(table([r.as_json() for r in run()]))
