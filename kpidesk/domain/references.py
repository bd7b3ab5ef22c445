"""Offer references: "YYYY-TAG-NNN", unique across every laptop of a team.

Each laptop numbers its own offers (it works offline, so it cannot ask anyone for the next
number). A number alone ("2026-003") repeated across laptops: two laptops of one rep, or two
reps, both made a "2026-003". The laptop's tag — four characters drawn from its device id's
random bits, the same on every offer it makes — keeps one laptop's numbers apart from
another's: "2026-7KQ2-003". A restored laptop gets a new device id, hence a new tag.

Offers numbered the old way ("2026-003") keep their reference (it may already be on a quote a
customer holds) unless another offer has the same one: then the laptop that wrote it gives its
own copy the new form with the same number, "2026-7KQ2-003" (see the store's renumbering).
"""

from __future__ import annotations

import re
import uuid

# Crockford's base32: digits and capitals without I, L, O, U (nothing to misread on a quote).
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TAG_LENGTH = 4
OLD_STYLE = re.compile(r"^(\d{4})-(\d{3,})$")


def device_tag(device_id: str) -> str:
    """Four characters from the last 20 bits of the device id (random in a UUIDv7)."""
    bits = uuid.UUID(device_id).int & ((1 << 5 * TAG_LENGTH) - 1)
    chars = []
    for _ in range(TAG_LENGTH):
        chars.append(_ALPHABET[bits & 31])
        bits >>= 5
    return "".join(reversed(chars))


def reference_prefix(year: int, tag: str) -> str:
    return f"{year}-{tag}-"


def numbered(year: int, tag: str, number: int) -> str:
    return f"{reference_prefix(year, tag)}{number:03d}"


def next_number(prefix: str, taken: list[str]) -> int:
    """One more than the highest number after ``prefix`` among ``taken``."""
    numbers = (r[len(prefix) :] for r in taken if r.startswith(prefix))
    return max((int(n) for n in numbers if n.isdigit()), default=0) + 1


def old_style(reference: str) -> tuple[int, int] | None:
    """(year, number) of a reference numbered the old way ("2026-003"), else None."""
    found = OLD_STYLE.match(reference)
    return (int(found[1]), int(found[2])) if found else None
