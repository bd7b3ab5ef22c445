"""The merge rule shared by the device and the server.

Each field keeps the value written with the larger clock stamp (the stamp text ends with the
device id, so equal times are broken by device). Row liveness is a causal length: odd means
alive, even means deleted, and the larger one wins, so a stale edit never resurrects a row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# In a row's clocks, "*" is the stamp of every field that has no entry of its own: a new row
# carries one stamp instead of one per field.
DEFAULT_CLOCK = "*"


def clock_of(clocks: Mapping[str, str], name: str) -> str | None:
    return clocks.get(name) or clocks.get(DEFAULT_CLOCK)


def is_alive(cl: int) -> bool:
    return cl % 2 == 1


def deleted_cl(cl: int) -> int:
    """The causal length after deleting a row (unchanged when already deleted)."""
    return cl + 1 if is_alive(cl) else cl


def undeleted_cl(cl: int) -> int:
    """The causal length after undeleting a row (unchanged when already alive)."""
    return cl if is_alive(cl) else cl + 1


@dataclass
class FieldMerge:
    """What merging incoming field writes into a row decided."""

    values: dict[str, Any] = field(default_factory=dict)  # fields whose incoming value won
    clocks: dict[str, str] = field(default_factory=dict)  # the row's clocks after the merge
    lost: dict[str, str] = field(default_factory=dict)  # field -> winning (local) stamp

    @property
    def changed(self) -> bool:
        return bool(self.values)


def merge_fields(
    current_clocks: Mapping[str, str],
    incoming: Mapping[str, tuple[Any, str]],
) -> FieldMerge:
    """Merge ``incoming`` ``{field: (value, stamp)}`` into a row with ``current_clocks``."""
    result = FieldMerge(clocks=dict(current_clocks))
    for name, (value, stamp) in incoming.items():
        mine = clock_of(current_clocks, name)
        if mine is None or stamp > mine:
            result.values[name] = value
            result.clocks[name] = stamp
        elif stamp != mine:
            result.lost[name] = mine
    return result
