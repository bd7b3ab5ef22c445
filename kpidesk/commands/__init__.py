"""Implementations of the ``kpidesk`` subcommands, imported by ``kpidesk.cli`` only when run.

This package stays light to import: each command module imports what it needs inside its
functions, so ``kpidesk --help`` never pays for the store or the services.
"""

from __future__ import annotations


class UsageError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""
