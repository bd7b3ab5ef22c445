"""Hostile sync requests against the real app, on SQLite and PostgreSQL: each is refused by
name, changes nothing it should not, and never poisons what the other laptops pull."""

from __future__ import annotations

import json
from typing import Any

import pytest
import sqlalchemy as sa

from kpidesk.domain.hlc import Hlc, wall_clock_ms
from kpidesk.domain.ids import uuid7
from kpidesk.records import SYNCED_RECORDS, business_fields
from kpidesk.records.codec import encode_value
from kpidesk.server.db import Database
from kpidesk.server.tables import SERVER_RECORD_TABLES, table_of
from tests.server.conftest import People, Person

# Each case is one attack of issue 16 against a real server: the README counts them.
pytestmark = pytest.mark.proof("attacks")

INJECTED_CENTS = 99_999_999  # €999,999.99


def fields_of(table: str, device_id: str, **values: Any) -> dict[str, Any]:
    """Every business field of a new ``table`` row as a mutation carries it (wire values)."""
    record = SYNCED_RECORDS[table]
    defaults = {"account": {"name": "Acme"}, "contact": {"name": "Ann"},
                "objective": {"kpi_key": "conversion", "target": 0.3}}  # fmt: skip
    # Built without validation: the values are sent as they are, as an attacker would.
    model = record.model_construct(**{**defaults.get(table, {}), **values})
    stamp = Hlc(wall_clock_ms(), 0, device_id).encode()
    wire = {name: encode_value(getattr(model, name)) for name in business_fields(record)}
    return {name: {"v": value, "hlc": stamp} for name, value in wire.items()}


def mutation(mid: int, table: str, row_id: str, fields: dict, cl: int = 1) -> dict[str, Any]:
    return {"mid": mid, "table": table, "id": row_id, "cl": cl, "fields": fields}


def sync(client, person: Person, mutations: list[dict], cursor: int = 0):
    body = {"device_id": person.device_id, "cursor": cursor, "mutations": mutations}
    # json.dumps writes NaN and Infinity as the bare literals an attacker would send.
    return client.post(
        "/v1/sync",
        content=json.dumps(body),
        headers={**person.auth, "Content-Type": "application/json"},
    )


def account_of(client, owner: Person) -> str:
    """An account ``owner`` synced (their first mutation)."""
    account_id = uuid7()
    reply = sync(client, owner, [
        mutation(1, "account", account_id, fields_of("account", owner.device_id, name="B"))
    ])  # fmt: skip
    assert reply.json()["rejected"] == []
    return account_id


def rows(db: Database, table: str) -> list[dict]:
    tbl = table_of(SERVER_RECORD_TABLES[table])
    with db.session() as session:
        return [dict(r) for r in session.execute(sa.select(tbl)).mappings()]


def pulled(client, person: Person, table: str) -> list[dict]:
    reply = sync(client, person, [])
    assert reply.status_code == 200, reply.text
    return [c for c in reply.json()["changes"] if c["table"] == table]


# The first mutation names the other rep's account and is refused; the second hangs a record
# off that account. Attack 1: the second slipped through because the account was "in the
# request".
FIRST_MUTATIONS = {
    "edit": lambda account, rep: mutation(1, "account", account, fields_of(
        "account", rep.device_id, name="Mine now")),
    "delete": lambda account, rep: mutation(1, "account", account, {}, cl=2),
    "bad value": lambda account, rep: mutation(1, "account", account, fields_of(
        "account", rep.device_id, temperature="boiling")),
}  # fmt: skip


@pytest.mark.parametrize("first", sorted(FIRST_MUTATIONS))
@pytest.mark.parametrize("table", ["offer", "contact", "activity"])
def test_a_refused_mutation_does_not_let_a_later_one_attach_to_anothers_account(
    client, db, people: People, first: str, table: str
):
    victim_account = account_of(client, people.other_rep)
    extra = {"amount_cents": INJECTED_CENTS, "status": "sent"} if table == "offer" else {}
    injected = uuid7()
    reply = sync(client, people.rep, [
        FIRST_MUTATIONS[first](victim_account, people.rep),
        mutation(2, table, injected, fields_of(
            table, people.rep.device_id, account_id=victim_account, **extra)),
    ])  # fmt: skip
    assert reply.status_code == 200, reply.text
    rejected = {r["mid"]: r["reason"] for r in reply.json()["rejected"]}
    assert set(rejected) == {1, 2}
    assert victim_account in rejected[2]
    assert rows(db, table) == []
    assert [a["fields"]["name"] for a in pulled(client, people.other_rep, "account")] == ["B"]
    if table == "offer":  # nothing reached the other manager's pipeline
        assert pulled(client, people.other_manager, "offer") == []


@pytest.mark.proof(None)  # legitimate use, beside the attack
def test_an_account_made_in_the_same_request_can_still_take_records(client, people: People):
    account = uuid7()
    reply = sync(client, people.rep, [
        mutation(1, "account", account, fields_of("account", people.rep.device_id)),
        mutation(2, "offer", uuid7(), fields_of(
            "offer", people.rep.device_id, account_id=account, amount_cents=1000)),
    ])  # fmt: skip
    assert reply.status_code == 200, reply.text
    assert reply.json()["rejected"] == []


NON_FINITE = [float("nan"), float("inf"), float("-inf")]


@pytest.mark.parametrize("bad", NON_FINITE, ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize(("table", "name"), [("offer", "probability"), ("objective", "target")])
def test_nan_and_infinity_are_refused_by_field_name(client, db, people, bad, table, name):
    account = uuid7()
    good_offer = uuid7()
    extra = {"account_id": account} if table == "offer" else {}
    reply = sync(client, people.rep, [
        mutation(1, "account", account, fields_of("account", people.rep.device_id)),
        mutation(2, table, uuid7(), fields_of(table, people.rep.device_id, **extra,
                                              **{name: bad})),
        mutation(3, "offer", good_offer, fields_of(
            "offer", people.rep.device_id, account_id=account, probability=0.5)),
    ])  # fmt: skip
    assert reply.status_code == 200, reply.text
    rejected = reply.json()["rejected"]
    assert [r["mid"] for r in rejected] == [2]
    assert f"field {name}" in rejected[0]["reason"]
    assert {r["id"] for r in rows(db, "offer")} == {good_offer}  # the rest went through
    # Every laptop and the manager still sync, and pull only finite numbers.
    for person in (people.rep, people.manager):
        reply = sync(client, person, [])
        assert reply.status_code == 200
        json.loads(reply.text, parse_constant=pytest.fail)


def test_nan_on_an_existing_row_is_refused_and_the_row_kept(client, db, people: People):
    account, offer = uuid7(), uuid7()
    sync(client, people.rep, [
        mutation(1, "account", account, fields_of("account", people.rep.device_id)),
        mutation(2, "offer", offer, fields_of(
            "offer", people.rep.device_id, account_id=account, probability=0.25)),
    ])  # fmt: skip
    stamp = Hlc(wall_clock_ms() + 1000, 0, people.rep.device_id).encode()
    reply = sync(
        client,
        people.rep,
        [mutation(3, "offer", offer, {"probability": {"v": float("nan"), "hlc": stamp}})],
    )
    assert [r["mid"] for r in reply.json()["rejected"]] == [3]
    assert [r["probability"] for r in rows(db, "offer")] == [0.25]


IMPOSSIBLE = {
    "month 13": ("offer", "sent_at", "2026-13-01T09:00:00.000000Z"),
    "30 February": ("offer", "decided_at", "2026-02-30T09:00:00.000000Z"),
    "hour 25": ("activity", "done_at", "2026-03-02T25:00:00.000000Z"),
    "year 0": ("account", "created_at", "0000-01-01T00:00:00.000000Z"),
    "2^63 cents": ("offer", "amount_cents", 2**63),
    "-2^63-1 cents": ("offer", "margin_cents", -(2**63) - 1),
    "2^1100 as a float": ("objective", "target", 2**1100),
}


@pytest.mark.parametrize("case", sorted(IMPOSSIBLE))
def test_impossible_values_are_refused_by_field_name(client, db, people: People, case: str):
    table, name, value = IMPOSSIBLE[case]
    account = uuid7()
    row = account if table == "account" else uuid7()
    first = [] if table == "account" else [
        mutation(1, "account", account, fields_of("account", people.rep.device_id))
    ]  # fmt: skip
    extra = {"account_id": account} if table in ("offer", "activity") else {}
    reply = sync(client, people.rep, [*first, mutation(
        len(first) + 1, table, row, fields_of(table, people.rep.device_id, **extra,
                                              **{name: value}))])  # fmt: skip
    assert reply.status_code == 200, reply.text
    rejected = reply.json()["rejected"]
    assert [r["mid"] for r in rejected] == [len(first) + 1]
    assert f"field {name}" in rejected[0]["reason"]
    assert rows(db, table) == []


@pytest.mark.parametrize(
    ("where", "value"),
    [("cursor", 2**63), ("mid", 2**63), ("cl", 2**31), ("base", 2**63)],
)
def test_integers_past_the_columns_range_get_a_422_naming_them(client, people, where, value):
    account = uuid7()
    step = mutation(1, "account", account, fields_of("account", people.rep.device_id))
    cursor = 0
    if where == "cursor":
        cursor = value
    else:
        step[where] = value
    reply = sync(client, people.rep, [step], cursor=cursor)
    assert reply.status_code == 422, reply.text
    assert where in json.dumps(reply.json()["detail"])
    assert str(value) not in reply.text  # the input is not echoed
