"""What a write changed, as Anki's operations return ``OpChanges``.

Every write of the laptop — one record, a bulk import, a sync reply, a setting, a dismissed
suggestion — returns a :class:`Changes` naming the kinds and ids it touched. The app announces it
and each view asks one question of it (:meth:`Changes.affects`): which kinds feed which view is
written once, here, so no page keeps a watch list of its own and no caller names tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType


class Kind(StrEnum):
    """What can change: the synced records (named as their tables) and the laptop's own state."""

    ACCOUNT = "account"
    CONTACT = "contact"
    ACTIVITY = "activity"
    OFFER = "offer"
    OBJECTIVE = "objective"
    SETTING = "setting"  # KPI and suggestion settings
    SUGGESTION = "suggestion"  # a suggestion dismissed, snoozed or restored
    CONFLICT = "conflict"  # sync conflicts to review
    PROFILE = "profile"  # who is signed in: user, role, teams, colleagues
    COACHING = "coaching"  # the team view the server sent: team pages, proposals, sharing


class View(StrEnum):
    """What the rep looks at; each reads some kinds."""

    INDICATORS = "indicators"
    TODAY = "today"
    PIPELINE = "pipeline"
    ACCOUNTS = "accounts"
    JOURNAL = "journal"
    CONFLICTS = "conflicts"
    TEAM = "team"  # the manager's team page and the rep's "What my manager sees"


# The one place that says which kinds a view reads. An account's name and temperature show on
# every list; the profile decides what is "mine" and whose name a record shows.
_LISTS = frozenset({Kind.ACCOUNT, Kind.ACTIVITY, Kind.PROFILE})
_NUMBERS = _LISTS | {Kind.OFFER, Kind.OBJECTIVE, Kind.SETTING}
READS: Mapping[View, frozenset[Kind]] = MappingProxyType(
    {
        View.INDICATORS: _NUMBERS,
        View.TODAY: _NUMBERS | {Kind.SUGGESTION},
        View.PIPELINE: _LISTS | {Kind.OFFER},
        View.ACCOUNTS: _LISTS | {Kind.OFFER, Kind.CONTACT},
        View.JOURNAL: _LISTS,
        View.CONFLICTS: frozenset({Kind.CONFLICT}),
        View.TEAM: frozenset({Kind.COACHING, Kind.PROFILE}),
    }
)


@dataclass(frozen=True)
class Changes:
    """The kinds a write changed, with the ids of the records it changed (when it knows them).

    A kind may be present without ids (a setting, or a sync that removed rows it no longer
    sees): the views that read it reload in full.
    """

    ids: Mapping[Kind, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, kinds: Iterable[Kind | str] = (), **ids: Iterable[str]) -> Changes:
        """``Changes.of([Kind.SETTING])`` or ``Changes.of(activity=[id1, id2])``."""
        merged: dict[Kind, frozenset[str]] = {Kind(k): frozenset() for k in kinds}
        for kind, values in ids.items():
            merged[Kind(kind)] = merged.get(Kind(kind), frozenset()) | frozenset(values)
        return cls(MappingProxyType(merged))

    @property
    def kinds(self) -> frozenset[Kind]:
        return frozenset(self.ids)

    def affects(self, view: View) -> bool:
        return not self.kinds.isdisjoint(READS[view])

    def ids_of(self, kind: Kind) -> frozenset[str]:
        return self.ids.get(kind, frozenset())

    def __or__(self, other: Changes) -> Changes:
        merged = dict(self.ids)
        for kind, values in other.ids.items():
            merged[kind] = merged.get(kind, frozenset()) | values
        return Changes(MappingProxyType(merged))

    def __bool__(self) -> bool:
        return bool(self.ids)


NOTHING = Changes()
EVERYTHING = Changes.of(Kind)  # a new database, a sign-in that took records over


@dataclass(frozen=True)
class Written:
    """A service write's result: what changed, and the record it was about."""

    changes: Changes
    id: str | None = None  # the record created (or edited)
    fields: frozenset[str] = frozenset()  # for an edit: the fields whose value changed

    def __bool__(self) -> bool:
        return bool(self.changes)
