"""A progress bar on stderr for the commands that take seconds (``kpidesk demo``).

Only on a terminal, where the bar redraws itself on one line. When stderr is a file or a pipe
(a log, CI, a script) nothing is drawn, as git and pip do: a bar there is a wall of carriage
returns, and a script reads one clear line when something goes wrong. stdout is never touched:
a command's result (its JSON) stays exactly what it was.
"""

from __future__ import annotations

import sys
from typing import TextIO

from kpidesk.presentation import Formatter

BAR_WIDTH = 30


class TerminalProgress:
    """Call it with the share done (0 to 1); ``finish`` ends the line, ``abandon`` ends it
    when the work failed, so the error that follows starts on a line of its own."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self._label = label
        self._stream = stream if stream is not None else sys.stderr
        self._fmt = Formatter()
        isatty = getattr(self._stream, "isatty", None)
        self.live = bool(isatty and isatty())
        self._shown = -1  # the last percent drawn

    def __call__(self, done: float) -> None:
        if not self.live:
            return
        done = min(1.0, max(0.0, done))
        percent = int(done * 100)
        if percent == self._shown:
            return  # called thousands of times; the terminal redraws a hundred at most
        self._shown = percent
        filled = round(BAR_WIDTH * done)
        bar = "█" * filled + "·" * (BAR_WIDTH - filled)
        self._write(f"\r{self._label} {bar} {self._fmt.percent(done)}")

    def finish(self) -> None:
        self(1.0)
        self.abandon()

    def abandon(self) -> None:
        if self.live and self._shown >= 0:
            self._write("\n")
            self._shown = -1

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()
