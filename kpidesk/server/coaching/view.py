"""``GET /v1/coaching``: the team pages of the teams a user leads, their own part as their
managers see it, for each running period kind, and the proposals they take part in.

A rep's part is computed by :func:`rep_part` alone, whoever asks: the manager's page for a rep
and that rep's "What my manager sees" are equal field by field.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.domain.coaching import RepBook, RepQuality, TeamPage, rep_quality
from kpidesk.domain.coaching.horizon import steady_until
from kpidesk.domain.periods import Period, period_containing
from kpidesk.protocol.auth import Role
from kpidesk.protocol.coaching import COACHING_PERIOD_KINDS, CoachingReply, PeriodView
from kpidesk.server.coaching import proposals
from kpidesk.server.coaching.books import BOOK_TABLES, book_of
from kpidesk.server.coaching.proposals import LEADING_ROLES
from kpidesk.server.tables import Team, TeamMember, User

# The reply's clock fields: they move at every request while nothing else does, so the reply's
# tag leaves them out (a 304 tells the laptop that every number it holds is still the same).
CLOCK_FIELDS = frozenset({"made_at", "as_of"})


@dataclass(frozen=True)
class _Rep:
    id: str
    name: str
    shares_activities: bool


def rep_part(book: RepBook, period: Period, now: datetime) -> RepQuality:
    """A rep's part of the team view: the one computation both the manager and the rep get."""
    return rep_quality(book, period, now)


@dataclass(frozen=True)
class Frame:
    """Who is in a caller's reply, and a fingerprint of everything it is computed from but
    the time: read in a few small queries, before (and instead of) computing the reply."""

    led: list[tuple[Team, list[_Rep]]]
    me: _Rep | None
    proposals: list[Any]
    fingerprint: str


def frame_of(session: Session, user_id: str, role: Role, tz: ZoneInfo) -> Frame:
    """The caller's frame. Its fingerprint covers the caller and their role, the time zone,
    the teams they lead (names, members, their names and sharing choices), whether a manager
    sees their own part, their proposals with their history, and for each rep in the reply
    the newest ``server_version`` and the number of rows of each table the reply reads.

    That pair holds for the rows: every write of a row stamps it with a version above all
    before it, so the newest version moves with any write; a row that leaves (a purged
    tombstone) lowers the count, and a set can only get an older newest version back by
    losing rows."""
    led = _teams_led(session, user_id, role)
    me = _me_if_managed(session, user_id)
    visible = proposals.visible_to(session, user_id, role)
    reps = sorted({r.id for _team, members in led for r in members} | ({me.id} if me else set()))
    parts: list[Any] = [
        user_id,
        role.value,
        tz.key,
        [[t.id, t.name, [[r.id, r.name, r.shares_activities] for r in m]] for t, m in led],
        None if me is None else [me.id, me.name, me.shares_activities],
        [p.model_dump(mode="json") for p in visible],
        _row_versions(session, reps),
    ]
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return Frame(led, me, visible, hashlib.sha256(text.encode()).hexdigest()[:24])


def _row_versions(session: Session, reps: list[str]) -> list[Any]:
    """Per table the reply reads, each rep's (newest server_version, row count): one query
    per table, read from the (owner_id, server_version) index."""
    if not reps:
        return []
    out = []
    for table in BOOK_TABLES:
        rows = session.execute(
            sa.select(table.c.owner_id, sa.func.max(table.c.server_version), sa.func.count())
            .where(table.c.owner_id.in_(reps))
            .group_by(table.c.owner_id)
            .order_by(table.c.owner_id)
        ).all()
        out.append([table.name, [list(row) for row in rows]])
    return out


def coaching_reply(
    session: Session, user_id: str, role: Role, tz: ZoneInfo, now: datetime,
    frame: Frame | None = None,
) -> tuple[CoachingReply, datetime]:  # fmt: skip
    """The reply, and until when it holds with the same rows (``horizon.steady_until``)."""
    frame = frame or frame_of(session, user_id, role, tz)
    led, me = frame.led, frame.me
    books: dict[str, RepBook] = {}

    def book(rep: _Rep) -> RepBook:
        if rep.id not in books:
            books[rep.id] = book_of(session, rep.id, rep.name, rep.shares_activities)
        return books[rep.id]

    views = []
    for kind in COACHING_PERIOD_KINDS:
        period = period_containing(kind, now, tz)
        teams = [
            TeamPage(team.id, team.name, tuple(rep_part(book(r), period, now) for r in reps))
            for team, reps in led
        ]
        mine = rep_part(book(me), period, now) if me is not None else None
        views.append(PeriodView(period_kind=kind, teams=teams, mine=mine))
    reply = CoachingReply(made_at=now, time_zone=tz.key, views=views, proposals=frame.proposals)
    return reply, steady_until(books.values(), now, tz)


def _teams_led(session: Session, user_id: str, role: Role) -> list[tuple[Team, list[_Rep]]]:
    """The teams this user leads while a manager or admin, by name, each with its members
    other than the manager, by name."""
    if role not in LEADING_ROLES:
        return []
    teams = session.scalars(
        sa.select(Team).where(Team.manager_id == user_id).order_by(Team.name, Team.id)
    ).all()
    if not teams:
        return []
    members: dict[str, list[_Rep]] = {team.id: [] for team in teams}
    rows = session.execute(
        sa.select(TeamMember.team_id, User.id, User.username, User.shares_activities)
        .join(User, User.id == TeamMember.user_id)
        .where(TeamMember.team_id.in_(list(members)), User.id != user_id)
        .order_by(User.username, User.id)
    ).all()
    for team_id, rep_id, name, shares in rows:
        members[team_id].append(_Rep(rep_id, name, bool(shares)))
    return [(team, members[team.id]) for team in teams]


def _me_if_managed(session: Session, user_id: str) -> _Rep | None:
    """This user, when a manager (or admin) other than themselves leads a team they are in:
    then someone sees their part, and they see it too."""
    manager = sa.orm.aliased(User)
    managed = session.execute(
        sa.select(TeamMember.team_id)
        .join(Team, Team.id == TeamMember.team_id)
        .join(manager, manager.id == Team.manager_id)
        .where(
            TeamMember.user_id == user_id,
            Team.manager_id != user_id,
            manager.role.in_(LEADING_ROLES),  # type: ignore[attr-defined]
        )
        .limit(1)
    ).first()
    if managed is None:
        return None
    user = session.get(User, user_id)
    assert user is not None  # the caller
    return _Rep(user.id, user.username, bool(user.shares_activities))


def etag_of(reply: dict[str, Any]) -> str:
    """The reply's tag: a hash of its JSON without its clock fields."""
    text = json.dumps(_without_clocks(reply), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _without_clocks(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_clocks(v) for k, v in value.items() if k not in CLOCK_FIELDS}
    if isinstance(value, list):
        return [_without_clocks(v) for v in value]
    return value
