"""Hostile requests to the real app (both databases), outside sync's merge: each gets a 4xx
that names what is wrong, echoes nothing back, and changes nothing."""

from __future__ import annotations

import gzip
import json
import time

import pytest
import sqlalchemy as sa

from kpidesk.domain.hlc import Hlc, wall_clock_ms
from kpidesk.domain.ids import uuid7
from kpidesk.server.db import Database
from kpidesk.server.tables import SERVER_RECORD_TABLES, AccountShare, LoginFailure, table_of
from tests.server.conftest import PASSWORD, People

# Each case is one attack of issue 16 against a real server: the README counts them.
pytestmark = pytest.mark.proof("attacks")

LOGIN = {"username": "rep", "password": PASSWORD, "device_name": "laptop"}


def post_raw(client, path: str, text: str, headers: dict | None = None):
    return client.post(
        path, content=text, headers={"Content-Type": "application/json", **(headers or {})}
    )


def count(db: Database, model) -> int:
    with db.session() as session:
        return session.execute(sa.select(sa.func.count()).select_from(table_of(model))).scalar()


def locations(response) -> list[str]:
    return [".".join(str(part) for part in error["loc"]) for error in response.json()["detail"]]


@pytest.mark.parametrize("name", ["username", "password", "device_name"])
@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_in_an_unauthenticated_login_gets_a_422_naming_the_field(client, name, literal):
    body = json.dumps({**LOGIN, name: "@"})
    response = post_raw(client, "/v1/auth/login", body.replace('"@"', literal))
    assert response.status_code == 422, response.text
    assert locations(response) == [f"body.{name}"]
    assert literal not in response.text


@pytest.mark.parametrize("name", ["username", "device_name"])
def test_nul_in_a_login_gets_a_422_naming_the_field(client, db, people, name):
    response = client.post("/v1/auth/login", json={**LOGIN, name: "rep\x00"})
    assert response.status_code == 422, response.text
    assert locations(response) == [f"body.{name}"]
    assert "NUL" in response.text
    assert count(db, LoginFailure) == 0


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1/admin/teams", {"name": "East\x00", "manager_id": "x"}),
        ("POST", "/v1/admin/teams", {"name": "East", "manager_id": "x\x00"}),
        ("POST", "/v1/admin/users/%00/disable", None),
        ("GET", "/v1/admin/users/a%00b/devices", None),
    ],
)
def test_nul_anywhere_in_an_admin_request_gets_a_4xx(client, people, method, path, body):
    response = client.request(method, path, json=body, headers=people.admin.auth)
    # A body field is invalid (422); a path with a NUL names nothing (404).
    assert response.status_code == (404 if body is None else 422), response.text
    assert "NUL" in response.text


def test_a_large_invalid_upload_is_not_echoed_back(client, people: People):
    # 9.5 MB of JSON in 0.5 MB of gzip: the answer says what is wrong in a few hundred bytes.
    body = {"device_id": people.rep.device_id, "cursor": 0,
            "mutations": [{"mid": n, "table": "nowhere", "id": "x" * 9000, "cl": 1}
                          for n in range(1, 1000)]}  # fmt: skip
    compressed = gzip.compress(json.dumps(body).encode())
    headers = {**people.rep.auth, "Content-Type": "application/json", "Content-Encoding": "gzip"}
    response = client.post("/v1/sync", content=compressed, headers=headers)
    assert response.status_code in (413, 422), response.text[:200]
    assert len(response.content) < 64 * 1024
    assert "x" * 100 not in response.text


def _account_of(db: Database, people: People) -> str:
    account_id = uuid7()
    with db.session(write=True) as session:
        session.add(
            SERVER_RECORD_TABLES["account"](id=account_id, owner_id=people.rep.id, name="A")
        )
    return account_id


def test_sharing_does_not_tell_which_usernames_exist(client, db, people: People):
    account_id = _account_of(db, people)
    path = f"/v1/accounts/{account_id}/shares"
    known = client.post(path, json={"username": "other-rep"}, headers=people.rep.auth)
    unknown = client.post(path, json={"username": "nobody-here"}, headers=people.rep.auth)
    assert (known.status_code, known.content) == (unknown.status_code, unknown.content)
    assert count(db, AccountShare) == 1  # only the real colleague got a share


def bomb(inflated: bytes) -> bytes:
    return gzip.compress(inflated, compresslevel=9)


# 32 MiB of JSON in about 32 KB of gzip: a million-element array, and the same nested deep.
WIDE = b"[" + b"0," * (16 * 1024 * 1024 - 2) + b"0]"
DEEP = b"[" * (16 * 1024 * 1024 - 1) + b"]" * (16 * 1024 * 1024 - 1)
GZIP_JSON = {"Content-Type": "application/json", "Content-Encoding": "gzip"}


@pytest.mark.parametrize(
    ("method", "path"), [("POST", "/v1/sync"), ("PUT", "/v1/me/password"),
                         ("POST", "/v1/admin/users")],
)  # fmt: skip
@pytest.mark.parametrize("shape", ["wide", "deep"])
def test_a_gzip_bomb_without_a_token_is_refused_before_it_is_read(
    client, people, method, path, shape
):
    body = bomb(WIDE if shape == "wide" else DEEP)
    assert len(body) < 64 * 1024
    for auth in ({}, {"Authorization": "Bearer not-a-real-token"}):
        start = time.perf_counter()
        response = client.request(method, path, content=body, headers={**GZIP_JSON, **auth})
        elapsed = time.perf_counter() - start
        assert response.status_code == 401, response.text
        assert elapsed < 0.5, f"{elapsed:.2f} s"


@pytest.mark.parametrize("shape", ["wide", "deep"])
def test_a_gzip_bomb_to_the_login_is_refused_in_milliseconds(client, people, shape):
    body = bomb(WIDE if shape == "wide" else DEEP)
    start = time.perf_counter()
    response = client.post("/v1/auth/login", content=body, headers=GZIP_JSON)
    elapsed = time.perf_counter() - start
    assert response.status_code == 413, response.text
    assert elapsed < 0.5, f"{elapsed:.2f} s"


@pytest.mark.parametrize(
    ("inflated", "status", "words"),
    [
        (WIDE, 413, "values"),
        (DEEP, 413, "values"),  # 16 million arrays: too many before too deep
        (b"[" * 40 + b"]" * 40, 400, "nested"),
        (b"[" + b'"a",' * 300_000 + b'"a"]', 413, "values"),
    ],
    ids=["32 MiB wide", "32 MiB deep", "40 deep", "300,000 strings"],
)
def test_a_signed_in_bomb_is_bounded_in_size_depth_and_values(
    client, people: People, inflated, status, words
):
    body = bomb(inflated)
    start = time.perf_counter()
    response = client.post("/v1/sync", content=body, headers={**GZIP_JSON, **people.rep.auth})
    elapsed = time.perf_counter() - start
    assert response.status_code == status, response.text
    assert words in response.json()["detail"]
    assert elapsed < 1.0, f"{elapsed:.2f} s"


@pytest.mark.proof(None)  # legitimate text, beside the attacks
def test_text_full_of_commas_and_brackets_is_not_taken_for_structure(client, people: People):
    notes = "[{a, b}], " * 999  # within the notes' 10,000 characters
    stamp = Hlc(wall_clock_ms(), 0, people.rep.device_id).encode()
    body = {"device_id": people.rep.device_id, "cursor": 0, "mutations": [
        {"mid": n, "table": "account", "id": uuid7(), "cl": 1,
         "fields": {"name": {"v": "A", "hlc": stamp}, "notes": {"v": notes, "hlc": stamp}}}
        for n in range(1, 101)]}  # fmt: skip
    response = client.post("/v1/sync", content=bomb(json.dumps(body).encode()),
                           headers={**GZIP_JSON, **people.rep.auth})  # fmt: skip
    assert response.status_code == 200, response.text[:300]


def test_wrong_passwords_from_elsewhere_do_not_lock_the_user_out(app, people: People):
    from fastapi.testclient import TestClient

    with (
        TestClient(app, client=("203.0.113.7", 40000)) as attacker,
        TestClient(app, client=("198.51.100.2", 40000)) as office,
    ):
        for _ in range(5):
            assert attacker.post("/v1/auth/login", json={**LOGIN, "password": "wrong wrong"}
                                 ).status_code == 401  # fmt: skip
        assert attacker.post("/v1/auth/login", json=LOGIN).status_code == 429
        assert office.post("/v1/auth/login", json=LOGIN).status_code == 200
        # And the attacker's address stays locked for that user.
        assert attacker.post("/v1/auth/login", json=LOGIN).status_code == 429
