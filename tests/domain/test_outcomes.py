"""Counting structured outcomes (the drill-down's "Outcomes: …" line)."""

from __future__ import annotations

from kpidesk.domain.outcomes import Outcome, outcome_counts


def test_outcome_counts_most_frequent_first_old_texts_and_blanks_left_out():
    stored = ["voicemail", "reached", None, "RDV fixé", "voicemail", "", "no_answer", "reached"]
    # voicemail 2 and reached 2 tie: the list's order (reached first); then no answer 1.
    assert outcome_counts(stored) == [
        (Outcome.REACHED, 2), (Outcome.VOICEMAIL, 2), (Outcome.NO_ANSWER, 1)
    ]  # fmt: skip
    assert outcome_counts([None, "free text"]) == []
