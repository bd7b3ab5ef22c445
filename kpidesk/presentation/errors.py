"""The store's errors in the rep's words, from their kind and parameters (the file, the
system's reason), the same in the app and the terminal."""

from __future__ import annotations

from kpidesk.presentation.translation import N_, _
from kpidesk.store.errors import (
    DamagedDatabaseError,
    DiskFullError,
    NotYoursError,
    RecordNotFoundError,
    StoreError,
    StoreProblem,
)

_STORE_SENTENCES = {
    StoreProblem.UNUSABLE: N_("{path} cannot be used: {detail}"),
    StoreProblem.MISSING: N_("no kpidesk database at {path}"),
    StoreProblem.FOLDER: N_("{path} is a folder, not a kpidesk database"),
    StoreProblem.NOT_SQLITE: N_("{path} is not a kpidesk database (not a SQLite file)"),
    StoreProblem.FOREIGN: N_(
        "{path} is a SQLite database of another program (tables: {detail}), not kpidesk's"
    ),
    StoreProblem.NEWER_SCHEMA: N_(
        "{path} was upgraded by a newer kpidesk (schema {detail}); update kpidesk to open it"
    ),
    StoreProblem.UPGRADE_FAILED: N_("{path} could not be upgraded (nothing was changed): {detail}"),
    StoreProblem.REAL_DATA: N_("{path} holds real data; the demo only writes to a new file"),
}


def store_error_text(error: StoreError) -> str:
    """One sentence naming the file and what is wrong."""
    if isinstance(error, NotYoursError):
        return _(
            "This record belongs to someone else on your team: you can see it here, but only "
            "its owner can change it. Nothing was changed."
        )
    if isinstance(error, RecordNotFoundError):
        return _("This record no longer exists; it may have been deleted.")
    if isinstance(error, DamagedDatabaseError):
        return _(
            "Your data file {path} is damaged ({problem}). kpidesk did not read it as if it "
            "were whole and will not write to it."
        ).format(path=error.path, problem=error.problem)
    if isinstance(error, DiskFullError):
        return _(
            "The disk is full: {path} could not be written, nothing was saved. Free some "
            "space and try again; what was saved before is safe."
        ).format(path=error.path)
    if error.path is None:  # raised without parameters: its own (English) sentence
        return str(error)
    return _(_STORE_SENTENCES[error.kind]).format(path=error.path, detail=error.detail)
