"""UUIDv7 identifiers made on the device, so records created offline never collide."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def uuid7(now_ms: int | None = None) -> str:
    """A new UUIDv7 (RFC 9562) as its canonical 36-character string.

    Ids made in the same millisecond by this process keep increasing (the random part is
    incremented, method 2 of RFC 9562 section 6.2), so insertion order is id order.
    """
    global _last_ms, _last_rand
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    with _lock:
        if ms <= _last_ms:
            ms = _last_ms
            rand = _last_rand + 1
            if rand >= 1 << 74:  # exhausted this millisecond: borrow the next one
                ms += 1
                rand = int.from_bytes(os.urandom(10), "big") >> 6
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 7  # leave headroom to increment
        _last_ms, _last_rand = ms, rand
    return uuid7_from(ms, rand)


def uuid7_from(ms: int, rand: int) -> str:
    """The UUIDv7 for a given millisecond and 74 random bits (deterministic data sets)."""
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    # str(uuid.UUID(int=value)) without the object: an import makes thousands of ids
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def is_uuid(text: str) -> bool:
    """True when ``text`` is a canonical lowercase UUID string."""
    try:
        return str(uuid.UUID(text)) == text
    except (ValueError, TypeError, AttributeError):
        return False
