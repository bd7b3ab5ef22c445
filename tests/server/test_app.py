"""The app around the endpoints: body size limit, error bodies, health, server versions."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kpidesk.server.app import create_app
from kpidesk.server.db import allocate_server_versions, current_server_version
from kpidesk.server.tables import User
from tests.server.conftest import People


@pytest.fixture
def small_body_client(settings, people):
    app = create_app(replace(settings, max_body_bytes=1024))
    with TestClient(app) as test_client:
        yield test_client
    app.state.context.db.close()


def _user_count(db) -> int:
    with db.session() as session:
        return session.execute(sa.select(sa.func.count()).select_from(User)).scalar_one()


def test_a_body_over_the_limit_is_refused_with_413_and_changes_nothing(
    small_body_client, db, people: People
):
    before = _user_count(db)
    body = {"username": "bigbody", "role": "rep", "password": "p" * 12, "pad": "x" * 2000}
    response = small_body_client.post("/v1/admin/users", json=body, headers=people.admin.auth)
    assert response.status_code == 413
    assert response.json() == {"detail": "the request body is larger than 1024 bytes"}
    assert _user_count(db) == before
    # Just under the limit goes through.
    body["pad"] = "x" * 100
    ok = small_body_client.post("/v1/admin/users", json=body, headers=people.admin.auth)
    assert ok.status_code == 201
    assert _user_count(db) == before + 1


def test_a_chunked_body_is_counted_as_it_arrives(small_body_client, db, people: People):
    before = _user_count(db)

    def chunks():
        yield b'{"username": "chunky", "role": "rep", "password": "pppppppppppp", "pad": "'
        for _ in range(20):
            yield b"x" * 100
        yield b'"}'

    response = small_body_client.post(
        "/v1/admin/users",
        content=chunks(),
        headers={**people.admin.auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert _user_count(db) == before


def test_a_non_numeric_content_length_is_a_clear_400(small_body_client, people):
    response = small_body_client.post(
        "/v1/auth/login", content=b"{}", headers={"Content-Length": "abc"}
    )
    assert response.status_code == 400
    assert "Content-Length" in response.json()["detail"]


def test_error_bodies_are_json_with_a_detail(client, people: People):
    not_found = client.get("/v1/nowhere")
    wrong_method = client.delete("/v1/me", headers=people.rep.auth)
    invalid = client.post("/v1/auth/login", json={"username": ""})
    missing = client.get("/v1/admin/users/no-such-id", headers=people.admin.auth)
    for response, status in ((not_found, 404), (wrong_method, 405), (invalid, 422), (missing, 404)):
        assert response.status_code == status
        assert response.headers["content-type"] == "application/json"
        assert "detail" in response.json()
    assert missing.json() == {"detail": "no user with id no-such-id"}


def test_an_unexpected_error_is_a_plain_500_without_internals(settings, people, monkeypatch):
    from kpidesk.server import directory

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret internal state")

    monkeypatch.setattr(directory, "list_users", broken)
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/v1/admin/users", headers=people.admin.auth)
    app.state.context.db.close()
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}


def test_health_needs_no_token_and_checks_the_database(client):
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_answer_forbids_caching_and_sniffing(client, people: People):
    response = client.get("/v1/me", headers=people.rep.auth)
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_openapi_document_is_served(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "kpidesk team server"
    assert "/v1/auth/login" in spec["paths"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


# Server versions (used by sync): handed out in commit order.


def test_server_versions_are_consecutive(db):
    with db.session(write=True) as session:
        assert list(allocate_server_versions(session, 3)) == [1, 2, 3]
    with db.session(write=True) as session:
        assert list(allocate_server_versions(session)) == [4]
    with db.session() as session:
        assert current_server_version(session) == 4


def test_a_rolled_back_allocation_gives_its_versions_back(db):
    with pytest.raises(RuntimeError), db.session(write=True) as session:
        allocate_server_versions(session, 5)
        raise RuntimeError("sync batch failed")
    with db.session(write=True) as session:
        assert list(allocate_server_versions(session)) == [1]


def test_a_second_writer_waits_for_the_first_to_commit(db):
    """Version n+1 is never committed before n: the second transaction blocks on the first."""
    order: list[str] = []
    first_holds = threading.Event()

    def second_writer():
        first_holds.wait(5)
        with db.session(write=True) as session:
            versions = allocate_server_versions(session)
            order.append(f"second got {versions[0]}")

    thread = threading.Thread(target=second_writer)
    thread.start()
    with db.session(write=True) as session:
        versions = allocate_server_versions(session)
        first_holds.set()
        time.sleep(0.5)  # the second writer is blocked meanwhile
        order.append(f"first got {versions[0]}, committing")
    thread.join(10)
    assert order == ["first got 1, committing", "second got 2"]
