"""Who may call what: every endpoint, for every kind of caller, on both databases.

Callers: a rep, a manager, an admin (each with a valid token); nobody (no token); a revoked
token; a token of a disabled user. Each refused call is checked to have changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from kpidesk.server.db import Database
from kpidesk.server.tables import (
    AccountShare,
    Device,
    ObjectiveProposal,
    ProposalEvent,
    Team,
    TeamMember,
    User,
    table_of,
)
from tests.server.conftest import PASSWORD, People, Person, add_person, second_device

CALLERS = ("rep", "manager", "admin", "anonymous", "revoked", "disabled")
SIGNED_IN = frozenset({"rep", "manager", "admin"})
ADMIN_ONLY = frozenset({"admin"})
EVERYONE = frozenset(CALLERS)


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # may hold {placeholders} filled by ``target``
    allowed: frozenset[str]
    success: int
    # (people, caller person or None, db) -> (path values, json body)
    target: Callable[[People, Person | None, Database], tuple[dict[str, str], Any]]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _none(_p: People, _c: Person | None, _db: Database):
    return {}, None


def _own_other_device(people: People, caller: Person | None, db: Database):
    owner = caller or people.rep
    return {"device_id": second_device(db, owner).device_id}, None


def _sync_body(people: People, caller: Person | None, _db: Database):
    device = (caller or people.rep).device_id
    return {}, {"device_id": device, "cursor": 0, "mutations": [], "limit": 100}


def _account_of(caller: Person | None, people: People, db: Database) -> str:
    """An account owned by the caller (by the rep for callers without a valid token)."""
    from kpidesk.domain.ids import uuid7
    from kpidesk.server.tables import SERVER_RECORD_TABLES

    owner = caller or people.rep
    account_id = uuid7()
    with db.session(write=True) as session:
        session.add(SERVER_RECORD_TABLES["account"](id=account_id, owner_id=owner.id, name="A"))
    return account_id


def _own_account(people: People, caller: Person | None, db: Database):
    return {"account_id": _account_of(caller, people, db)}, {"username": "other-rep"}


def _shared_account(people: People, caller: Person | None, db: Database):
    account_id = _account_of(caller, people, db)
    with db.session(write=True) as session:
        session.add(AccountShare(account_id=account_id, user_id=people.other_rep.id))
    return {"account_id": account_id, "user_id": people.other_rep.id}, None


def _leader(people: People, caller: Person | None, db: Database) -> tuple[str, Person, Person]:
    """(team id, its manager, a rep of it) for the caller: an admin leads a team of their own
    (as one may, promoted while leading it); anyone else proposes as the North manager."""
    if caller is not None and caller.id == people.admin.id:
        with db.session(write=True) as session:
            if session.get(Team, "admins") is None:
                session.add(Team(id="admins", name="Admins", manager_id=people.admin.id))
                session.flush()
                session.add(TeamMember(team_id="admins", user_id=people.other_rep.id))
        return "admins", people.admin, people.other_rep
    return people.north_id, people.manager, people.rep


def _new_proposal(people: People, caller: Person | None, db: Database):
    team_id, _manager, rep = _leader(people, caller, db)
    body = {"team_id": team_id, "rep_id": rep.id, "kpi_key": "visits", "period_kind": "month",
            "target": 40}  # fmt: skip
    return {}, body


def _proposal_to_answer(people: People, caller: Person | None, db: Database):
    """A proposal waiting for the rep; its rep accepts it, its manager withdraws it."""
    from kpidesk.protocol.coaching import NewProposal
    from kpidesk.server.coaching import proposals

    team_id, manager, rep = _leader(people, caller, db)
    new = NewProposal(team_id=team_id, rep_id=rep.id, kpi_key="visits", period_kind="month",
                      target=40)  # fmt: skip
    with db.session(write=True) as session:
        made = proposals.create(session, manager.id, manager.role, new)
    action = "withdraw" if caller is not None and caller.id == manager.id else "accept"
    return {"proposal_id": made.id}, {"action": action}


ENDPOINTS = [
    Endpoint("GET", "/v1/health", EVERYONE, 200, _none),
    Endpoint(
        "POST", "/v1/auth/login", EVERYONE, 200,
        lambda p, _c, _db: ({}, {"username": "rep", "password": PASSWORD, "device_name": "pc"}),
    ),
    Endpoint("POST", "/v1/auth/logout", SIGNED_IN, 204, _none),
    Endpoint("GET", "/v1/me", SIGNED_IN, 200, _none),
    Endpoint("GET", "/v1/me/devices", SIGNED_IN, 200, _none),
    Endpoint("POST", "/v1/me/devices/{device_id}/revoke", SIGNED_IN, 204, _own_other_device),
    Endpoint(
        "PUT", "/v1/me/password", SIGNED_IN, 204,
        lambda _p, _c, _db: ({}, {"current_password": PASSWORD, "new_password": "x" * 12}),
    ),
    Endpoint("GET", "/v1/admin/users", ADMIN_ONLY, 200, _none),
    Endpoint(
        "POST", "/v1/admin/users", ADMIN_ONLY, 201,
        lambda _p, _c, _db: ({}, {"username": "newbie", "role": "rep", "password": "p" * 12}),
    ),
    Endpoint("GET", "/v1/admin/users/{user_id}", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"user_id": p.other_rep.id}, None)),
    Endpoint("POST", "/v1/admin/users/{user_id}/disable", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"user_id": p.other_rep.id}, None)),
    Endpoint("POST", "/v1/admin/users/{user_id}/enable", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"user_id": p.other_rep.id}, None)),
    Endpoint("PUT", "/v1/admin/users/{user_id}/role", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"user_id": p.other_rep.id}, {"role": "manager"})),
    Endpoint("PUT", "/v1/admin/users/{user_id}/password", ADMIN_ONLY, 204,
             lambda p, _c, _db: ({"user_id": p.other_rep.id}, {"password": "n" * 12})),
    Endpoint("GET", "/v1/admin/users/{user_id}/devices", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"user_id": p.other_rep.id}, None)),
    Endpoint("POST", "/v1/admin/devices/{device_id}/revoke", ADMIN_ONLY, 204,
             lambda p, _c, _db: ({"device_id": p.other_rep.device_id}, None)),
    Endpoint("GET", "/v1/admin/teams", ADMIN_ONLY, 200, _none),
    Endpoint("POST", "/v1/admin/teams", ADMIN_ONLY, 201,
             lambda p, _c, _db: ({}, {"name": "East", "manager_id": p.other_manager.id})),
    Endpoint("PUT", "/v1/admin/teams/{team_id}/manager", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"team_id": p.north_id}, {"user_id": p.other_manager.id})),
    Endpoint("POST", "/v1/admin/teams/{team_id}/members", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"team_id": p.north_id}, {"user_id": p.other_rep.id})),
    Endpoint("DELETE", "/v1/admin/teams/{team_id}/members/{user_id}", ADMIN_ONLY, 200,
             lambda p, _c, _db: ({"team_id": p.south_id, "user_id": p.other_rep.id}, None)),
    Endpoint("POST", "/v1/sync", SIGNED_IN, 200, _sync_body),
    Endpoint("GET", "/v1/me/sharing", SIGNED_IN, 200, _none),
    Endpoint("PUT", "/v1/me/sharing", SIGNED_IN, 200,
             lambda _p, _c, _db: ({}, {"activities": True})),
    Endpoint("POST", "/v1/accounts/{account_id}/shares", SIGNED_IN, 204, _own_account),
    Endpoint("DELETE", "/v1/accounts/{account_id}/shares/{user_id}", SIGNED_IN, 204,
             _shared_account),
    Endpoint("GET", "/v1/coaching", SIGNED_IN, 200, _none),
    Endpoint("POST", "/v1/proposals", frozenset({"manager", "admin"}), 201, _new_proposal),
    Endpoint("POST", "/v1/proposals/{proposal_id}/answers", SIGNED_IN, 200, _proposal_to_answer),
]  # fmt: skip


def test_the_matrix_covers_every_endpoint_of_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    served = {(method.upper(), path) for path, item in paths.items() for method in item}
    assert served == {(e.method, e.path) for e in ENDPOINTS}


def _caller(kind: str, people: People, db: Database) -> Person | None:
    if kind in SIGNED_IN:
        return getattr(people, kind)
    if kind == "anonymous":
        return None
    if kind == "revoked":
        person = add_person(db, "revoked-rep", "rep")
        with db.session(write=True) as session:
            session.get(Device, person.device_id).revoked_at = sa.func.now()
        return person
    # A disabled user whose token was never revoked: the flag alone must lock them out.
    person = add_person(db, "disabled-rep", "rep")
    with db.session(write=True) as session:
        session.get(User, person.id).disabled = True
    return person


def snapshot(db: Database) -> dict[str, list[tuple]]:
    """Everything a call could change (last_seen_at aside: any authenticated call updates it)."""
    tables = {
        "app_user": table_of(User),
        "team": table_of(Team),
        "team_member": table_of(TeamMember),
        "account_share": table_of(AccountShare),
        "objective_proposal": table_of(ObjectiveProposal),
        "proposal_event": table_of(ProposalEvent),
    }
    device = table_of(Device)
    with db.engine.connect() as conn:
        rows = {
            name: sorted(tuple(map(str, row)) for row in conn.execute(sa.select(table)))
            for name, table in tables.items()
        }
        rows["device"] = sorted(
            tuple(map(str, row))
            for row in conn.execute(sa.select(*(c for c in device.c if c.name != "last_seen_at")))
        )
    return rows


@pytest.mark.parametrize("caller_kind", CALLERS)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_authorization(endpoint: Endpoint, caller_kind: str, client, db, people: People):
    caller = _caller(caller_kind, people, db)
    values, body = endpoint.target(people, caller, db)
    headers = caller.auth if caller else {}
    before = snapshot(db)
    response = client.request(
        endpoint.method, endpoint.path.format(**values), json=body, headers=headers
    )
    if caller_kind in endpoint.allowed:
        assert response.status_code == endpoint.success, response.text
        return
    expected = 401 if caller_kind in {"anonymous", "revoked", "disabled"} else 403
    assert response.status_code == expected, response.text
    assert isinstance(response.json()["detail"], str)
    if expected == 401:
        assert response.headers["www-authenticate"] == "Bearer"
    assert snapshot(db) == before, "a refused call changed the database"
