"""What the server refuses beyond the wire check (kpidesk.records.wire): values that have
the right type but that no database should hold, or that SQLite and PostgreSQL would hold
differently (or not at all).

- NaN and ±Infinity: PostgreSQL stores NaN, SQLite NULL; once stored, every reply holding the
  row carries a literal no JSON reader has to accept, and every laptop that may see it fails.
- an instant that has the wire shape but does not exist (month 13, 30 February, year 0);
- an integer past its column's range (BIGINT for money, INTEGER elsewhere on PostgreSQL),
  and one too large to become a float for a float column.

Each problem names its field: the mutation is refused, the rest of the request goes on.
"""

from __future__ import annotations

import math
from typing import Any

import sqlalchemy as sa

from kpidesk.domain.timeutil import from_wire
from kpidesk.records.wire import SPECS, InvalidFieldValueError
from kpidesk.server.tables import SERVER_RECORD_TABLES, table_of


def integer_range(column_type: sa.types.TypeEngine) -> tuple[int, int]:
    """The values an integer column holds on PostgreSQL (SQLite holds more: the same bounds
    are applied to both, so a row accepted on one is accepted on the other)."""
    bits = 64 if isinstance(column_type, sa.BigInteger) else 32
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _ranges(table: str) -> dict[str, tuple[int, int]]:
    columns = table_of(SERVER_RECORD_TABLES[table]).c
    return {
        spec.name: integer_range(columns[spec.name].type)
        for spec in SPECS[table]
        if spec.kind == "int"
    }


_RANGES = {table: _ranges(table) for table in SPECS}
_KINDS = {table: {spec.name: spec.kind for spec in specs} for table, specs in SPECS.items()}


def _problem(kind: str, value: Any, bounds: tuple[int, int] | None) -> str | None:
    if isinstance(value, float):
        return None if math.isfinite(value) else "not a finite number"
    if kind == "instant" and isinstance(value, str):
        try:
            from_wire(value)
        except ValueError:
            return "not a real date and time"
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            return f"out of range ({bounds[0]} to {bounds[1]})"
        if kind == "float":
            try:
                float(value)
            except OverflowError:
                return "too large a number"
    return None


def check_values(table: str, row_id: str, fields: dict[str, Any]) -> None:
    """Raise :class:`InvalidFieldValueError` for the first value the server cannot store as
    sent (call after ``check_fields``: types and known names are checked there)."""
    kinds, ranges = _KINDS[table], _RANGES[table]
    for name, value in fields.items():
        reason = _problem(kinds[name], value, ranges.get(name))
        if reason is not None:
            raise InvalidFieldValueError(table, row_id, name, reason)
