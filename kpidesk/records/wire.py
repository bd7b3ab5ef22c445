"""Fast checking and conversion of synced field values, for bulk sync.

Validating 50,000 incoming rows with full pydantic models would cost more than the rest of a
first sync; instead each record type gets a compiled list of field checks derived from the
same model definitions (type, enum values, length and range limits). A value that fails is
reported with its table, row and field, and nothing is applied.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import annotated_types

from kpidesk.records.models import SYNCED_RECORDS, SyncedRecord, business_fields

_WIRE_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


class InvalidFieldValueError(ValueError):
    def __init__(self, table: str, row_id: str, field: str, reason: str) -> None:
        super().__init__(f"{table} {row_id}, field {field}: {reason}")
        self.table, self.row_id, self.field = table, row_id, field


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "str", "int", "float", "instant", "enum"
    nullable: bool
    choices: frozenset[str] | None = None
    max_length: int | None = None
    min_length: int | None = None
    ge: float | None = None
    le: float | None = None

    def check(self, value: Any) -> str | None:
        """None when ``value`` is acceptable on the wire, else the reason."""
        if value is None:
            return None if self.nullable else "a value is required"
        kind = self.kind
        if kind == "str" or kind == "enum":
            if not isinstance(value, str):
                return "text expected"
            if self.choices is not None and value not in self.choices:
                return f"not one of {sorted(self.choices)}"
            if self.max_length is not None and len(value) > self.max_length:
                return f"longer than {self.max_length} characters"
            if self.min_length is not None and len(value) < self.min_length:
                return f"shorter than {self.min_length} characters"
            if "\x00" in value:
                return "contains a NUL character"
            return None
        if kind == "instant":
            return (
                None if isinstance(value, str) and _WIRE_INSTANT.match(value) else "not an instant"
            )
        if isinstance(value, bool) or not isinstance(value, int if kind == "int" else int | float):
            return "whole number expected" if kind == "int" else "number expected"
        if self.ge is not None and value < self.ge:
            return f"below {self.ge}"
        if self.le is not None and value > self.le:
            return f"above {self.le}"
        return None


def _spec(name: str, annotation: Any, metadata: list[Any]) -> FieldSpec:
    nullable = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(annotation))
        annotation = args[0]
    limits: dict[str, Any] = {}
    for item in metadata:
        if isinstance(item, annotated_types.MaxLen):
            limits["max_length"] = item.max_length
        elif isinstance(item, annotated_types.MinLen):
            limits["min_length"] = item.min_length
        elif isinstance(item, annotated_types.Ge):
            limits["ge"] = item.ge
        elif isinstance(item, annotated_types.Le):
            limits["le"] = item.le
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return FieldSpec(name, "enum", nullable, frozenset(m.value for m in annotation), **limits)
    kind = {str: "str", int: "int", float: "float", datetime: "instant"}[annotation]
    return FieldSpec(name, kind, nullable, **limits)


def field_specs(record: type[SyncedRecord]) -> tuple[FieldSpec, ...]:
    fields = record.model_fields
    return tuple(
        _spec(name, fields[name].annotation, fields[name].metadata)
        for name in business_fields(record)
    )


SPECS: dict[str, tuple[FieldSpec, ...]] = {
    table: field_specs(record) for table, record in SYNCED_RECORDS.items()
}


def _inline_condition(spec: FieldSpec, var: str) -> str:
    """A Python expression that is True when ``var`` is an acceptable value for ``spec``."""
    if spec.kind in ("str", "enum"):
        if spec.choices is not None:
            test = f"{var} in {sorted(spec.choices)!r}"
        else:
            lo, hi = spec.min_length or 0, spec.max_length
            length = f"{lo} <= len({var})" + (f" <= {hi}" if hi is not None else "")
            test = f"(type({var}) is str and {length} and '\\x00' not in {var})"
    elif spec.kind == "instant":
        test = f"(type({var}) is str and _instant({var}) is not None)"
    else:
        kinds = "int" if spec.kind == "int" else "(int, float)"
        test = f"(isinstance({var}, {kinds}) and type({var}) is not bool"
        test += f" and {var} >= {spec.ge!r}" if spec.ge is not None else ""
        test += f" and {var} <= {spec.le!r}" if spec.le is not None else ""
        test += ")"
    return f"({var} is None or {test})" if spec.nullable else test


def _compile_row_reader(table: str) -> Callable[[dict[str, Any]], list[Any] | None]:
    """One function per record type that checks a whole row inline and returns its values as
    stored on the laptop (in ``SPECS`` order, instants as SQLite text), or None when a value
    is bad. A first sync reads tens of thousands of rows: calling a function per value cost
    more than the rest of applying them; the reason for a refusal is then found with
    :meth:`FieldSpec.check`."""
    lines = ["def read(fields):", "    get = fields.get"]
    names = []
    for i, spec in enumerate(SPECS[table]):
        lines.append(f"    v{i} = get({spec.name!r})")
        lines.append(f"    if not {_inline_condition(spec, f'v{i}')}: return None")
        if spec.kind == "instant":  # 2026-03-02T09:30:00.000000Z -> 2026-03-02 09:30:00.000000
            lines.append(f"    if v{i} is not None: v{i} = v{i}[:10] + ' ' + v{i}[11:26]")
        names.append(f"v{i}")
    lines.append(f"    return [{', '.join(names)}]")
    namespace: dict[str, Any] = {"_instant": _WIRE_INSTANT.match}
    exec("\n".join(lines), namespace)
    return namespace["read"]


ROW_READERS = {table: _compile_row_reader(table) for table in SPECS}
KNOWN_FIELDS = {table: frozenset(spec.name for spec in specs) for table, specs in SPECS.items()}


def read_row(table: str, row_id: str, fields: dict[str, Any]) -> list[Any]:
    """Check a whole row as the server sends it and return its values as the laptop stores
    them, in ``SPECS[table]`` order. A field left out is null (the server leaves nulls out of
    its replies, a first sync is a third smaller that way)."""
    known = KNOWN_FIELDS[table]
    if not fields.keys() <= known:
        unknown = sorted(set(fields) - known)[0]
        raise InvalidFieldValueError(table, row_id, unknown, "unknown field")
    values = ROW_READERS[table](fields)
    if values is None:
        for spec in SPECS[table]:
            reason = spec.check(fields.get(spec.name))
            if reason is not None:
                raise InvalidFieldValueError(table, row_id, spec.name, reason)
        raise InvalidFieldValueError(table, row_id, "?", "invalid")  # the two checks disagree
    return values


# The compact form of a page of changes (SYNC.md, "Compact pages"): per table, the column names
# once, then each row as an array: these sync columns first, then business fields by name.
SYNC_COLUMNS = ("id", "owner_id", "cl", "server_version", "clocks")
_SYNC_CHECK = (
    "type(c0) is str and type(c1) is str and type(c2) is int and type(c3) is int"
    " and type(c4) is dict"
)
PageRow = tuple[str, str, int, int, dict[str, str], list[Any]]


def _compile_page_reader(
    table: str, columns: tuple[str, ...]
) -> Callable[[list[Any]], tuple[list[PageRow], int]]:
    """One function that checks a whole page of rows in one loop (no call per row or per
    value) and returns ``(rows, -1)``, each row as (id, owner_id, cl, server_version, clocks,
    values in ``SPECS`` order as stored here), or ``(rows so far, index of the first bad row)``.
    A field the page has no column for is null in every row, as in the dict form."""
    position = {name: i for i, name in enumerate(columns)}
    n = len(columns)
    lines = [
        "def read(rows):",
        "    out = []",
        "    append = out.append",
        "    for index, r in enumerate(rows):",
        f"        if type(r) is not list or len(r) != {n}: return out, index",
        f"        {', '.join(f'c{i}' for i in range(n))}, = r",
        f"        if not ({_SYNC_CHECK}): return out, index",
    ]
    names = []
    for i, spec in enumerate(SPECS[table]):
        var = f"v{i}"
        lines.append(f"        {var} = c{position[spec.name]}" if spec.name in position
                     else f"        {var} = None")  # fmt: skip
        lines.append(f"        if not {_inline_condition(spec, var)}: return out, index")
        if spec.kind == "instant":
            lines.append(f"        if {var} is not None: {var} = {var}[:10] + ' ' + {var}[11:26]")
        names.append(var)
    lines.append(f"        append((c0, c1, c2, c3, c4, [{', '.join(names)}]))")
    lines.append("    return out, -1")
    namespace: dict[str, Any] = {"_instant": _WIRE_INSTANT.match}
    exec("\n".join(lines), namespace)
    return namespace["read"]


_PAGE_READERS: dict[tuple[str, tuple[str, ...]], Callable[[list[Any]], Any]] = {}


def read_page(table: str, columns: list[str], rows: list[Any]) -> list[PageRow]:
    """Check a compact page whole; raise :class:`InvalidFieldValueError` naming the first bad
    row and field (ValueError for a malformed page), so nothing of the page is applied."""
    key = (table, tuple(columns))
    reader = _PAGE_READERS.get(key)
    if reader is None:
        if tuple(columns[: len(SYNC_COLUMNS)]) != SYNC_COLUMNS:
            raise ValueError(f"{table} page: its columns must start with {list(SYNC_COLUMNS)}")
        fields = columns[len(SYNC_COLUMNS) :]
        for name in fields:
            if name not in KNOWN_FIELDS[table]:
                raise InvalidFieldValueError(table, "?", str(name), "unknown field")
        if len(set(fields)) != len(fields):
            raise ValueError(f"{table} page: a column is named twice")
        reader = _PAGE_READERS[key] = _compile_page_reader(table, key[1])
    out, bad = reader(rows)
    if bad >= 0:
        _explain(table, columns, rows[bad])
    return out


def _explain(table: str, columns: list[str], row: Any) -> None:
    """Why a row of a page was refused (the compiled reader only says which row)."""
    if not isinstance(row, list) or len(row) != len(columns):
        raise ValueError(f"{table} page: a row does not have {len(columns)} values")
    values = dict(zip(columns, row, strict=True))
    row_id = values["id"] if isinstance(values["id"], str) else "?"
    for name, kind in zip(SYNC_COLUMNS, (str, str, int, int, dict), strict=True):
        if type(values[name]) is not kind:
            raise InvalidFieldValueError(table, row_id, name, f"{kind.__name__} expected")
    for spec in SPECS[table]:
        reason = spec.check(values.get(spec.name))
        if reason is not None:
            raise InvalidFieldValueError(table, row_id, spec.name, reason)
    raise InvalidFieldValueError(table, row_id, "?", "invalid")  # the two checks disagree


def check_fields(table: str, row_id: str, fields: dict[str, Any], *, complete: bool) -> None:
    """Raise :class:`InvalidFieldValueError` for an unknown field or a bad value.

    ``complete``: every field of the record must be present (a whole row, not a change).
    """
    known = KNOWN_FIELDS[table]
    specs = SPECS[table]
    unknown = set(fields) - known
    if unknown:
        raise InvalidFieldValueError(table, row_id, sorted(unknown)[0], "unknown field")
    for spec in specs:
        if spec.name not in fields:
            if complete:
                raise InvalidFieldValueError(table, row_id, spec.name, "missing")
            continue
        reason = spec.check(fields[spec.name])
        if reason is not None:
            raise InvalidFieldValueError(table, row_id, spec.name, reason)


def sqlite_instant_to_wire(text: str) -> str:
    return f"{text[:10]}T{text[11:26]}Z"


# --- a new record's values, checked fast (bulk writes: an import) ----------------------------


def _default_makers(record: type[SyncedRecord]) -> dict[str, Callable[[], Any]]:
    makers: dict[str, Callable[[], Any]] = {}
    for name in business_fields(record):
        info = record.model_fields[name]
        if info.default_factory is not None:
            makers[name] = info.default_factory  # type: ignore[assignment]
        elif not info.is_required():
            makers[name] = lambda default=info.default: default
    return makers


def _compile_new_record_check(
    table: str,
) -> Callable[[dict[str, Any]], tuple[dict[str, Any], list[Any]] | None]:
    """One function per record type, like ``_compile_row_reader``, for a new record's Python
    values: the model's defaults filled in, instants and enums put in their wire form, every
    value checked inline; it returns (wire values, stored values) or None."""
    makers = _default_makers(SYNCED_RECORDS[table])
    namespace: dict[str, Any] = {"_instant": _WIRE_INSTANT.match, "datetime": datetime,
                                 "StrEnum": StrEnum, "UTC": UTC, "_wire_of": {}}  # fmt: skip
    lines = ["def check(values):"]
    wire, stored = [], []
    for i, spec in enumerate(SPECS[table]):
        var = f"v{i}"
        if spec.name in makers:
            namespace[f"d{i}"] = makers[spec.name]
            default = f"d{i}()"
        else:
            default = "None"
        lines.append(f"    {var} = values[{spec.name!r}] if {spec.name!r} in values else {default}")
        if spec.kind == "instant":
            # An import repeats its dates (each distinct cell is parsed once, into one object):
            # each instant's wire text is made once. Keyed with ``fold``: two aware datetimes
            # of the same zone compare equal whatever their fold, an hour apart at a DST end.
            lines += [
                f"    if isinstance({var}, datetime):",
                f"        w = _wire_of.get(({var}, {var}.fold))",
                "        if w is None:",
                f"            if {var}.tzinfo is None or {var}.utcoffset() is None: return None",
                f"            u = {var} if {var}.tzinfo is UTC else {var}.astimezone(UTC)",
                "            w = u.isoformat(timespec='microseconds')[:26] + 'Z'",
                "            if len(_wire_of) >= 4096: _wire_of.clear()",  # bounded, never stale
                f"            _wire_of[({var}, {var}.fold)] = w",
                f"        {var} = w",
            ]
        elif spec.kind == "enum":
            lines.append(f"    if isinstance({var}, StrEnum): {var} = {var}.value")
        elif spec.kind == "float":
            lines.append(f"    if type({var}) is int: {var} = float({var})")
        lines.append(f"    if not {_inline_condition(spec, var)}: return None")
        wire.append(f"{spec.name!r}: {var}")
        if spec.kind == "instant":
            stored.append(f"None if {var} is None else {var}[:10] + ' ' + {var}[11:26]")
        else:
            stored.append(var)
    lines.append(f"    return {{{', '.join(wire)}}}, [{', '.join(stored)}]")
    exec("\n".join(lines), namespace)
    return namespace["check"]


_NEW_RECORD_CHECKS = {table: _compile_new_record_check(table) for table in SPECS}


def new_record_values(
    table: str, values: dict[str, Any]
) -> tuple[dict[str, Any], list[Any]] | None:
    """A new record's business fields (the model's defaults filled in) as sent on the wire and
    as stored here (``SPECS`` order), checked by the compiled checks a first sync uses; None
    when a value does not pass them, and then the pydantic model says why (or repairs it, as
    it takes a NUL out of a text). Thousands of rows checked this way cost a fraction of the
    models' validation; what passes here passes the models' limits too (same definitions).
    Keys that are not business fields are ignored."""
    return _NEW_RECORD_CHECKS[table](values)
