"""The team view on the server (``GET /v1/coaching``): numbers checked against a hand
computation for a small team, "What my manager sees" equal to the manager's part, the reply's
tag, the time zone, and the effect of a change of sharing, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    PeriodKind,
    Temperature,
)
from kpidesk.protocol.auth import Role
from kpidesk.protocol.coaching import coaching_reply
from kpidesk.server import directory
from kpidesk.server.tables import User
from tests.server.coaching_rows import NOW, add_row, coaching, team_reps, view
from tests.server.conftest import People, add_person

DAY = timedelta(days=1)


@pytest.fixture
def north(db, people: People):
    """The North team, hand-computed: "rep" and "rep2" with known offers; the manager is a
    member of their own team too (and not one of its reps)."""
    rep2 = add_person(db, "rep2", Role.REP)
    with db.session(write=True) as session:
        team = directory.team_by_id(session, people.north_id)
        directory.assign_member(session, team, session.get(User, rep2.id))
        directory.assign_member(session, team, session.get(User, people.manager.id))
    r = people.rep.id
    ids = {
        "martin": add_row(db, "account", r, name="Boulangerie Martin", status=AccountStatus.CLIENT,
                          temperature=Temperature.HOT, city="Lyon",
                          created_at=NOW - 300 * DAY),
        "durand": add_row(db, "account", r, name="Garage Durand", status=AccountStatus.PROSPECT,
                          temperature=Temperature.HOT, city="Vienne", created_at=NOW - 45 * DAY),
        "port": add_row(db, "account", r, name="Café du Port", status=AccountStatus.PROSPECT,
                        temperature=Temperature.COLD, created_at=NOW - 60 * DAY),
    }  # fmt: skip
    offer = {"status": OfferStatus.SENT, "currency": "EUR"}
    ids["o1"] = add_row(db, "offer", r, account_id=ids["martin"], reference="OF-1",
                        amount_cents=100_000, sent_at=NOW - 20 * DAY, **offer)  # fmt: skip
    ids["o2"] = add_row(db, "offer", r, account_id=ids["port"], title="Machine", probability=0.5,
                        amount_cents=50_000, sent_at=NOW - 3 * DAY, **offer)  # fmt: skip
    add_row(db, "offer", r, account_id=ids["martin"], amount_cents=80_000, status=OfferStatus.WON,
            sent_at=NOW - 16 * DAY, decided_at=NOW - 8 * DAY)  # fmt: skip
    add_row(db, "offer", r, account_id=ids["port"], amount_cents=20_000, status=OfferStatus.LOST,
            sent_at=NOW - 15 * DAY, decided_at=NOW - 6 * DAY)  # fmt: skip
    add_row(db, "offer", r, account_id=ids["martin"], amount_cents=999_999)  # a draft
    add_row(db, "offer", r, account_id=ids["martin"], amount_cents=777_777, cl=2,
            sent_at=NOW - 5 * DAY, **offer)  # deleted  # fmt: skip
    add_row(db, "activity", r, account_id=ids["port"], offer_id=ids["o2"], kind=ActivityKind.CALL,
            purpose=ActivityPurpose.FOLLOW_UP, done_at=NOW - DAY)  # fmt: skip
    add_row(db, "activity", r, account_id=ids["durand"], kind=ActivityKind.VISIT,
            purpose=ActivityPurpose.PROSPECTING, done_at=NOW - 2 * DAY)  # fmt: skip
    add_row(db, "activity", r, account_id=ids["durand"], kind=ActivityKind.CALL,
            due_at=NOW + 2 * DAY)  # planned  # fmt: skip
    add_row(db, "objective", r, kpi_key="revenue", period_kind=PeriodKind.MONTH, target=200_000)
    b = rep2.id
    leroy = add_row(db, "account", b, name="Atelier Leroy", status=AccountStatus.CLIENT,
                    temperature=Temperature.WARM, created_at=NOW - 400 * DAY)  # fmt: skip
    ids["p1"] = add_row(db, "offer", b, account_id=leroy, amount_cents=30_000, probability=0.2,
                        sent_at=NOW - 16 * DAY, **offer)  # fmt: skip
    # Another user's rows on an account of the rep's: not the rep's numbers.
    add_row(db, "offer", people.other_rep.id, account_id=ids["martin"], amount_cents=55_555,
            sent_at=NOW - 2 * DAY, **offer)  # fmt: skip
    return rep2, ids


def test_a_small_teams_numbers_are_the_hand_computed_ones(coach_client, people, north):
    _rep2, ids = north
    reply = coaching(coach_client, people.manager)
    reps = team_reps(reply, people.north_id)
    assert list(reps) == ["rep", "rep2"]  # by name; the manager is not one of their reps
    rep = reps["rep"]
    # Open: OF-1 (1000.00 €, hot account: 60 %) and Machine (500.00 €, its own 50 %).
    assert rep["pipeline_value_cents"] == 100_000 + 50_000
    assert rep["weighted_pipeline_cents"] == 60_000 + 25_000
    # Decided in March: one won (800.00 €), one lost.
    assert rep["conversion"]["numerator"] == 1 and rep["conversion"]["denominator"] == 2
    assert rep["revenue_cents"] == 80_000
    assert rep["revenue_objective_cents"] == 200_000
    assert rep["pipeline_coverage"] == pytest.approx(85_000 / (200_000 - 80_000))
    # OF-1: sent 20 days ago, never touched since (over 14 days): stale. Machine: 3 days old.
    assert rep["stale_offers"] == 1
    assert [(o["offer_id"], o["label"], o["age_days"], o["stale"]) for o in rep["open_offers"]] == [
        (ids["o1"], "OF-1", 20, True),
        (ids["o2"], "Machine", 3, False),
    ]
    assert rep["open_offers"][1]["last_follow_up_at"] == (NOW - DAY).isoformat().replace(
        "+00:00", "Z"
    )
    assert rep["open_offer_age_median_days"] == pytest.approx((3 + 20) / 2)
    assert rep["open_offer_age_p90_days"] == pytest.approx(3 + (20 - 3) * 0.9)
    assert rep["hot_prospects"] == 1
    assert [h["name"] for h in rep["hot_list"]] == ["Garage Durand"]
    # Two open offers and a hot prospect; only the prospect has a planned step (in 2 days).
    assert (rep["next_step_planned"]["numerator"], rep["next_step_planned"]["denominator"]) == (
        1,
        3,
    )
    by_temperature = {
        c["temperature"]: (c["rate"]["numerator"], c["rate"]["denominator"])
        for c in rep["conversion_by_temperature"]
    }
    assert by_temperature == {"hot": (1, 1), "warm": (0, 0), "cold": (0, 1)}
    assert rep["activity_counts"] is None  # not shared
    other = reps["rep2"]
    assert other["pipeline_value_cents"] == 30_000
    assert other["weighted_pipeline_cents"] == 6_000
    assert (other["conversion"]["numerator"], other["conversion"]["denominator"]) == (0, 0)
    assert other["stale_offers"] == 1  # 16 days, no activity
    assert other["revenue_objective_cents"] is None and other["pipeline_coverage"] is None


def test_the_running_periods_are_those_of_the_time_zone(coach_client, clock, people, north):
    # 31 March, 20:00 UTC: still March in Paris (22:00), already 1 April in Auckland (09:00).
    clock.now = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)

    def spans(tz):
        reply = coaching(coach_client, people.manager, tz=tz)
        assert reply["time_zone"] == tz
        return {
            v["period_kind"]: team_reps(reply, people.north_id, v["period_kind"])["rep"]["period"]
            for v in reply["views"]
        }

    assert spans("Europe/Paris") == {
        "month": {"kind": "month", "first_day": "2026-03-01", "end_day": "2026-04-01"},
        "quarter": {"kind": "quarter", "first_day": "2026-01-01", "end_day": "2026-04-01"},
        "year": {"kind": "year", "first_day": "2026-01-01", "end_day": "2027-01-01"},
    }
    assert spans("Pacific/Auckland") == {
        "month": {"kind": "month", "first_day": "2026-04-01", "end_day": "2026-05-01"},
        "quarter": {"kind": "quarter", "first_day": "2026-04-01", "end_day": "2026-07-01"},
        "year": {"kind": "year", "first_day": "2026-01-01", "end_day": "2027-01-01"},
    }
    # April in Auckland: March's win is not that month's revenue.
    april = team_reps(coaching(coach_client, people.manager, tz="Pacific/Auckland"),
                      people.north_id)["rep"]  # fmt: skip
    assert april["revenue_cents"] == 0
    assert (
        team_reps(coaching(coach_client, people.manager), people.north_id)["rep"]["revenue_cents"]
        == 80_000
    )


@pytest.mark.parametrize("tz", ["Mars/Olympus", "Europe/Paris ", "../etc/passwd", "/etc/passwd",
                                "Europe", "a\x00b", "UTC?"])  # fmt: skip
def test_a_bad_time_zone_is_a_400_naming_it(coach_client, people, tz):
    response = coach_client.get("/v1/coaching", params={"tz": tz}, headers=people.rep.auth)
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == (
        f"unknown time zone {tz!r}: give an IANA name such as 'Europe/Paris'"
    )


def test_what_my_manager_sees_is_the_managers_part_field_by_field(coach_client, people, north):
    rep2, _ids = north
    coach_client.put("/v1/me/sharing", json={"activities": True}, headers=rep2.auth)
    manager = coaching(coach_client, people.manager)
    for person in (people.rep, rep2):
        mine = coaching(coach_client, person)
        assert mine["views"] and [v["teams"] for v in mine["views"]] == [[], [], []]
        for kind in ("month", "quarter", "year"):
            theirs = team_reps(manager, people.north_id, kind)[person.username]
            assert view(mine, kind)["mine"] == theirs
            # The same value once read as the protocol's model (what the laptop renders).
            parsed, expected = (
                coaching_reply.validate_python(mine),
                coaching_reply.validate_python(manager),
            )
            ours = next(v for v in parsed.views if v.period_kind == kind).mine
            page = next(v for v in expected.views if v.period_kind == kind).teams[0]
            assert ours == next(rep for rep in page.reps if rep.rep_id == person.id)
    assert view(coaching(coach_client, rep2))["mine"]["activity_counts"] is not None


def test_a_user_without_a_manager_has_no_part_and_a_manager_no_page_of_their_own(
    coach_client, people
):
    assert view(coaching(coach_client, people.admin))["mine"] is None  # in no team
    assert view(coaching(coach_client, people.admin))["teams"] == []  # leads none
    manager = view(coaching(coach_client, people.manager))
    assert manager["mine"] is None and [t["team_name"] for t in manager["teams"]] == ["North"]


def test_a_manager_of_several_teams_gets_a_page_for_each_by_name(db, coach_client, people):
    with db.session(write=True) as session:
        manager = session.get(User, people.manager.id)
        east = directory.create_team(session, "East", manager)
        directory.assign_member(session, east, session.get(User, people.other_rep.id))
    pages = view(coaching(coach_client, people.manager))["teams"]
    assert [(p["team_name"], [r["rep_name"] for r in p["reps"]]) for p in pages] == [
        ("East", ["other-rep"]),
        ("North", ["rep"]),
    ]


def test_activity_counts_follow_the_reps_choice_at_the_next_request(coach_client, people, north):
    def counts():
        return team_reps(coaching(coach_client, people.manager), people.north_id)["rep"][
            "activity_counts"
        ]

    assert counts() is None
    shared = coach_client.put("/v1/me/sharing", json={"activities": True}, headers=people.rep.auth)
    assert shared.status_code == 200 and shared.json() == {"activities": True}
    # March: a follow-up call (yesterday) and a prospecting visit; the planned call is not done.
    assert counts() == {"visits": 1, "calls": 1, "follow_ups": 1}
    coach_client.put("/v1/me/sharing", json={"activities": False}, headers=people.rep.auth)
    assert counts() is None
    assert coach_client.get("/v1/me/sharing", headers=people.rep.auth).json() == {
        "activities": False
    }


def test_the_reply_is_tagged_and_a_matching_tag_gets_a_304(coach_client, clock, db, people, north):
    first = coach_client.get(
        "/v1/coaching", params={"tz": "Europe/Paris"}, headers=people.manager.auth
    )
    etag = first.headers["etag"]
    again = coach_client.get(
        "/v1/coaching",
        params={"tz": "Europe/Paris"},
        headers={**people.manager.auth, "If-None-Match": etag},
    )
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    clock.now += timedelta(seconds=30)  # only the clock fields change: the same tag
    weak = {**people.manager.auth, "If-None-Match": f"W/{etag}"}
    later = coach_client.get("/v1/coaching", params={"tz": "Europe/Paris"}, headers=weak)
    assert later.status_code == 304
    add_row(db, "offer", people.rep.id, account_id=north[1]["martin"], amount_cents=1,
            status=OfferStatus.SENT, sent_at=NOW - DAY)  # fmt: skip
    changed = coach_client.get(
        "/v1/coaching",
        params={"tz": "Europe/Paris"},
        headers={**people.manager.auth, "If-None-Match": etag},
    )
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert team_reps(changed.json(), people.north_id)["rep"]["pipeline_value_cents"] == 150_001
    # Another time zone is another reply: another tag.
    paris = changed.headers["etag"]
    other = coach_client.get("/v1/coaching", params={"tz": "UTC"}, headers=people.manager.auth)
    assert other.headers["etag"] != paris
