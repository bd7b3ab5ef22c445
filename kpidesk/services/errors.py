"""The error every service raises for input it refuses: nothing has been saved."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import ValidationError

from kpidesk.domain.checks import Problem
from kpidesk.domain.i18n import N_, Message


class InvalidInputError(Exception):
    """The rep's input was refused; ``problems`` name each field and why."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def for_field(self, field: str) -> list[Problem]:
        return [p for p in self.problems if p.field == field]


def from_validation_error(exc: ValidationError) -> InvalidInputError:
    """Turn pydantic's report into problems (a last line of defence behind the checks)."""
    problems = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        problems.append(
            Problem(
                field,
                Message(
                    N_("This value is not valid: {detail}."),
                    {"detail": error["msg"]},
                ),
            )
        )
    return InvalidInputError(problems)
