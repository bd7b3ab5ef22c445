"""``GET /v1/coaching`` answers an unchanged team with a 304 from its fingerprint, without
computing the reply; any change the reply shows changes the fingerprint (each checked: the
reply then comes whole, equal to one computed afresh), and so does the time once the reply's
bound is reached. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.protocol.auth import Role
from kpidesk.server import directory
from kpidesk.server.routers import coaching as coaching_router
from kpidesk.server.tables import SERVER_RECORD_TABLES, ServerState, Team, User, table_of
from tests.server.coaching_rows import NOW, add_row
from tests.server.test_coaching import north  # noqa: F401 - the hand-computed team below

# An hour after the rows' times of day (they are whole days before NOW): the reply then holds
# until Paris's next midnight, 23:00 UTC in March.
START = NOW + timedelta(hours=1)
PARIS_MIDNIGHT = datetime(2026, 3, 18, 23, 0, tzinfo=UTC)
CLOCK_FIELDS = ("made_at", "as_of")


@pytest.fixture
def team(north):  # noqa: F811 - test_coaching's team: "rep" and "rep2" in North, known rows
    return north


@pytest.fixture
def computed(monkeypatch) -> list[int]:
    """How many times the server computed a reply."""
    calls: list[int] = []
    real = coaching_router.coaching_reply

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(coaching_router, "coaching_reply", counting)
    return calls


def _get(client, person, etag: str | None = None, tz: str = "Europe/Paris"):
    headers = {**person.auth, **({"If-None-Match": etag} if etag else {})}
    return client.get("/v1/coaching", params={"tz": tz}, headers=headers)


def _without_clocks(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_clocks(v) for k, v in value.items() if k not in CLOCK_FIELDS}
    if isinstance(value, list):
        return [_without_clocks(v) for v in value]
    return value


def _stamp(db, table: str, row_id: str, **values: Any) -> None:
    """Change a row as a sync does: with the next server_version."""
    with db.session(write=True) as session:
        state = session.get(ServerState, 1)
        state.last_server_version += 1
        tbl = table_of(SERVER_RECORD_TABLES[table])
        session.execute(
            sa.update(tbl)
            .where(tbl.c.id == row_id)
            .values(server_version=state.last_server_version, **values)
        )


def test_an_unchanged_team_gets_a_304_without_computing(coach_client, clock, people, team,
                                                        computed):  # fmt: skip
    clock.now = START
    first = _get(coach_client, people.manager)
    assert first.status_code == 200 and len(computed) == 1
    etag = first.headers["etag"]
    clock.now = START + timedelta(minutes=5)
    again = _get(coach_client, people.manager, etag)
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    assert len(computed) == 1
    # The rep's own "What my manager sees" has a tag of its own, not the manager's.
    assert _get(coach_client, people.rep, etag).status_code == 200


def test_the_304_without_computing_lasts_until_the_replys_bound(coach_client, clock, people,
                                                               team, computed):  # fmt: skip
    clock.now = START
    first = _get(coach_client, people.manager)
    etag = first.headers["etag"]
    until_ms = int(etag.strip('"').rsplit(".", 1)[1])
    # Nothing in the rows is due today: the reply holds until Paris's next day begins.
    assert until_ms == int(PARIS_MIDNIGHT.timestamp() * 1000)
    clock.now = PARIS_MIDNIGHT - timedelta(milliseconds=1)
    assert _get(coach_client, people.manager, etag).status_code == 304
    assert len(computed) == 1
    clock.now = PARIS_MIDNIGHT  # Thursday: one more working day over (the objective's pace)
    later = _get(coach_client, people.manager, etag)
    assert later.status_code == 200 and len(computed) == 2
    assert _without_clocks(later.json()) != _without_clocks(first.json())
    assert later.headers["etag"] != etag


def test_a_tag_past_its_bound_with_the_same_reply_is_a_304_with_a_new_tag(
    coach_client, clock, people, team, computed
):
    clock.now = START
    etag = _get(coach_client, people.manager).headers["etag"]
    content, fingerprint, _until = etag.strip('"').split(".")
    expired = f'"{content}.{fingerprint}.{int(START.timestamp() * 1000)}"'
    clock.now = START + timedelta(minutes=5)
    again = _get(coach_client, people.manager, expired)  # computed again: the same numbers
    assert again.status_code == 304 and len(computed) == 2
    assert again.headers["etag"] == etag  # the bound the reply really has
    assert _get(coach_client, people.manager, again.headers["etag"]).status_code == 304
    assert len(computed) == 2


def _offer_amount(db, people, ids):
    _stamp(db, "offer", ids["o1"], amount_cents=123_400)


def _offer_deleted(db, people, ids):
    _stamp(db, "offer", ids["o2"], cl=2)


def _new_offer(db, people, ids):
    row_id = add_row(db, "offer", people.rep.id, account_id=ids["martin"], amount_cents=1,
                     status=OfferStatus.SENT, sent_at=NOW - timedelta(days=1))  # fmt: skip
    _stamp(db, "offer", row_id)


def _sharing(db, people, ids, client=None):
    with db.session(write=True) as session:
        session.get(User, people.rep.id).shares_activities = True


def _rep_leaves(db, people, ids):
    with db.session(write=True) as session:
        team = directory.team_by_id(session, people.north_id)
        directory.remove_member(session, team, session.get(User, people.rep.id))


def _rep_joins(db, people, ids):
    with db.session(write=True) as session:
        team = directory.team_by_id(session, people.north_id)
        directory.assign_member(session, team, session.get(User, people.other_rep.id))


def _team_renamed(db, people, ids):
    with db.session(write=True) as session:
        session.get(Team, people.north_id).name = "Nord"


def _manager_demoted(db, people, ids):
    with db.session(write=True) as session:  # forced: a role changed behind the directory
        session.get(User, people.manager.id).role = Role.REP


def _objective(db, people, ids):
    row_id = add_row(db, "objective", people.rep.id, kpi_key="offers_sent",
                     period_kind="month", target=12)  # fmt: skip
    _stamp(db, "objective", row_id)


CHANGES: dict[str, Callable] = {
    "an offer's amount, synced": _offer_amount,
    "an offer deleted": _offer_deleted,
    "a new offer": _new_offer,
    "an objective": _objective,
    "the rep shares activities": _sharing,
    "a rep leaves the team": _rep_leaves,
    "a rep joins the team": _rep_joins,
    "the team renamed": _team_renamed,
    "the manager demoted": _manager_demoted,
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_change_the_reply_shows_changes_the_fingerprint(change, coach_client, clock, db, people,
                                                          team, computed):  # fmt: skip
    _rep2, ids = team
    clock.now = START
    first = _get(coach_client, people.manager)
    CHANGES[change](db, people, ids)
    after = _get(coach_client, people.manager, first.headers["etag"])
    assert after.status_code == 200, change
    assert _without_clocks(after.json()) != _without_clocks(first.json())
    fresh = _get(coach_client, people.manager)  # no tag: computed from scratch
    assert _without_clocks(after.json()) == _without_clocks(fresh.json())
    assert after.headers["etag"] == fresh.headers["etag"]


def test_a_proposal_changes_the_fingerprint_of_both_people(coach_client, clock, people, team):
    clock.now = START
    manager_tag = _get(coach_client, people.manager).headers["etag"]
    rep_tag = _get(coach_client, people.rep).headers["etag"]
    proposed = coach_client.post(
        "/v1/proposals",
        json={"team_id": people.north_id, "rep_id": people.rep.id, "kpi_key": "offers_sent",
              "period_kind": "month", "target": 10},
        headers=people.manager.auth,
    )  # fmt: skip
    assert proposed.status_code == 201, proposed.text
    for person, tag in ((people.manager, manager_tag), (people.rep, rep_tag)):
        after = _get(coach_client, person, tag)
        assert after.status_code == 200
        assert [p["id"] for p in after.json()["proposals"]] == [proposed.json()["id"]]


def test_a_change_in_another_team_keeps_the_304(coach_client, clock, db, people, team, computed):
    clock.now = START
    etag = _get(coach_client, people.manager).headers["etag"]
    row_id = add_row(db, "offer", people.other_rep.id, amount_cents=5, status=OfferStatus.SENT,
                     sent_at=NOW - timedelta(days=2), account_id=team[1]["martin"])  # fmt: skip
    _stamp(db, "offer", row_id)
    assert _get(coach_client, people.manager, etag).status_code == 304
    assert len(computed) == 1


def test_another_time_zone_is_another_tag(coach_client, clock, people, team):
    clock.now = START
    paris = _get(coach_client, people.manager).headers["etag"]
    assert _get(coach_client, people.manager, paris, tz="America/New_York").status_code == 200


def test_a_made_up_tag_matches_nothing(coach_client, clock, people, team):
    clock.now = START
    for tag in ('"x"', '"x.y.z"', '"a.b.99999999999999"', "W/", '""'):
        assert _get(coach_client, people.manager, tag).status_code == 200, tag
