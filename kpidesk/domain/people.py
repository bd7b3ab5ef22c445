"""Who is signed in on this laptop, and whose records it holds.

The team server tells the laptop at sign-in and at every sync (SYNC.md, "Profile"); a laptop
that never signed in is its local profile alone. "Mine" everywhere means ``owner_id ==
Profile.user_id``; colleagues' records (an account shared with the rep, a manager's read-only
team pipeline) are shown with their owner's name and cannot be edited here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LOCAL_ROLE = "local"  # never signed in: the rep alone on this laptop


@dataclass(frozen=True)
class Person:
    id: str
    name: str


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    member_ids: tuple[str, ...] = ()  # filled for the teams this user leads


@dataclass(frozen=True)
class Profile:
    user_id: str
    name: str
    role: str = LOCAL_ROLE  # rep, manager, admin, or local
    teams: tuple[Team, ...] = ()
    teams_led: tuple[Team, ...] = ()
    people: tuple[Person, ...] = ()  # the colleagues whose records may reach this laptop
    _names: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._names.update({p.id: p.name for p in self.people})

    def is_mine(self, owner_id: str) -> bool:
        return owner_id == self.user_id

    def owner_name(self, owner_id: str) -> str | None:
        """None for my own records; a colleague's name (or their id when the server has not
        named them yet: better an odd label than a record passed off as mine)."""
        if self.is_mine(owner_id):
            return None
        return self._names.get(owner_id, owner_id)

    @property
    def leads_a_team(self) -> bool:
        return bool(self.teams_led)

    @property
    def reps_led(self) -> tuple[Person, ...]:
        ids = {i for team in self.teams_led for i in team.member_ids}
        return tuple(p for p in self.people if p.id in ids)

    def to_json(self) -> dict[str, Any]:
        def team(t: Team) -> dict[str, Any]:
            return {"id": t.id, "name": t.name, "member_ids": list(t.member_ids)}

        return {
            "user_id": self.user_id,
            "name": self.name,
            "role": self.role,
            "teams": [team(t) for t in self.teams],
            "teams_led": [team(t) for t in self.teams_led],
            "people": [{"id": p.id, "name": p.name} for p in self.people],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        def team(t: dict[str, Any]) -> Team:
            return Team(str(t["id"]), str(t["name"]), tuple(map(str, t.get("member_ids", ()))))

        return cls(
            user_id=str(data["user_id"]),
            name=str(data["name"]),
            role=str(data.get("role", LOCAL_ROLE)),
            teams=tuple(team(t) for t in data.get("teams", ())),
            teams_led=tuple(team(t) for t in data.get("teams_led", ())),
            people=tuple(Person(str(p["id"]), str(p["name"])) for p in data.get("people", ())),
        )
