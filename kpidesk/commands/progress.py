"""A progress bar on stderr for the commands that take seconds (``kpidesk demo``).

On a terminal the bar redraws itself on one line; when stderr is a file or a pipe (a log, CI) a
bar would be a wall of carriage returns, so each quarter done is one plain line instead. stdout
is never touched: a command's result (its JSON) stays exactly what it was.
"""

from __future__ import annotations

import sys
from typing import TextIO

from kpidesk.presentation import Formatter

BAR_WIDTH = 30
PLAIN_STEPS = 4  # lines written without a terminal: 25 %, 50 %, 75 %, 100 %


class TerminalProgress:
    """Call it with the share done (0 to 1); ``finish`` ends the line."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self._label = label
        self._stream = stream if stream is not None else sys.stderr
        self._fmt = Formatter()
        isatty = getattr(self._stream, "isatty", None)
        self._live = bool(isatty and isatty())
        self._shown = -1  # the last percent drawn (or plain step written)

    def __call__(self, done: float) -> None:
        # Nothing before the first report: a command refused at once prints its error alone.
        if self._shown < 0 and not self._live:
            self._write(f"{self._label}…\n")
            self._shown = 0
        done = min(1.0, max(0.0, done))
        if self._live:
            percent = int(done * 100)
            if percent == self._shown:
                return  # called thousands of times; the terminal redraws a hundred at most
            self._shown = percent
            filled = round(BAR_WIDTH * done)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            self._write(f"\r{self._label} {bar} {self._fmt.percent(done)}")
            return
        step = int(done * PLAIN_STEPS)
        if step > self._shown and step > 0:
            self._shown = step
            self._write(f"{self._label}: {self._fmt.percent(step / PLAIN_STEPS)}\n")

    def finish(self) -> None:
        self(1.0)
        if self._live:  # end the bar's line
            self._write("\n")

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()
