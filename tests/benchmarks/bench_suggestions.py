"""All of today's suggestions on the 5-year demo data set (target: under 50 ms).

Baseline, same run: the same fact queries executed with plain sqlite3 and nothing else (no
rules, no objects), i.e. the floor the database itself sets.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from kpidesk.domain.suggestions import SuggestionSettings
from kpidesk.services.suggestions import SuggestionService
from kpidesk.store import suggestion_facts
from kpidesk.store.database import open_database
from tests.benchmarks.common import (
    DEMO_END,
    Result,
    demo_database,
    median,
    timings_ms,
    writable_copy,
)

NOW = datetime.combine(DEMO_END, datetime.min.time(), UTC).replace(hour=9)


def _recorded_queries(db) -> list[tuple[str, dict]]:
    """The SQL the facts reader runs, captured once with its parameters."""
    captured: list[tuple[str, dict]] = []
    original = suggestion_facts._rows

    def spy(conn: sa.Connection, sql: str, **params: object) -> list:
        captured.append((sql, params))
        return original(conn, sql, **params)

    suggestion_facts._rows = spy
    try:
        with db.read() as conn:
            suggestion_facts.read_facts(conn, NOW, SuggestionSettings())
    finally:
        suggestion_facts._rows = original
    return captured


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        path = writable_copy(demo_database(5), Path(tmp))
        db = open_database(path)
        service = SuggestionService(db)
        ours = timings_ms(lambda: service.today(NOW), 30)
        queries = _recorded_queries(db)
        raw = sqlite3.connect(path)

        def baseline() -> None:
            for sql, params in queries:
                raw.execute(sql, params).fetchall()

        floor = timings_ms(baseline, 30)
        raw.close()
        db.close()
    mine = median(ours)
    return [
        Result("all suggestions for today", mine, "the same queries in raw sqlite3",
               median(floor), "< 50 ms", mine < 50),
    ]  # fmt: skip
