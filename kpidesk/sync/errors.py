"""What can go wrong while syncing. Nothing is lost in any case: local changes stay in the
outbox until the server has acknowledged them.

The error carries a kind (defined in the domain, so the words in ``kpidesk.presentation`` need
not import the engine) and the engine's or server's own English explanation, for logs and for
the kinds that have no sentence of their own.
"""

from __future__ import annotations

from kpidesk.domain.sync_problems import ProblemKind

__all__ = ["ProblemKind", "SyncProblemError"]


class SyncProblemError(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
