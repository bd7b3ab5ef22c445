"""Rows of the team view's tests, written straight into the server's tables (as a sync would
leave them), and the clock of their server (fixtures ``clock`` and ``coach_client``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from kpidesk.domain.ids import uuid7
from kpidesk.server.db import Database
from kpidesk.server.tables import SERVER_RECORD_TABLES

# A Wednesday in March: the running month, quarter and year in Paris are March, Q1 and 2026.
NOW = datetime(2026, 3, 18, 10, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = NOW

    def ms(self) -> int:
        return int(self.now.timestamp() * 1000)


def add_row(db: Database, table: str, owner_id: str, **fields: Any) -> str:
    """A live row (``cl`` 1 unless given) of ``table`` owned by ``owner_id``; its id."""
    row_id = fields.pop("id", None) or uuid7()
    with db.session(write=True) as session:
        session.add(SERVER_RECORD_TABLES[table](id=row_id, owner_id=owner_id, **fields))
    return row_id


def coaching(client: TestClient, person, tz: str = "Europe/Paris") -> dict[str, Any]:
    response = client.get("/v1/coaching", params={"tz": tz}, headers=person.auth)
    assert response.status_code == 200, response.text
    return response.json()


def view(reply: dict[str, Any], kind: str = "month") -> dict[str, Any]:
    (found,) = [v for v in reply["views"] if v["period_kind"] == kind]
    return found


def team_reps(reply: dict[str, Any], team_id: str, kind: str = "month") -> dict[str, Any]:
    """The reps of one team page, by name."""
    (page,) = [t for t in view(reply, kind)["teams"] if t["team_id"] == team_id]
    return {rep["rep_name"]: rep for rep in page["reps"]}
