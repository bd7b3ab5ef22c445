"""Marking text for translation without Qt.

Qt's ``lupdate`` collects every ``QT_TRANSLATE_NOOP(context, text)`` call, so the pure layers can
write English source strings that the desktop translates at display time with
``QCoreApplication.translate(context, text)``. Here the marker simply returns the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    return source


@dataclass(frozen=True)
class Money:
    """An amount in a message: the display formats it in the rep's locale."""

    cents: int
    currency: str = "EUR"

    def __str__(self) -> str:
        return f"{self.cents / 100:,.2f} {self.currency}"


@dataclass(frozen=True)
class Percent:
    """A fraction shown as a percentage in a message (0.25 -> "25 %")."""

    fraction: float

    def __str__(self) -> str:
        return f"{round(self.fraction * 100)} %"


@dataclass(frozen=True)
class Message:
    """A translatable sentence with named placeholders, e.g. ``"{n} days late"``."""

    context: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return self.template.format(**self.params)

    def __str__(self) -> str:
        return self.english()
