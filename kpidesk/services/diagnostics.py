"""What support may see: a failure's shape (never its values) and the install's vital signs.

Exception messages carry values: SQLAlchemy's hold the statement's parameters (a client's
name, a note), a validation error the rejected text. So a logged failure keeps only the type
of each exception in the chain, the code's frames (file, line, function) and, for a database
statement, its first word; and the diagnostics hold counts, never names or values.
"""

from __future__ import annotations

import platform
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the log set-up imports this module before the first paint: no SQL yet
    from kpidesk.store.database import Database


def failure_summary(error: BaseException) -> str:
    """A traceback without messages: types, frames, and a statement's first word."""
    lines: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        lines.append(_shape(current))
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
    return "\n".join(lines)


def _shape(error: BaseException) -> str:
    kind = f"{type(error).__module__}.{type(error).__qualname__}"
    statement = getattr(error, "statement", None)
    if isinstance(statement, str) and statement.strip():
        return f"{kind} (statement: {statement.split(None, 1)[0].upper()})"
    code = getattr(error, "sqlite_errorname", None)
    return f"{kind} ({code})" if code else kind


def _short(filename: str) -> str:
    # Paths below the home folder name the user: keep the part from the package on.
    parts = Path(filename).parts
    for anchor in ("kpidesk", "site-packages", "lib"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) :])
    return Path(filename).name


def diagnostics(db: Database, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """Version, platform, schema, database size and record counts: nothing about anyone."""
    from kpidesk import __version__
    from kpidesk.store.diagnostics import database_vitals

    with db.read() as conn:
        vitals = database_vitals(conn)
    size = sum(p.stat().st_size for p in (db.path, Path(f"{db.path}-wal")) if p.exists())
    return {
        "kpidesk": __version__,
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "frozen": bool(getattr(sys, "frozen", False)),
        **(extra or {}),
        "schema": vitals.pop("schema"),
        "database_bytes": size,
        **vitals,
    }


def diagnostics_text(data: dict[str, Any]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in data.items())
