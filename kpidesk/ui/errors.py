"""Exceptions in plain words for the rep: never a traceback dialog."""

from __future__ import annotations

from kpidesk.presentation import _
from kpidesk.presentation.errors import store_error_text
from kpidesk.presentation.labels import message_text
from kpidesk.services.errors import InvalidInputError
from kpidesk.store.errors import (
    DamagedDatabaseError,
    DiskFullError,
    NotYoursError,
    RecordNotFoundError,
    StoreError,
)
from kpidesk.sync.errors import SyncProblemError


def plain_words(error: BaseException) -> str:
    if isinstance(error, SyncProblemError):
        from kpidesk.presentation.sync import problem_text

        return problem_text(error.kind, error.message)
    if isinstance(error, InvalidInputError):
        return " ".join(message_text(p.message) for p in error.problems)
    if isinstance(
        error, NotYoursError | RecordNotFoundError | DamagedDatabaseError | DiskFullError
    ):
        return store_error_text(error)
    if isinstance(error, StoreError):
        return _("Your data could not be read or saved: {detail}").format(
            detail=store_error_text(error)
        )
    if isinstance(error, OSError):
        return _("A file could not be used: {detail}").format(detail=error.strerror or error)
    return _(
        "Something went wrong ({kind}). Nothing was half-saved; the details are in the log file."
    ).format(kind=type(error).__name__)
