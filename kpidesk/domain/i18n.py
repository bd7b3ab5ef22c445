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
class Message:
    """A translatable sentence with named placeholders, e.g. ``"{n} days late"``."""

    context: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)

    def english(self) -> str:
        return self.template.format(**self.params)

    def __str__(self) -> str:
        return self.english()
