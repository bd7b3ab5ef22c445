"""Implementations of the ``kpidesk`` subcommands, imported by ``kpidesk.cli`` only when run.

This package stays light to import: each command module imports what it needs inside its
functions, so ``kpidesk --help`` never pays for the store or the services.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

# The kinds of period the commands accept: here rather than in ``kpi``, so that the parser (and
# the app's start, which builds none of it) need not import that command.
PERIOD_CHOICES = ("week", "month", "quarter", "year", "last_30_days", "last_90_days")


class UsageError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, refused in the user's words."""

    def parse(text: str) -> int:
        from kpidesk.presentation import _

        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                _("not a whole number: {text!r}").format(text=text)
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                _("must be between {low} and {high}: {text}").format(low=low, high=high, text=text)
            )
        return value

    return parse
