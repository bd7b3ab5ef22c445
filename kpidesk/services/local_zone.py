"""The time zone this computer runs in, as an IANA zone (for periods in the rep's local time).

Only composition roots (the CLI, the app) call this; domain code is always given its zone.
A fixed UTC offset would be wrong half the year, so the zone is found by name.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_ZONE = ZoneInfo("UTC")


def zone_named(name: str) -> ZoneInfo:
    """The zone called ``name`` ("Europe/Paris"); ValueError naming it when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone: {name!r} (use a name such as Europe/Paris)") from None


def machine_zone() -> ZoneInfo:
    """The zone from $TZ, else /etc/localtime or /etc/timezone (Linux, macOS), else UTC."""
    candidates = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        try:
            return zone_named(name)
        except ValueError:
            continue
    return UTC_ZONE
