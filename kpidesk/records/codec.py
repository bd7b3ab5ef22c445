"""Field values on the wire (JSON): instants as fixed-width ISO text, enums as their value."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from kpidesk.domain.timeutil import to_wire


def encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_wire(value)
    if isinstance(value, Enum):
        return value.value
    return value
