"""Structured outcomes: a short list per activity kind, stored as a stable key in ``outcome``.

An outcome written before the list existed (free text) stays as it is and is shown as written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType

from kpidesk.domain.vocabulary import ActivityKind


class Outcome(StrEnum):
    REACHED = "reached"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    MEETING_SET = "meeting_set"
    MEETING_HELD = "meeting_held"
    OFFER_REQUESTED = "offer_requested"
    NOT_INTERESTED = "not_interested"
    REPLIED = "replied"
    NO_REPLY = "no_reply"
    DONE = "done"


OUTCOMES_BY_KIND: Mapping[ActivityKind, tuple[Outcome, ...]] = MappingProxyType(
    {
        ActivityKind.CALL: (
            Outcome.REACHED,
            Outcome.MEETING_SET,
            Outcome.VOICEMAIL,
            Outcome.NO_ANSWER,
            Outcome.NOT_INTERESTED,
        ),
        ActivityKind.VISIT: (
            Outcome.MEETING_HELD,
            Outcome.OFFER_REQUESTED,
            Outcome.MEETING_SET,
            Outcome.NOT_INTERESTED,
        ),
        ActivityKind.EMAIL: (
            Outcome.REPLIED,
            Outcome.OFFER_REQUESTED,
            Outcome.NO_REPLY,
            Outcome.NOT_INTERESTED,
        ),
        ActivityKind.OTHER: (Outcome.DONE, Outcome.OFFER_REQUESTED, Outcome.NOT_INTERESTED),
    }
)


def outcome_key(stored: str | None) -> Outcome | None:
    """The structured outcome a stored value names, or None (empty, or old free text)."""
    try:
        return Outcome(stored) if stored else None
    except ValueError:
        return None


def outcome_counts(stored: Iterable[str | None]) -> list[tuple[Outcome, int]]:
    """How many of ``stored`` name each structured outcome, the most frequent first (ties in
    the list's order); an empty or old free-text outcome counts for none."""
    counts = Counter(key for key in map(outcome_key, stored) if key is not None)
    order = list(Outcome)
    return sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
