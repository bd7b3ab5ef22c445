"""Python's cycle collector, paused around work that makes many objects and no garbage cycles.

A full pass of the collector visits every object the process holds: after the start's imports,
hundreds of thousands. Work that allocates a lot (a first sync's pages, 10,000 rows each, or the
start's imports themselves) sets off such passes again and again, though everything it makes is
freed by reference counting. Measured on a first sync of 58,000 records: a fifth of its time.

The one piece of process plumbing in the domain: it is the layer every other may import, and the
collector, like this pause, is process-wide.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _CollectorPause:
    """Pauses that overlap (two threads, or nested) keep the collector off until the last one
    ends; it then comes back on only if it was on before the first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0 and self._was_enabled:
                    gc.enable()


# Process-wide because the collector is: one pause's end must know about every other pause.
cycle_collection_paused = _CollectorPause()


def keep_out_of_collection() -> None:
    """What the process holds now stays for its lifetime (the modules the start imported, the
    server's app): the collector's passes stop visiting it. The first call only: by a later
    one, what exists also holds what came and went since (a previous window), which the
    collector must still be able to free.

    Without it, the first pass after the start's imports went over all they made at once
    (50-80 ms, before the pages were ready), and each full pass after that did again."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
