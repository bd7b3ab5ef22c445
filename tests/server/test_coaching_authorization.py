"""The team view's enforcement (issue "The manager as a coach", item 7): who gets what of
whom from ``GET /v1/coaching``, the proposals and the sharing choice, for every role and
record owner, on SQLite and PostgreSQL. 0 leaks: the raw JSON of every reply is searched for
every id and private text it must not hold."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    PeriodKind,
    Temperature,
)
from kpidesk.protocol.auth import Role
from kpidesk.server import directory
from kpidesk.server.tables import ObjectiveProposal, ProposalEvent, Team, TeamMember, User, table_of
from tests.server.coaching_rows import NOW, add_row, coaching, view
from tests.server.conftest import People

CALLERS = ("rep", "manager", "admin", "other_manager", "other_rep")
OWNERS = ("rep", "other_rep")
# Whose part each caller may see (as their manager, or their own "What my manager sees").
SEES = {
    "rep": {"rep"},
    "manager": {"rep"},
    "admin": set(),
    "other_manager": {"other_rep"},
    "other_rep": {"other_rep"},
}


def _book(db, owner_id: str, tag: str) -> dict[str, Any]:
    """One rep's records, with private texts and ids to search the replies for."""
    account = add_row(db, "account", owner_id, name=f"Client {tag}", status=AccountStatus.PROSPECT,
                      temperature=Temperature.HOT, created_at=NOW.replace(month=1),
                      notes=f"NOTE-ACCOUNT-{tag}", phone="+33 6 00 00 00 00")  # fmt: skip
    contact = add_row(db, "contact", owner_id, account_id=account, name=f"CONTACT-{tag}",
                      notes=f"NOTE-CONTACT-{tag}")  # fmt: skip
    offer = add_row(db, "offer", owner_id, account_id=account, amount_cents=12_345,
                    status=OfferStatus.SENT, sent_at=NOW.replace(day=2))  # fmt: skip
    done = ((ActivityKind.VISIT, 10), (ActivityKind.CALL, 11), (ActivityKind.CALL, 12))
    activities = [
        add_row(db, "activity", owner_id, account_id=account, offer_id=offer, kind=kind,
                purpose=ActivityPurpose.FOLLOW_UP, done_at=NOW.replace(day=day),
                notes=f"NOTE-ACTIVITY-{tag}-{day}", outcome=f"OUTCOME-{tag}-{day}")
        for kind, day in done
    ]  # fmt: skip
    add_row(db, "objective", owner_id, kpi_key="revenue", period_kind=PeriodKind.MONTH,
            target=50_000)  # fmt: skip
    return {
        "visible": {account, offer},
        "never": {contact, *activities, f"CONTACT-{tag}", f"NOTE-ACCOUNT-{tag}",
                  f"NOTE-CONTACT-{tag}", "+33 6 00 00 00 00",
                  *(f"NOTE-ACTIVITY-{tag}-{d}" for d in (10, 11, 12)),
                  *(f"OUTCOME-{tag}-{d}" for d in (10, 11, 12))},
    }  # fmt: skip


@pytest.fixture
def books(db, people: People) -> dict[str, dict[str, Any]]:
    return {
        "rep": _book(db, people.rep.id, "REP"),
        "other_rep": _book(db, people.other_rep.id, "OTHER"),
    }


def _walk(value: Any, key: str) -> Iterator[Any]:
    if isinstance(value, dict):
        for k, v in value.items():
            if k == key:
                yield v
            yield from _walk(v, key)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)


def _parts(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """Every rep part of a reply: the team pages' and the user's own, of every period."""
    found = []
    for period in reply["views"]:
        found.extend(rep for page in period["teams"] for rep in page["reps"])
        if period["mine"] is not None:
            found.append(period["mine"])
    return found


@pytest.mark.parametrize("sharing", ["unshared", "shared"])
@pytest.mark.parametrize("caller", CALLERS)
def test_coaching_gives_each_caller_exactly_whom_they_may_see(
    coach_client, people, books, caller, sharing
):
    if sharing == "shared":
        for owner in OWNERS:
            person = getattr(people, owner)
            put = coach_client.put("/v1/me/sharing", json={"activities": True}, headers=person.auth)
            assert put.status_code == 200
    response = coach_client.get(
        "/v1/coaching", params={"tz": "Europe/Paris"}, headers=getattr(people, caller).auth
    )
    assert response.status_code == 200
    raw, reply = response.text, response.json()
    for owner in OWNERS:
        owner_id = getattr(people, owner).id
        for row_id in books[owner]["visible"]:
            assert (row_id in raw) == (owner in SEES[caller]), (caller, owner, row_id)
        assert (owner_id in {p["rep_id"] for p in _parts(reply)}) == (owner in SEES[caller])
        for secret in books[owner]["never"]:  # activity ids, notes, contacts: never, anywhere
            assert secret not in raw, (caller, owner, secret)
    counts = [part["activity_counts"] for part in _parts(reply)]
    assert len(counts) == 3 * len(SEES[caller])  # one part per period and visible rep
    if sharing == "unshared":
        assert list(_walk(reply, "activity_counts")) == [None] * len(counts)
        assert all(part["shares_activities"] is False for part in _parts(reply))
    else:  # shared: the month's counts (a visit and two calls, all follow-ups)
        for period in reply["views"]:
            for part in [r for t in period["teams"] for r in t["reps"]] + [period["mine"]]:
                if part is not None:
                    assert part["activity_counts"] == {"visits": 1, "calls": 2, "follow_ups": 3}


def test_an_unshared_reps_counts_are_in_no_reply_even_when_another_rep_shares(
    coach_client, people, books
):
    coach_client.put("/v1/me/sharing", json={"activities": True}, headers=people.other_rep.auth)
    for caller in CALLERS:
        reply = coaching(coach_client, getattr(people, caller))
        for part in _parts(reply):
            if part["rep_id"] == people.rep.id:
                assert part["activity_counts"] is None
            else:
                assert part["activity_counts"] is not None


def test_an_admin_leading_a_team_sees_its_reps_and_no_other(coach_client, db, people, books):
    with db.session(write=True) as session:  # an admin promoted while leading a team
        session.add(Team(id="admins-team", name="Admins", manager_id=people.admin.id))
        session.flush()
        session.add(TeamMember(team_id="admins-team", user_id=people.other_rep.id))
    reply = coaching(coach_client, people.admin)
    assert [(t["team_name"], [r["rep_name"] for r in t["reps"]]) for t in view(reply)["teams"]] == [
        ("Admins", ["other-rep"])
    ]
    assert all(row not in coach_client.get("/v1/coaching", headers=people.admin.auth).text
               for row in books["rep"]["visible"])  # fmt: skip


def test_a_rep_removed_from_the_team_leaves_the_managers_page_at_the_next_request(
    coach_client, db, people, books
):
    assert [r["rep_name"] for r in view(coaching(coach_client, people.manager))["teams"][0]["reps"]
            ] == ["rep"]  # fmt: skip
    with db.session(write=True) as session:
        team = directory.team_by_id(session, people.north_id)
        directory.remove_member(session, team, session.get(User, people.rep.id))
    response = coach_client.get("/v1/coaching", headers=people.manager.auth)
    assert view(response.json())["teams"][0]["reps"] == []
    for row_id in books["rep"]["visible"]:
        assert row_id not in response.text
    assert view(coaching(coach_client, people.rep))["mine"] is None  # nobody sees their part


def test_a_manager_demoted_to_rep_gets_no_team_page(coach_client, db, people, books):
    with db.session(write=True) as session:  # forced: a role changed behind the directory
        session.get(User, people.manager.id).role = Role.REP
    response = coach_client.get("/v1/coaching", headers=people.manager.auth)
    assert all(v["teams"] == [] for v in response.json()["views"])
    assert all(row not in response.text for row in books["rep"]["visible"])
    # The rep's part: seen by nobody now (the team's manager is not a manager).
    assert view(coaching(coach_client, people.rep))["mine"] is None


def test_a_team_handed_over_then_its_old_manager_demoted(coach_client, db, people, books):
    with db.session(write=True) as session:
        team = directory.team_by_id(session, people.north_id)
        directory.set_team_manager(session, team, session.get(User, people.other_manager.id))
        directory.set_role(session, session.get(User, people.manager.id), Role.REP)
    assert all(v["teams"] == [] for v in coaching(coach_client, people.manager)["views"])
    pages = view(coaching(coach_client, people.other_manager))["teams"]
    assert [(t["team_name"], [r["rep_name"] for r in t["reps"]]) for t in pages] == [
        ("North", ["rep"]),
        ("South", ["other-rep"]),
    ]


# Proposals: who may propose what to whom.


def _proposal_rows(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return [
            *conn.execute(sa.select(table_of(ObjectiveProposal))).all(),
            *conn.execute(sa.select(table_of(ProposalEvent))).all(),
        ]


# (caller, team, rep) -> expected status; team and rep are People attribute names or literals.
PROPOSALS = [
    ("manager", "north_id", "rep", 201),
    ("rep", "north_id", "rep", 403),
    ("other_rep", "south_id", "other_rep", 403),
    ("manager", "north_id", "other_rep", 404),  # a rep of another team, through my team
    ("manager", "south_id", "other_rep", 404),  # a forged team id: another manager's team
    ("manager", "no-such-team", "rep", 404),  # a team that does not exist
    ("manager", "north_id", "manager", 404),  # not to myself
    ("other_manager", "north_id", "rep", 404),  # the manager of another team
    ("other_manager", "south_id", "rep", 404),  # ...through their own team
    ("admin", "north_id", "rep", 404),  # an admin leading no team
]


@pytest.mark.parametrize(("caller", "team", "rep", "expected"), PROPOSALS)
def test_only_the_reps_own_manager_may_propose_to_them(
    coach_client, db, people, caller, team, rep, expected
):
    with db.session(write=True) as session:  # the manager is in their own team, too
        north = directory.team_by_id(session, people.north_id)
        directory.assign_member(session, north, session.get(User, people.manager.id))
    team_id = getattr(people, team, team)
    body = {"team_id": team_id, "rep_id": getattr(people, rep).id, "kpi_key": "visits",
            "period_kind": "month", "target": 40}  # fmt: skip
    response = coach_client.post("/v1/proposals", json=body, headers=getattr(people, caller).auth)
    assert response.status_code == expected, response.text
    if expected == 201:
        return
    assert _proposal_rows(db) == []
    if expected == 404 and team != "north_id" and caller == "manager":
        # A forged team and one that does not exist: the same answer.
        assert response.json()["detail"] == "no such team of yours"


def test_a_proposal_that_is_not_yours_is_the_same_404_as_none(coach_client, db, people):
    body = {"team_id": people.north_id, "rep_id": people.rep.id, "kpi_key": "visits",
            "period_kind": "month", "target": 40}  # fmt: skip
    pid = coach_client.post("/v1/proposals", json=body, headers=people.manager.auth).json()["id"]
    before = _proposal_rows(db)
    missing = coach_client.post(
        "/v1/proposals/no-such-proposal/answers",
        json={"action": "accept"},
        headers=people.rep.auth,
    )
    assert missing.status_code == 404
    for outsider in ("other_rep", "other_manager", "admin"):
        for action in ("accept", "withdraw", "decline"):
            response = coach_client.post(
                f"/v1/proposals/{pid}/answers",
                json={"action": action},
                headers=getattr(people, outsider).auth,
            )
            assert response.status_code == 404
            assert response.json() == missing.json()
        assert coaching(coach_client, getattr(people, outsider))["proposals"] == []
        raw = coach_client.get("/v1/coaching", headers=getattr(people, outsider).auth).text
        assert pid not in raw
    assert _proposal_rows(db) == before


# Sharing: each user sets only their own choice.


@pytest.mark.parametrize("caller", CALLERS)
def test_sharing_is_each_users_own_choice(coach_client, db, people, caller):
    person = getattr(people, caller)
    response = coach_client.put("/v1/me/sharing", json={"activities": True}, headers=person.auth)
    assert response.status_code == 200 and response.json() == {"activities": True}
    with db.engine.connect() as conn:
        users = table_of(User)
        sharing = dict(conn.execute(sa.select(users.c.username, users.c.shares_activities)).all())
    assert {name for name, shares in sharing.items() if shares} == {person.username}
    for other in CALLERS:
        got = coach_client.get("/v1/me/sharing", headers=getattr(people, other).auth).json()
        assert got == {"activities": other == caller}
