"""Reading every row of a database as comparable values, whatever the backend."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.upgrades.build import HERE

Rows = dict[str, list[dict[str, Any]]]


def fixtures(kind: str) -> dict[str, Path]:
    """The revision of each fixture of ``kind`` ("local" or "server")."""
    return {p.stem.split("-")[1]: p for p in sorted(HERE.glob(f"{kind}-*.sqlite"))}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def all_rows(engine: sa.Engine) -> Rows:
    """Every row of every table (but Alembic's), typed by the reflected columns."""
    meta = sa.MetaData()
    meta.reflect(engine)
    rows: Rows = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            found = conn.execute(sa.select(table)).mappings()
            rows[table.name] = sorted(
                ({k: _plain(v) for k, v in r.items()} for r in found), key=repr
            )
    return rows


def kept(before: Rows, after: Rows) -> dict[str, tuple[list, list]]:
    """The tables where the upgraded rows, cut to the columns the old schema had, differ from
    the old rows: {table: (before, after)}; empty when every record is there, the same."""
    differ = {}
    for table, old in before.items():
        columns = set(old[0]) if old else set()
        new = sorted(({c: r.get(c, "<column gone>") for c in columns}
                      for r in after.get(table, [])), key=repr)  # fmt: skip
        if table not in after or new != old:
            differ[table] = (old, new)
    return differ
