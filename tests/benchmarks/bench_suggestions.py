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
from tests.benchmarks.common import DEMO_END, Result, demo_database, interleaved_ms, writable_copy

NOW = datetime.combine(DEMO_END, datetime.min.time(), UTC).replace(hour=9)


def _recorded_queries(db) -> list[tuple[str, object]]:
    """The SQL the facts reader runs, captured once from the engine as sqlite3 receives it.

    (Spying on a helper of the store module broke silently once the helper moved inside
    `read_facts`: the baseline then ran no query at all. The engine sees every statement.)
    """
    captured: list[tuple[str, object]] = []

    def spy(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", spy)
    try:
        with db.read() as conn:
            suggestion_facts.read_facts(conn, NOW, SuggestionSettings())
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", spy)
    assert len(captured) >= 5, captured  # the facts come from several queries, not none
    return captured


def run() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        path = writable_copy(demo_database(5), Path(tmp))
        db = open_database(path)
        service = SuggestionService(db)
        queries = _recorded_queries(db)
        raw = sqlite3.connect(path)

        def baseline() -> list[list]:
            return [raw.execute(sql, params).fetchall() for sql, params in queries]

        # The baseline must read what the service reads: the same rows from the same queries.
        with db.read() as conn:
            facts = [
                [tuple(r) for r in conn.exec_driver_sql(sql, params)] for sql, params in queries
            ]
        assert facts == baseline(), "the raw queries do not return the service's rows"
        assert any(facts), "no facts at all: nothing is being measured"
        ours, floor = interleaved_ms(lambda: service.today(NOW), baseline, 30)
        raw.close()
        db.close()
    return [
        Result.of("all suggestions for today", ours, "the same queries in raw sqlite3",
                  floor, "< 50 ms", lambda ms, _ratio: ms < 50),
    ]  # fmt: skip
