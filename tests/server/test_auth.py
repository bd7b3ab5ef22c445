"""Signing in and out, tokens, passwords, throttling, and other users' data."""

from __future__ import annotations

import logging
import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from kpidesk.domain.timeutil import utc_now
from kpidesk.server.app import create_app
from kpidesk.server.security import token_digest
from kpidesk.server.settings import PasswordHashing, ServerSettings
from kpidesk.server.tables import Device, LoginFailure, User, metadata, table_of
from tests.server.conftest import PASSWORD, People, device_row


def login(client, username="rep", password=PASSWORD, **extra):
    body = {"username": username, "password": password, "device_name": "laptop", **extra}
    return client.post("/v1/auth/login", json=body)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_login_gives_a_working_token_and_me_describes_the_caller(client, people: People):
    response = login(client, "Rep")  # usernames are case-insensitive
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["user"] == {"id": people.rep.id, "username": "rep", "role": "rep"}
    assert len(body["token"]) == 43  # 32 random bytes, URL-safe base64
    me = client.get("/v1/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.json()["device"]["id"] == body["device_id"]
    assert me.json()["teams"] == [{"id": people.north_id, "name": "North", "member_ids": []}]
    assert me.json()["people"] == []  # nobody's records reach this rep yet
    manager = client.get("/v1/me", headers=people.manager.auth).json()
    # A manager is told who the team's reps are, to name their records.
    assert manager["teams_led"] == [
        {"id": people.north_id, "name": "North", "member_ids": [people.rep.id]}
    ]
    assert manager["people"] == [{"id": people.rep.id, "username": "rep"}]
    assert manager["teams"] == []


def test_wrong_password_and_unknown_user_get_the_same_answer(client, people):
    wrong = login(client, password="not the password")
    unknown = login(client, username="nobody")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "wrong username or password"}


def test_logout_revokes_the_token_and_only_that_one(client, db, people: People):
    first = login(client).json()
    second = login(client).json()
    assert client.post("/v1/auth/logout", headers=bearer(first["token"])).status_code == 204
    assert client.get("/v1/me", headers=bearer(first["token"])).status_code == 401
    assert client.get("/v1/me", headers=bearer(second["token"])).status_code == 200
    assert device_row(db, first["device_id"]).revoked_at is not None


def test_a_laptop_logging_in_again_keeps_its_device_id_and_gets_a_new_token(client, db, people):
    laptop = str(uuid.uuid4())
    first = login(client, device_id=laptop).json()
    client.post("/v1/auth/logout", headers=bearer(first["token"]))
    second = login(client, device_id=laptop).json()
    assert first["device_id"] == second["device_id"] == laptop
    assert client.get("/v1/me", headers=bearer(first["token"])).status_code == 401
    assert client.get("/v1/me", headers=bearer(second["token"])).status_code == 200
    # Another user cannot take that device over.
    taken = login(client, "other-rep", device_id=laptop)
    assert taken.status_code == 409
    assert device_row(db, laptop).user_id == people.rep.id


def test_tokens_are_stored_only_as_sha256(client, db, settings, people):
    token = login(client).json()["token"]
    with db.engine.connect() as conn:
        dumped = "\n".join(
            repr(tuple(row))
            for table in metadata.sorted_tables
            for row in conn.execute(sa.select(table))
        )
    assert token not in dumped
    assert token_digest(token) in dumped
    if settings.database_url.startswith("sqlite"):
        files = Path(settings.database_url.removeprefix("sqlite:///")).parent.glob("*")
        for path in files:  # the database file and its WAL
            assert token.encode() not in path.read_bytes(), path


def test_passwords_are_stored_as_argon2id_with_the_configured_cost(tmp_path, db, people):
    with db.session() as session:
        stored = session.scalars(sa.select(User.password_hash)).all()
    assert all(h.startswith("$argon2id$v=19$m=1024,t=1,p=1$") for h in stored), stored
    assert not any(PASSWORD in h for h in stored)
    # The production default: RFC 9106's recommendation (64 MiB, 3 passes, 4 lanes).
    from kpidesk.server.security import Passwords

    assert Passwords(PasswordHashing()).hash("x" * 12).startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_an_older_hash_is_upgraded_at_the_next_login(client, db, people):
    from kpidesk.server.security import Passwords

    weaker = Passwords(PasswordHashing(time_cost=1, memory_kib=512, parallelism=1))
    with db.session(write=True) as session:
        session.get(User, people.rep.id).password_hash = weaker.hash(PASSWORD)
    assert login(client).status_code == 200
    with db.session() as session:
        assert session.get(User, people.rep.id).password_hash.startswith("$argon2id$v=19$m=1024,")


def test_login_is_throttled_per_username(client, db, people):
    for _ in range(5):
        assert login(client, password="wrong wrong").status_code == 401
    refused = login(client)  # even the right password waits now
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    assert "try again in" in refused.json()["detail"]
    # Other usernames from elsewhere are not affected by this one's lock.
    assert login(client, "other-rep").status_code == 200


def test_throttle_window_slides_and_success_clears_the_users_failures(client, db, people):
    for _ in range(5):
        login(client, password="wrong wrong")
    failure = table_of(LoginFailure)
    with db.session(write=True) as session:  # let the failures age past the window
        session.execute(sa.update(failure).values(failed_at=utc_now() - timedelta(minutes=16)))
    assert login(client).status_code == 200
    for _ in range(4):
        login(client, password="wrong wrong")
    assert login(client).status_code == 200  # under the limit; and it clears them
    with db.session() as session:
        left = session.execute(
            sa.select(sa.func.count()).select_from(failure).where(failure.c.username == "rep")
        ).scalar_one()
    assert left == 0


def test_login_is_throttled_per_client_address(client, people):
    # 20 failures from one address, spread over many usernames, lock that address.
    for n in range(20):
        assert login(client, username=f"guess{n}", password="wrong wrong").status_code == 401
    assert login(client).status_code == 429


def test_throttling_is_shared_by_every_server_process(settings, people):
    from fastapi.testclient import TestClient

    # Two apps on one database stand for two workers (or two servers behind a balancer).
    first, second = create_app(settings), create_app(settings)
    try:
        with TestClient(first) as one, TestClient(second) as two:
            for n in range(5):
                assert login(one if n % 2 else two, password="wrong wrong").status_code == 401
            assert login(one).status_code == 429
            assert login(two).status_code == 429
    finally:
        first.state.context.db.close()
        second.state.context.db.close()


def test_a_disabled_user_cannot_log_in_and_their_tokens_stop(client, db, people: People):
    extra = login(client).json()["token"]
    response = client.post(f"/v1/admin/users/{people.rep.id}/disable", headers=people.admin.auth)
    assert response.status_code == 200
    assert response.json()["disabled"] is True
    for token in (people.rep.token, extra):
        assert client.get("/v1/me", headers=bearer(token)).status_code == 401
    refused = login(client)
    assert refused.status_code == 403
    assert "disabled" in refused.json()["detail"]
    # Enabled again: the old tokens stay dead, a new login works.
    client.post(f"/v1/admin/users/{people.rep.id}/enable", headers=people.admin.auth)
    assert client.get("/v1/me", headers=people.rep.auth).status_code == 401
    assert login(client).status_code == 200


def test_reset_password_signs_out_every_device(client, db, people: People):
    response = client.put(
        f"/v1/admin/users/{people.rep.id}/password",
        json={"password": "the brand new one"},
        headers=people.admin.auth,
    )
    assert response.status_code == 204
    assert client.get("/v1/me", headers=people.rep.auth).status_code == 401
    assert login(client).status_code == 401
    assert login(client, password="the brand new one").status_code == 200


def test_change_own_password_keeps_this_device_and_signs_out_the_others(client, people):
    other = login(client).json()["token"]
    wrong = client.put(
        "/v1/me/password",
        json={"current_password": "not it at all", "new_password": "a fresh password"},
        headers=people.rep.auth,
    )
    assert wrong.status_code == 403
    short = client.put(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "short"},
        headers=people.rep.auth,
    )
    assert short.status_code == 422  # the length is in the API document: a schema error
    assert [e["loc"] for e in short.json()["detail"]] == [["body", "new_password"]]
    assert "at least 10 characters" in short.json()["detail"][0]["msg"]
    done = client.put(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "a fresh password"},
        headers=people.rep.auth,
    )
    assert done.status_code == 204
    assert client.get("/v1/me", headers=people.rep.auth).status_code == 200
    assert client.get("/v1/me", headers=bearer(other)).status_code == 401
    assert login(client, password="a fresh password").status_code == 200


# Other users' data


def test_a_rep_cannot_revoke_another_users_device(client, db, people: People):
    response = client.post(
        f"/v1/me/devices/{people.other_rep.device_id}/revoke", headers=people.rep.auth
    )
    assert response.status_code == 404  # as if it did not exist: nothing is revealed
    assert device_row(db, people.other_rep.device_id).revoked_at is None
    assert client.get("/v1/me", headers=people.other_rep.auth).status_code == 200


def test_my_devices_lists_only_mine(client, people: People):
    listed = client.get("/v1/me/devices", headers=people.rep.auth).json()
    assert [d["id"] for d in listed] == [people.rep.device_id]


def test_a_manager_cannot_disable_an_admin_nor_their_own_rep(client, db, people: People):
    for target in (people.admin, people.rep):
        response = client.post(f"/v1/admin/users/{target.id}/disable", headers=people.manager.auth)
        assert response.status_code == 403
        with db.session() as session:
            assert session.get(User, target.id).disabled is False


def test_a_rep_cannot_list_users_nor_reset_anothers_password(client, people: People):
    assert client.get("/v1/admin/users", headers=people.rep.auth).status_code == 403
    response = client.put(
        f"/v1/admin/users/{people.other_rep.id}/password",
        json={"password": "taken over now"},
        headers=people.rep.auth,
    )
    assert response.status_code == 403
    assert login(client, "other-rep").status_code == 200


def test_the_last_admin_cannot_be_disabled_or_demoted(client, people: People):
    me = people.admin
    disable = client.post(f"/v1/admin/users/{me.id}/disable", headers=me.auth)
    demote = client.put(f"/v1/admin/users/{me.id}/role", json={"role": "rep"}, headers=me.auth)
    assert disable.status_code == demote.status_code == 409
    assert "last active admin" in disable.json()["detail"]
    assert client.get("/v1/me", headers=me.auth).json()["user"]["role"] == "admin"


def test_a_manager_who_leads_a_team_cannot_be_demoted(client, people: People):
    response = client.put(
        f"/v1/admin/users/{people.manager.id}/role", json={"role": "rep"},
        headers=people.admin.auth,
    )  # fmt: skip
    assert response.status_code == 409
    assert "North" in response.json()["detail"]


def test_a_team_needs_a_manager_as_its_manager(client, people: People):
    response = client.post(
        "/v1/admin/teams", json={"name": "West", "manager_id": people.rep.id},
        headers=people.admin.auth,
    )  # fmt: skip
    assert response.status_code == 409
    assert client.get("/v1/admin/teams", headers=people.admin.auth).json()[1]["name"] == "South"
    assert len(client.get("/v1/admin/teams", headers=people.admin.auth).json()) == 2


def test_duplicate_usernames_are_refused_whatever_their_case(client, people: People):
    response = client.post(
        "/v1/admin/users", json={"username": "rep", "role": "rep", "password": "p" * 12},
        headers=people.admin.auth,
    )  # fmt: skip
    assert response.status_code == 409
    upper = client.post(
        "/v1/admin/users", json={"username": "REP", "role": "rep", "password": "p" * 12},
        headers=people.admin.auth,
    )  # fmt: skip
    assert upper.status_code == 422  # usernames are lower case on the wire


def test_malformed_authorization_headers_are_401(client, people: People):
    for value in ("", "Bearer", "Basic dXNlcjpwYXNz", f"Token {people.rep.token}", "Bearer x"):
        response = client.get("/v1/me", headers={"Authorization": value})
        assert response.status_code == 401, value


# Logs


def test_no_password_or_token_reaches_the_logs(client, people, caplog):
    caplog.set_level(logging.DEBUG)
    token = login(client).json()["token"]
    login(client, password="my secret guess")
    client.get("/v1/me", headers=bearer(token))
    client.put(
        "/v1/me/password",
        json={"current_password": PASSWORD, "new_password": "another secret"},
        headers=bearer(token),
    )
    text = caplog.text
    assert "failed login for 'rep'" in text  # the events are logged...
    for secret in (PASSWORD, "my secret guess", "another secret", token, people.rep.token):
        assert secret not in text  # ...never the secrets


def test_client_addresses_come_from_the_connection_not_from_headers(client, people):
    # A client cannot dodge the per-address throttle by claiming another address.
    for n in range(20):
        login(client, f"u{n}", "wrong wrong")
    response = client.post(
        "/v1/auth/login",
        json={"username": "rep", "password": PASSWORD, "device_name": "x"},
        headers={"X-Forwarded-For": "203.0.113.9"},
    )
    assert response.status_code == 429


def test_an_unknown_token_never_matches_by_prefix(client, db, people: People):
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", people.rep.token)
    assert client.get("/v1/me", headers=bearer(people.rep.token[:-1])).status_code == 401
    with db.session() as session:
        device = session.get(Device, people.rep.device_id)
    assert device.token_sha256 == token_digest(people.rep.token)


@pytest.fixture
def settings_with_cors(settings: ServerSettings) -> ServerSettings:
    from dataclasses import replace

    return replace(settings, cors_origins=("https://office.example",))


def test_cors_is_off_by_default_and_on_only_for_listed_origins(client, settings_with_cors):
    from fastapi.testclient import TestClient

    preflight = {"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    response = client.get("/v1/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in response.headers
    assert client.options("/v1/me", headers=preflight).status_code == 405
    app = create_app(settings_with_cors)
    try:
        with TestClient(app) as cors_client:
            allowed = cors_client.get("/v1/health", headers={"Origin": "https://office.example"})
            other = cors_client.get("/v1/health", headers={"Origin": "https://evil.example"})
    finally:
        app.state.context.db.close()
    assert allowed.headers["access-control-allow-origin"] == "https://office.example"
    assert "access-control-allow-origin" not in other.headers


def test_last_seen_is_recorded_after_a_request_at_most_once_a_minute(client, db, people: People):
    from kpidesk.server.devices import LAST_SEEN_PRECISION

    assert device_row(db, people.rep.device_id).last_seen_at is None
    client.get("/v1/me", headers=people.rep.auth)
    first = device_row(db, people.rep.device_id).last_seen_at
    assert first is not None
    assert utc_now() - first < timedelta(seconds=30)
    client.get("/v1/me", headers=people.rep.auth)
    assert device_row(db, people.rep.device_id).last_seen_at == first  # no write each time
    with db.session(write=True) as session:
        session.get(Device, people.rep.device_id).last_seen_at = first - LAST_SEEN_PRECISION
    client.get("/v1/me", headers=people.rep.auth)
    assert device_row(db, people.rep.device_id).last_seen_at > first
