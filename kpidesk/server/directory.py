"""Users and teams: the operations shared by the admin API and the admin CLI.

Every function works inside the caller's transaction and raises a ServerOpError subclass with a
plain message when it refuses; a refused operation changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kpidesk.domain.timeutil import utc_now
from kpidesk.protocol.auth import Role
from kpidesk.server.errors import ConflictError, InvalidError, NotFoundError
from kpidesk.server.security import Passwords, password_problem
from kpidesk.server.sync.audience import resync_devices_of, update_devices
from kpidesk.server.tables import (
    SERVER_RECORD_TABLES,
    AccountShare,
    Device,
    Team,
    TeamMember,
    User,
    table_of,
)

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._@-]{0,63}$"
_USERNAME = re.compile(USERNAME_PATTERN)


def normalise_username(text: str) -> str:
    return text.strip().lower()


def check_username(text: str) -> str:
    username = normalise_username(text)
    if not _USERNAME.fullmatch(username):
        raise InvalidError(
            f"invalid username {text!r}: use 1 to 64 letters, digits, '.', '_', '@' or '-',"
            " starting with a letter or digit"
        )
    return username


def check_password(password: str) -> str:
    problem = password_problem(password)
    if problem:
        raise InvalidError(problem)
    return password


def user_by_name(session: Session, username: str) -> User:
    user = session.scalars(
        sa.select(User).where(User.username == normalise_username(username))
    ).one_or_none()
    if user is None:
        raise NotFoundError(f"no user named {normalise_username(username)!r}")
    return user


def user_by_id(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"no user with id {user_id}")
    return user


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(sa.select(User).order_by(User.username)).all()


def count_users(session: Session) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()


def create_user(
    session: Session, passwords: Passwords, username: str, role: Role, password: str
) -> User:
    name = check_username(username)
    check_password(password)
    if session.scalars(sa.select(User.id).where(User.username == name)).first():
        raise ConflictError(f"a user named {name!r} already exists")
    user = User(username=name, role=Role(role), password_hash=passwords.hash(password))
    session.add(user)
    session.flush()
    return user


def _active_admins(session: Session) -> int:
    return session.execute(
        sa.select(sa.func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN, User.disabled.is_(False))  # type: ignore[union-attr]
    ).scalar_one()


def _refuse_losing_last_admin(session: Session, user: User, change: str) -> None:
    if user.role == Role.ADMIN and not user.disabled and _active_admins(session) <= 1:
        raise ConflictError(f"cannot {change} {user.username!r}: they are the last active admin")


def revoke_all_devices(session: Session, user_id: str) -> int:
    device = table_of(Device)
    return update_devices(
        session, sa.and_(device.c.user_id == user_id, device.c.revoked_at.is_(None)),
        revoked_at=utc_now(),
    )  # fmt: skip


def set_disabled(session: Session, user: User, disabled: bool) -> User:
    """Disable (or enable) a user. Disabling also revokes every device token they hold, so
    enabling them again does not bring old, possibly leaked, tokens back."""
    if disabled and not user.disabled:
        _refuse_losing_last_admin(session, user, "disable")
        revoke_all_devices(session, user.id)
    user.disabled = disabled
    session.flush()
    return user


def set_role(session: Session, user: User, role: Role) -> User:
    role = Role(role)
    if role == user.role:
        return user
    if user.role == Role.ADMIN:
        _refuse_losing_last_admin(session, user, "change the role of")
    if user.role == Role.MANAGER:
        led = teams_led_by(session, user.id)
        if led:
            names = ", ".join(team.name for team in led)
            raise ConflictError(
                f"{user.username!r} manages {names}: give the team another manager first"
            )
    user.role = role
    session.flush()
    return user


def reset_password(session: Session, passwords: Passwords, user: User, password: str) -> User:
    """Set a new password and sign out every device: whoever knew the old one is out."""
    check_password(password)
    user.password_hash = passwords.hash(password)
    revoke_all_devices(session, user.id)
    session.flush()
    return user


# Teams


def team_by_name(session: Session, name: str) -> Team:
    team = session.scalars(sa.select(Team).where(Team.name == name.strip())).one_or_none()
    if team is None:
        raise NotFoundError(f"no team named {name.strip()!r}")
    return team


def team_by_id(session: Session, team_id: str) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFoundError(f"no team with id {team_id}")
    return team


def _check_manager(user: User) -> None:
    if user.role != Role.MANAGER:
        raise ConflictError(f"{user.username!r} is a {user.role.value}: make them a manager first")
    if user.disabled:
        raise ConflictError(f"{user.username!r} is disabled")


def create_team(session: Session, name: str, manager: User) -> Team:
    team_name = name.strip()
    if not team_name or len(team_name) > 100:
        raise InvalidError("a team name has 1 to 100 characters")
    _check_manager(manager)
    if session.scalars(sa.select(Team.id).where(Team.name == team_name)).first():
        raise ConflictError(f"a team named {team_name!r} already exists")
    team = Team(name=team_name, manager_id=manager.id)
    session.add(team)
    session.flush()
    return team


def set_team_manager(session: Session, team: Team, manager: User) -> Team:
    _check_manager(manager)
    previous = team.manager_id
    team.manager_id = manager.id
    session.flush()
    resync_devices_of(session, {previous, manager.id})  # the team's pipeline changes hands
    return team


def assign_member(session: Session, team: Team, user: User) -> Team:
    if session.get(TeamMember, (team.id, user.id)) is None:
        session.add(TeamMember(team_id=team.id, user_id=user.id))
        session.flush()
        resync_devices_of(session, {team.manager_id})  # the manager now sees this rep's pipeline
    return team


def remove_member(session: Session, team: Team, user: User) -> Team:
    member = session.get(TeamMember, (team.id, user.id))
    if member is None:
        raise NotFoundError(f"{user.username!r} is not a member of {team.name!r}")
    session.delete(member)
    session.flush()
    resync_devices_of(session, {team.manager_id})  # ...and no longer does
    return team


def list_teams(session: Session) -> Sequence[Team]:
    return session.scalars(sa.select(Team).order_by(Team.name)).all()


def members_of(session: Session, team_id: str) -> Sequence[User]:
    return session.scalars(
        sa.select(User)
        .join(TeamMember, TeamMember.user_id == User.id)  # type: ignore[arg-type]
        .where(TeamMember.team_id == team_id)
        .order_by(User.username)
    ).all()


def teams_of(session: Session, user_id: str) -> Sequence[Team]:
    return session.scalars(
        sa.select(Team)
        .join(TeamMember, TeamMember.team_id == Team.id)  # type: ignore[arg-type]
        .where(TeamMember.user_id == user_id)
        .order_by(Team.name)
    ).all()


def teams_led_by(session: Session, user_id: str) -> Sequence[Team]:
    return session.scalars(
        sa.select(Team).where(Team.manager_id == user_id).order_by(Team.name)
    ).all()


def teams_around(session: Session, user_id: str) -> tuple[list[Team], list[Team]]:
    """The teams a user is a member of, and those they lead, in one query."""
    member = (
        sa.select(TeamMember.team_id)
        .where(TeamMember.team_id == Team.id, TeamMember.user_id == user_id)
        .exists()
    )
    rows = session.execute(
        sa.select(Team, member.label("is_member"))
        .where(sa.or_(Team.manager_id == user_id, member))
        .order_by(Team.name)
    ).all()
    return (
        [team for team, is_member in rows if is_member],
        [team for team, _ in rows if team.manager_id == user_id],
    )


def people_around(
    session: Session, user_id: str, led: list[Team]
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """The reps of each team ``led`` (by team id), and every other user whose records this
    user may pull: those reps and the owners of accounts shared with this user (id, name)."""
    members: dict[str, list[str]] = {team.id: [] for team in led}
    people: dict[str, str] = {}
    if led:
        rows = session.execute(
            sa.select(TeamMember.team_id, User.id, User.username)
            .join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id.in_([team.id for team in led]), User.id != user_id)
            .order_by(User.username)
        ).all()
        for team_id, member_id, username in rows:
            members[team_id].append(member_id)
            people[member_id] = username
    shares, accounts = table_of(AccountShare), table_of(SERVER_RECORD_TABLES["account"])
    owners = session.execute(
        sa.select(User.id, User.username)
        .join(accounts, accounts.c.owner_id == User.id)
        .join(shares, shares.c.account_id == accounts.c.id)
        .where(shares.c.user_id == user_id, User.id != user_id)
        .distinct()
    ).all()
    people.update(dict(owners))
    return members, sorted(people.items(), key=lambda item: item[1])
