"""Writing a demo data set into its own database (never into the rep's real one)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from kpidesk.domain.hlc import Hlc
from kpidesk.domain.merge import DEFAULT_CLOCK
from kpidesk.services.demo_world import DemoWorld, simulate
from kpidesk.store import bulk, meta
from kpidesk.store.database import Database, create_aside, inspect_file, open_database
from kpidesk.store.errors import DemoDatabaseError, StoreError

# The demo's rows were "written" by this device; the demo never syncs, so it needs no real one.
DEMO_DEVICE = "00000000-0000-7000-8000-00000000de30"
APP_DEMO_YEARS = 2  # the demo the app opens: every indicator has history, built in seconds
DEMO_FILE_NAME = "kpidesk-demo.sqlite"  # beside the rep's own database, never in place of it
SIMULATION_SHARE = 0.45  # of the build's time (measured): the rest is writing the rows
CHUNK_ROWS = 5000  # rows per insert between two progress reports

Progress = Callable[[float], None]


def _silent(_done: float) -> None:
    pass


def demo_path_beside(db_path: Path) -> Path:
    """Where the demo of the rep whose database is ``db_path`` lives: the same folder, its own
    file, so trying the demo never writes a row into the rep's data."""
    return Path(db_path).with_name(DEMO_FILE_NAME)


@dataclass(frozen=True)
class DemoSummary:
    path: Path
    accounts: int
    contacts: int
    activities: int
    offers: int


def create_demo_database(
    path: Path, years: int, seed: int, end: date, progress: Progress = _silent
) -> DemoSummary:
    """Build a fresh demo database at ``path``; ``progress`` hears how much is done (0 to 1).

    ``path`` must not exist, be empty (a file, or a database ``kpidesk init`` made and nothing
    was written to), or already be a demo database (which is replaced); a database holding
    real data is refused untouched.
    """
    path = Path(path).expanduser()
    empty = path.is_file() and path.stat().st_size == 0  # a file made to be filled: fine
    state = inspect_file(path) if not empty else None  # refuses foreign and non-SQLite files
    if state is not None and state.exists and state.revision is not None:
        db = open_database(path)
        try:
            with db.read() as conn:
                if not meta.is_demo(conn) and bulk.holds_anything(conn):
                    raise DemoDatabaseError(
                        f"{path} holds real data; the demo only writes to a new file", path=path
                    )
        finally:
            db.close()
    world = simulate(years, seed, end, lambda done: progress(SIMULATION_SHARE * done))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {path.parent}: {exc.strerror or exc}") from exc
    for suffix in ("-wal", "-shm"):  # an old demo's journal must not meet the new file
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    # Built aside and moved in whole: a full disk leaves the old file (or none), never half.
    writing = _scaled(progress, SIMULATION_SHARE, 1.0)
    create_aside(path, lambda db: write_world(db, world, writing))
    progress(1.0)
    return DemoSummary(
        path, len(world.accounts), len(world.contacts), len(world.activities), len(world.offers)
    )


def _scaled(progress: Progress, start: float, end: float) -> Progress:
    return lambda done: progress(start + (end - start) * done)


def write_world(db: Database, world: DemoWorld, progress: Progress = _silent) -> None:
    """Bulk-insert the rows in one transaction. The one write that skips the outbox (and so
    announces no changes): a demo never syncs, and the app opens it afresh."""
    total = max(1, sum(len(rows) for rows in _tables(world).values()))
    written = 0
    with db.write() as conn:
        meta.put(conn, meta.IS_DEMO, "1")
        meta.put(conn, meta.DEVICE_ID, DEMO_DEVICE)
        meta.put(conn, meta.OWNER_ID, world.owner_id)
        latest = 0
        for table, rows in _tables(world).items():
            latest = max([latest, *(int(r["created_at"].timestamp() * 1000) for r in rows)])
            for start in range(0, len(rows), CHUNK_ROWS):  # in chunks: progress between them
                chunk = rows[start : start + CHUNK_ROWS]
                prepared = [_with_sync_columns(row, world.owner_id) for row in chunk]
                bulk.insert_unsynced(conn, table, prepared)
                written += len(chunk)
                progress(0.95 * written / total)  # ANALYZE is the last few percent
        meta.put(conn, meta.HLC, Hlc(latest, 0, DEMO_DEVICE).encode())
        bulk.analyze(conn)


def _tables(world: DemoWorld) -> dict[str, list[dict[str, Any]]]:
    return {"account": world.accounts, "contact": world.contacts,
            "activity": world.activities, "offer": world.offers,
            "objective": world.objectives}  # fmt: skip


def _with_sync_columns(row: dict[str, Any], owner_id: str) -> dict[str, Any]:
    stamp = Hlc(int(row["created_at"].timestamp() * 1000), 0, DEMO_DEVICE).encode()
    return {**row, "owner_id": owner_id, "clocks": {DEFAULT_CLOCK: stamp}, "cl": 1,
            "server_version": 0}  # fmt: skip
