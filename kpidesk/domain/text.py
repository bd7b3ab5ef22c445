"""Text matching the way a rep types: case and accents do not matter ("heloise" finds "Héloïse")."""

from __future__ import annotations

import unicodedata


def fold(text: str | None) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def matches_all_words(query_folded: str, haystack_folded: str) -> bool:
    """True when every word of the (folded) query appears in the (folded) haystack."""
    return all(word in haystack_folded for word in query_folded.split())
