"""Laptops for sync tests: a local kpidesk database and a sync session talking to the
in-process server app (no network, the same HTTP code as in production)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from kpidesk.services.workspace import Workspace, open_workspace
from kpidesk.sync.credentials import CredentialStore
from kpidesk.sync.session import SyncSession

SERVER_URL = "http://kpidesk.test"


class MemoryCredentials(CredentialStore):
    """Tokens for this test process only (the keyring tests use the real Secret Service)."""

    def has_keyring(self) -> bool:
        return False


@dataclass
class Laptop:
    workspace: Workspace
    session: SyncSession

    @property
    def db(self):
        return self.workspace.db

    def sync(self):
        return self.session.sync()

    def close(self) -> None:
        self.workspace.close()


def laptop(app, path: Path) -> Laptop:
    workspace = open_workspace(path)

    def http(url: str, _ca_bundle: str | None):
        return TestClient(app, base_url=url)

    return Laptop(workspace, SyncSession(workspace.db, MemoryCredentials(), http))


def table_rows(db, table: str, columns: str = "*") -> list[tuple]:
    with db.read() as conn:
        return sorted(
            tuple(r) for r in conn.exec_driver_sql(f"SELECT {columns} FROM {table}").all()
        )
