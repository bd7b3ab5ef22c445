"""Build the upgrade fixtures: one small database per released schema revision.

    .venv/bin/python -m tests.upgrades.build            # every missing fixture
    .venv/bin/python -m tests.upgrades.build --force    # rebuild them all

Each fixture is an empty database migrated with Alembic to exactly that revision (the local
laptop schema, ``local-NNNN.sqlite``; the server schema, ``server-NNNN.sqlite``), then given two
rows in every table with known values made from the column's name and type (so every column
holds something, and a value changed by an upgrade shows). Row 1 is alive (``cl`` 1), row 2 a
tombstone (``cl`` 2); foreign keys point at the referenced table's row of the same number.

A fixture, once released, is never rebuilt: it stands for the databases that revision left on
real laptops and servers. Add the fixture of a new revision when it is released (run the script
without --force: it makes only the missing ones) and commit it; tests/store/test_upgrades.py and
tests/server/test_upgrades.py upgrade every fixture to head and check every row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
ROWS = 2


def fixture_path(kind: str, revision: str) -> Path:
    return HERE / f"{kind}-{revision}.sqlite"


def value_for(table: sa.Table, column: sa.Column, i: int) -> Any:
    """The known value of ``column`` in row ``i`` of ``table`` (deterministic)."""
    for fk in column.foreign_keys:
        target = fk.column
        return value_for(target.table, target, i)
    name = column.name
    if name == "cl":
        return i  # 1 alive, 2 deleted
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 0
    if isinstance(kind, sa.DateTime):
        return dt.datetime(2026, 3 + i, 10 + i, 8 + i, 15, 30, 123_000 * i)
    if isinstance(kind, sa.JSON):
        return {"field": f"{name}-{i}", "n": i, "text": "é€"}
    if isinstance(kind, sa.Float):
        return 0.125 * (i + 2)
    if isinstance(kind, sa.BigInteger):
        return 2**40 + 7 * i  # beyond 32 bits: a narrowed column would show
    if isinstance(kind, sa.Integer):
        return 10 * i if not column.primary_key else i
    if isinstance(kind, sa.String | sa.Text):
        text = f"{table.name}-{i}" if column.primary_key else f"{name} {i} é"
        length = getattr(kind, "length", None)
        return text[:length] if length else text
    raise TypeError(f"no known value for {table.name}.{name} ({kind!r})")


def fill(conn: sa.Connection) -> None:
    """Two rows of known values in every table that the migrations left empty."""
    meta = sa.MetaData()
    meta.reflect(conn)
    for table in meta.sorted_tables:
        if table.name == "alembic_version":
            continue
        if conn.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            continue  # a row the migration made itself (the server's counter): kept as it is
        rows = [{c.name: value_for(table, c, i) for c in table.columns} for i in range(1, ROWS + 1)]
        conn.execute(table.insert(), rows)


def build_local(revision: str, target: Path) -> None:
    from kpidesk.store.files import APPLICATION_ID
    from kpidesk.store.migrations import run_upgrade

    engine = sa.create_engine(f"sqlite:///{target}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")
            run_upgrade(conn, revision)
            fill(conn)
    finally:
        engine.dispose()


def build_server(revision: str, target: Path) -> None:
    from kpidesk.server import migrations

    engine = sa.create_engine(f"sqlite:///{target}")
    try:
        migrations.upgrade(engine, revision)
        with engine.begin() as conn:
            fill(conn)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    from kpidesk.server.db import KNOWN_REVISIONS as SERVER_REVISIONS
    from kpidesk.store.files import KNOWN_REVISIONS as LOCAL_REVISIONS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild existing fixtures too")
    args = parser.parse_args(argv)
    for kind, revisions, build in (
        ("local", LOCAL_REVISIONS, build_local),
        ("server", SERVER_REVISIONS, build_server),
    ):
        for revision in revisions:
            target = fixture_path(kind, revision)
            if target.exists() and not args.force:
                continue
            target.unlink(missing_ok=True)
            build(revision, target)
            conn = sqlite3.connect(target)
            conn.execute("PRAGMA page_size=512")  # small files in the repository
            conn.execute("VACUUM")
            conn.close()
            print(f"built {target.relative_to(HERE.parent.parent)}")


if __name__ == "__main__":
    main()
