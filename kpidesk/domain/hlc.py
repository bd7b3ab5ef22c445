"""Hybrid logical clocks (Kulkarni et al., 2014) for per-field last-writer-wins.

A stamp is ``(physical ms, counter, device_id)`` encoded as fixed-width text so that plain string
comparison is clock order, and ties between devices are broken by the device id.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

COUNTER_LIMIT = 0xFFFF
_HLC_RE = re.compile(r"^(\d{13})-([0-9a-f]{4})-([0-9a-z-]{1,64})$")

# The server refuses writes stamped further ahead than this of its own clock (SYNC.md).
MAX_AHEAD_MS = 5 * 60 * 1000


class InvalidHlcError(ValueError):
    """A clock stamp that does not follow the encoding."""


@dataclass(frozen=True, order=True, slots=True)
class Hlc:
    physical_ms: int
    counter: int
    device_id: str

    def encode(self) -> str:
        return f"{self.physical_ms:013d}-{self.counter:04x}-{self.device_id}"

    @classmethod
    def decode(cls, text: str) -> Hlc:
        match = _HLC_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise InvalidHlcError(f"not a clock stamp: {text!r}")
        return cls(int(match[1]), int(match[2], 16), match[3])


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


class HybridClock:
    """One device's clock. ``tick`` stamps a local write; ``observe`` folds in a remote stamp
    so that a write made after seeing another always orders after it, even when this
    device's wall clock is slow."""

    def __init__(
        self,
        device_id: str,
        last: str | None = None,
        now_ms: Callable[[], int] = wall_clock_ms,
    ) -> None:
        self.device_id = device_id
        self._now_ms = now_ms
        self._lock = threading.Lock()
        self._ms, self._counter = 0, 0
        if last:
            self.observe(last)

    @property
    def last(self) -> str:
        return Hlc(self._ms, self._counter, self.device_id).encode()

    def tick(self) -> str:
        with self._lock:
            now = self._now_ms()
            if now > self._ms:
                self._ms, self._counter = now, 0
            else:
                self._advance_counter()
            return Hlc(self._ms, self._counter, self.device_id).encode()

    def observe(self, remote: str) -> None:
        stamp = Hlc.decode(remote)
        with self._lock:
            now = self._now_ms()
            top = max(self._ms, stamp.physical_ms, now)
            if top == self._ms == stamp.physical_ms:
                self._counter = max(self._counter, stamp.counter)
                self._advance_counter()
            elif top == self._ms:
                self._advance_counter()
            elif top == stamp.physical_ms:
                self._ms, self._counter = top, stamp.counter
                self._advance_counter()
            else:
                self._ms, self._counter = top, 0

    def _advance_counter(self) -> None:
        if self._counter >= COUNTER_LIMIT:  # borrow the next millisecond rather than overflow
            self._ms, self._counter = self._ms + 1, 0
        else:
            self._counter += 1


def is_too_far_ahead(stamp: str, now_ms: int, max_ahead_ms: int = MAX_AHEAD_MS) -> bool:
    return Hlc.decode(stamp).physical_ms > now_ms + max_ahead_ms
