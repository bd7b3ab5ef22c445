"""Sentences the pure layers make, rendered later in the rep's language.

The domain imports nothing from the project, so it has its own no-op ``N_``: Babel's extraction
collects every ``N_("...")`` into the gettext catalogue, and ``kpidesk.presentation`` translates
the text where it is shown. ``str()`` of these values is English, for logs and JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def N_(text: str) -> str:
    """Marks an English source text for the catalogue; translated at display time."""
    return text


def plural_message(singular: str, plural: str, count: str = "n", **params: Any) -> Message:
    """A sentence about ``params[count]`` things; extracted like ``ngettext(singular, plural)``."""
    return Message(singular, dict(params), plural=plural, count=count)


@dataclass(frozen=True)
class Money:
    """An amount in a message: the display formats it in the rep's locale."""

    cents: int
    currency: str = "EUR"

    def __str__(self) -> str:
        return f"{self.cents / 100:,.2f} {self.currency}"


@dataclass(frozen=True)
class Percent:
    """A fraction shown as a percentage in a message (0.25 -> "25%")."""

    fraction: float

    def __str__(self) -> str:
        return f"{round(self.fraction * 100)}%"


@dataclass(frozen=True)
class Message:
    """A translatable sentence with named placeholders, e.g. ``"{n} days late"``.

    With ``plural``, the sentence depends on the number ``params[count]`` ("1 day late" /
    "{n} days late"): the language's plural rule picks the form when it is rendered. Make one
    with :func:`plural_message`, which the catalogue's extraction reads as a plural entry.
    """

    template: str
    params: dict[str, Any] = field(default_factory=dict)
    plural: str = ""
    count: str = "n"  # the parameter that chooses the plural form

    def english(self) -> str:
        template = self.template
        if self.plural and self.params.get(self.count) != 1:
            template = self.plural
        params = {k: v.english() if isinstance(v, Message) else v for k, v in self.params.items()}
        return template.format(**params)

    def __str__(self) -> str:
        return self.english()
