"""The signed-in user's profile, kept in ``local_meta`` (JSON) between syncs."""

from __future__ import annotations

import json

import sqlalchemy as sa

from kpidesk.domain.people import Person, Profile, Team
from kpidesk.protocol import auth as wire
from kpidesk.store import meta
from kpidesk.store.settings import read_setting

PROFILE = "profile"
PROFILE_ETAG = "profile_etag"  # the server's tag of the profile it last sent
LOCAL_NAME = "profile.name"  # the name the rep gave on the welcome screen (a setting)


def read_profile(conn: sa.Connection) -> Profile:
    """Who "me" is here: the profile the server sent, else the local profile (never signed in)."""
    stored = meta.get(conn, PROFILE)
    me = meta.my_id(conn)
    if stored:
        profile = Profile.from_json(json.loads(stored))
        if profile.user_id == me:
            return profile
    # Never signed in: the sign-in name if there was one, else the name given at the first run.
    name = meta.get(conn, meta.USERNAME) or read_setting(conn, LOCAL_NAME) or ""
    return Profile(user_id=me, name=str(name))


def write_profile(conn: sa.Connection, profile: Profile, etag: str | None) -> None:
    meta.put(conn, PROFILE, json.dumps(profile.to_json(), sort_keys=True))
    if etag:
        meta.put(conn, PROFILE_ETAG, etag)
    else:
        meta.delete(conn, PROFILE_ETAG)


def profile_etag(conn: sa.Connection) -> str | None:
    return meta.get(conn, PROFILE_ETAG)


def from_wire(profile: wire.Profile) -> Profile:
    """The server's profile in the laptop's terms. The server knows users by their username
    (it keeps no display name), so that is the name a colleague's record shows."""
    return Profile(
        user_id=profile.user.id,
        name=profile.user.username,
        role=profile.user.role.value,
        teams=tuple(Team(t.id, t.name) for t in profile.teams),
        teams_led=tuple(Team(t.id, t.name, tuple(t.member_ids)) for t in profile.teams_led),
        people=tuple(Person(p.id, p.username) for p in profile.people),
    )
