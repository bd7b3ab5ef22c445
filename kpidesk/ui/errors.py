"""Exceptions in plain words for the rep: never a traceback dialog."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kpidesk.services.errors import InvalidInputError
from kpidesk.store.errors import (
    DamagedDatabaseError,
    DiskFullError,
    NotYoursError,
    RecordNotFoundError,
    StoreError,
)
from kpidesk.sync.errors import SyncProblemError
from kpidesk.ui.labels import message_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("Errors", text)


def plain_words(error: BaseException) -> str:
    if isinstance(error, SyncProblemError):
        from kpidesk.ui.sync_words import problem_text

        return problem_text(error.kind, error.message)
    if isinstance(error, InvalidInputError):
        return " ".join(message_text(p.message) for p in error.problems)
    if isinstance(error, NotYoursError):
        return _tr(
            "This record belongs to someone else on your team: you can see it here, but only "
            "its owner can change it. Nothing was changed."
        )
    if isinstance(error, RecordNotFoundError):
        return _tr("This record no longer exists; it may have been deleted.")
    if isinstance(error, DamagedDatabaseError):
        return _tr(
            "Your data file {path} is damaged ({problem}). kpidesk did not read it as if it "
            "were whole and will not write to it."
        ).format(path=error.path, problem=error.problem)
    if isinstance(error, DiskFullError):
        return _tr(
            "The disk is full: {path} could not be written, nothing was saved. Free some "
            "space and try again; what was saved before is safe."
        ).format(path=error.path)
    if isinstance(error, StoreError):
        return _tr("Your data could not be read or saved: {detail}").format(detail=str(error))
    if isinstance(error, OSError):
        return _tr("A file could not be used: {detail}").format(detail=error.strerror or error)
    return _tr(
        "Something went wrong ({kind}). Nothing was half-saved; the details are in the log file."
    ).format(kind=type(error).__name__)
