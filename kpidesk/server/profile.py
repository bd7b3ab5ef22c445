"""The user's profile (SYNC.md, "Profile"): who they are, their teams, and the names of the
people whose records reach their devices. ``GET /v1/me`` returns it; a sync reply carries it
only when its tag differs from the one the device holds, so an empty sync stays one small
round trip."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import Session

from kpidesk.protocol.auth import PersonRef, Profile, Role, TeamRef, UserInfo
from kpidesk.server import directory


def profile_of(session: Session, user_id: str, username: str, role: Role) -> Profile:
    teams, led = directory.teams_around(session, user_id)
    members, people = directory.people_around(session, user_id, led)
    return Profile(
        user=UserInfo(id=user_id, username=username, role=role),
        teams=[TeamRef(id=team.id, name=team.name) for team in teams],
        teams_led=[TeamRef(id=t.id, name=t.name, member_ids=members[t.id]) for t in led],
        people=[PersonRef(id=i, username=name) for i, name in people],
    )


def etag_of(profile: Profile) -> str:
    text = json.dumps(profile.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
