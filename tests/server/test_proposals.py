"""Objectives agreed, not imposed: a manager proposes, the rep counters, the manager accepts,
both see the history; every refusal in plain words, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from kpidesk.protocol.auth import Role
from kpidesk.server import directory
from kpidesk.server.tables import ObjectiveProposal, ProposalEvent, User, table_of
from tests.server.coaching_rows import coaching
from tests.server.conftest import People


def propose(client, people: People, **changes):
    body = {"team_id": people.north_id, "rep_id": people.rep.id, "kpi_key": "revenue",
            "period_kind": "month", "target": 2_000_000,
            "note": "Comme en mars dernier ?"}  # fmt: skip
    body.update(changes)
    return client.post("/v1/proposals", json=body, headers=people.manager.auth)


def answer(client, person, proposal_id: str, action: str, target=None, note: str = ""):
    body = {"action": action, "target": target, "note": note}
    return client.post(f"/v1/proposals/{proposal_id}/answers", json=body, headers=person.auth)


def rows(db) -> list[tuple]:
    with db.engine.connect() as conn:
        return [
            *conn.execute(sa.select(table_of(ObjectiveProposal))).all(),
            *conn.execute(sa.select(table_of(ProposalEvent))).all(),
        ]


def test_propose_counter_accept_with_the_history_on_both_sides(coach_client, people):
    made = propose(coach_client, people)
    assert made.status_code == 201, made.text
    proposal = made.json()
    assert (proposal["state"], proposal["target"]) == ("waiting_for_rep", 2_000_000)
    assert (proposal["manager_name"], proposal["rep_name"]) == ("manager", "rep")
    pid = proposal["id"]
    countered = answer(coach_client, people.rep, pid, "counter", 1_500_000, "Plutôt 15 000 €")
    assert countered.status_code == 200, countered.text
    assert (countered.json()["state"], countered.json()["target"]) == (
        "waiting_for_manager",
        1_500_000,
    )
    agreed = answer(coach_client, people.manager, pid, "accept", note="D'accord")
    assert agreed.status_code == 200, agreed.text
    assert (agreed.json()["state"], agreed.json()["target"]) == ("agreed", 1_500_000)
    steps = [
        (e["author_name"], e["action"], e["target"], e["note"]) for e in agreed.json()["history"]
    ]
    assert steps == [
        ("manager", "propose", 2_000_000, "Comme en mars dernier ?"),
        ("rep", "counter", 1_500_000, "Plutôt 15 000 €"),
        ("manager", "accept", 1_500_000, "D'accord"),
    ]
    # Both see it, the same, in their coaching reply; nobody else does.
    assert coaching(coach_client, people.rep)["proposals"] == [agreed.json()]
    assert coaching(coach_client, people.manager)["proposals"] == [agreed.json()]
    for outsider in (people.other_manager, people.other_rep, people.admin):
        assert coaching(coach_client, outsider)["proposals"] == []
    # Closed: nothing more can be answered.
    again = answer(coach_client, people.rep, pid, "decline")
    assert again.status_code == 409
    assert again.json()["detail"] == "this proposal is closed: nothing more can be answered"


def test_proposals_are_listed_newest_first(coach_client, people):
    first = propose(coach_client, people, kpi_key="visits", target=40).json()
    second = propose(coach_client, people, kpi_key="conversion", target=0.3).json()
    assert [p["id"] for p in coaching(coach_client, people.rep)["proposals"]] == [
        second["id"],
        first["id"],
    ]


@pytest.mark.parametrize(
    ("who", "action", "target", "detail"),
    [
        ("manager", "accept", None, "this proposal is waiting for the other side's answer"),
        ("manager", "decline", None, "only the rep can decline a proposal"),
        ("rep", "withdraw", None, "only the manager who proposed it can withdraw it"),
        ("rep", "propose", 5, "a proposal is made once; answer it instead"),
    ],
)
def test_an_answer_out_of_turn_is_a_409_and_changes_nothing(
    coach_client, db, people, who, action, target, detail
):
    pid = propose(coach_client, people).json()["id"]
    before = rows(db)
    refused = answer(coach_client, getattr(people, who), pid, action, target)
    assert refused.status_code == 409, refused.text
    assert refused.json()["detail"] == detail
    assert rows(db) == before


def test_a_counter_needs_a_target(coach_client, db, people):
    pid = propose(coach_client, people).json()["id"]
    before = rows(db)
    refused = answer(coach_client, people.rep, pid, "counter")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "a counter-proposal needs a target"
    assert rows(db) == before


def test_withdraw_and_decline_end_a_proposal(coach_client, people):
    first = propose(coach_client, people).json()["id"]
    assert answer(coach_client, people.manager, first, "withdraw").json()["state"] == "withdrawn"
    second = propose(coach_client, people).json()["id"]
    assert answer(coach_client, people.rep, second, "decline").json()["state"] == "declined"


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"kpi_key": "happiness"}, "kpi_key: Unknown indicator: happiness."),
        ({"period_kind": "week"}, "period_kind: An objective is set per month, quarter or year."),
        ({"period_kind": "last_30_days"},
         "period_kind: An objective is set per month, quarter or year."),
    ],
)  # fmt: skip
def test_a_proposal_for_no_indicator_or_another_period_is_refused(
    coach_client, db, people, changes, detail
):
    refused = propose(coach_client, people, **changes)
    assert refused.status_code == 400, refused.text
    assert refused.json()["detail"] == detail
    assert rows(db) == []


@pytest.mark.parametrize("period_kind", ["month", "quarter", "year"])
def test_every_objective_period_kind_may_be_proposed(coach_client, people, period_kind):
    made = propose(coach_client, people, period_kind=period_kind)
    assert made.status_code == 201 and made.json()["period_kind"] == period_kind


def test_a_proposal_stops_being_answerable_when_the_rep_leaves_the_team(coach_client, db, people):
    pid = propose(coach_client, people).json()["id"]
    with db.session(write=True) as session:
        team = directory.team_by_id(session, people.north_id)
        directory.remove_member(session, team, session.get(User, people.rep.id))
    before = rows(db)
    for person in (people.rep, people.manager):
        action = "accept" if person is people.rep else "withdraw"
        refused = answer(coach_client, person, pid, action)
        assert refused.status_code == 409
        assert refused.json()["detail"] == (
            "this proposal can no longer be answered: 'rep' is no longer a member of 'North'"
        )
    assert rows(db) == before
    # The rep keeps their own proposal; the manager no longer sees the rep's side of it.
    assert [p["id"] for p in coaching(coach_client, people.rep)["proposals"]] == [pid]
    assert coaching(coach_client, people.manager)["proposals"] == []


def test_a_proposal_stops_being_answerable_when_the_manager_no_longer_leads(
    coach_client, db, people
):
    pid = propose(coach_client, people).json()["id"]
    with db.session(write=True) as session:
        team = directory.team_by_id(session, people.north_id)
        directory.set_team_manager(session, team, session.get(User, people.other_manager.id))
    refused = answer(coach_client, people.rep, pid, "accept")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "this proposal can no longer be answered: 'manager' no longer leads 'North'"
    )
    # The new manager did not take part in it: not theirs to answer (nor to see).
    assert answer(coach_client, people.other_manager, pid, "withdraw").status_code == 404
    assert coaching(coach_client, people.other_manager)["proposals"] == []


def test_a_manager_demoted_to_rep_can_no_longer_answer(coach_client, db, people):
    pid = propose(coach_client, people).json()["id"]
    with db.session(write=True) as session:  # forced: the directory would refuse it
        session.get(User, people.manager.id).role = Role.REP
    refused = answer(coach_client, people.manager, pid, "withdraw")
    assert refused.status_code == 409
    assert "'manager' no longer leads 'North'" in refused.json()["detail"]
    again = propose(coach_client, people)
    assert again.status_code == 403
    assert again.json()["detail"] == "only a manager or admin may propose an objective"
