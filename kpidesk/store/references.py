"""Offer references repeated across laptops, renumbered by the laptop that wrote them.

Before references carried the laptop's tag (domain.references), every laptop numbered
"2026-001", "2026-002"…, so a team holds offers that share a reference. A schema migration
cannot fix that: the duplicate appears when another laptop's offer arrives by sync (also from a
laptop not upgraded yet), and a new reference must reach the server and the other laptops like
any edit (a new clock, an outbox entry). So after each sync the laptop looks for live offers
whose old-style reference another live offer also has and, for those whose reference it wrote
itself, writes the new form with the same number ("2026-003" -> "2026-7KQ2-003"). Each laptop
renames only its own copies: the first to meet the duplicate renames its copy and the other,
once it hears, holds the only "2026-003" and keeps it; two laptops meeting it at once both
rename theirs. Either way every reference ends different.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from kpidesk.domain import references
from kpidesk.domain.hlc import Hlc, InvalidHlcError
from kpidesk.domain.merge import clock_of
from kpidesk.store.changes import ChangeSet
from kpidesk.store.errors import NotYoursError
from kpidesk.store.queries import alive, off


def _writer(clocks: dict[str, str] | None) -> str | None:
    stamp = clock_of(clocks or {}, "reference")
    try:
        return Hlc.decode(stamp).device_id if stamp else None
    except InvalidHlcError:
        return None


def renumber_duplicates(change_set: ChangeSet) -> dict[str, str]:
    """Renumber this laptop's duplicated old-style references; {offer id: new reference}."""
    conn = change_set.conn
    # Only the offers whose reference another live offer shares: this runs after every sync,
    # and reading every offer with its clocks (JSON) cost a first sync of 5,000 offers 0.17 s.
    shared = (
        sa.select(off.c.reference)
        .where(alive(off))
        .group_by(off.c.reference)
        .having(sa.func.count() > 1)
    )
    holders = defaultdict(list)
    for row in conn.execute(
        sa.select(off.c.id, off.c.reference, off.c.clocks).where(
            alive(off), off.c.reference.in_(shared)
        )
    ):
        if references.old_style(row.reference) is not None:
            holders[row.reference].append(row)
    if not holders:
        return {}
    taken = set(conn.execute(sa.select(off.c.reference)).scalars())
    tag = references.device_tag(change_set.device_id)
    renamed: dict[str, str] = {}
    for reference, rows in sorted(holders.items()):
        year, number = references.old_style(reference)  # type: ignore[misc]
        for row in sorted(rows, key=lambda r: r.id):
            if _writer(row.clocks) != change_set.device_id:
                continue
            new = references.numbered(year, tag, number)
            if new in taken:
                prefix = references.reference_prefix(year, tag)
                new = references.numbered(year, tag, references.next_number(prefix, list(taken)))
            try:
                change_set.update("offer", row.id, {"reference": new})
            except NotYoursError:
                continue  # not this user's offer any more: its owner's laptop renames it
            taken.add(new)
            renamed[row.id] = new
    return renamed
