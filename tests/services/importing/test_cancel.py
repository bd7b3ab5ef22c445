"""Cancel during an import rolls it all back: the database is exactly as it was."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from kpidesk.services.importing.errors import ImportCancelledError
from kpidesk.services.importing.service import CHUNK, ImportService
from tests.services.importing.helpers import dump_hash


def test_cancel_between_chunks_leaves_the_database_unchanged(workspace, db_path, tmp_path):
    workspace.accounts.create({"name": "Déjà là"})
    path = tmp_path / "comptes.csv"
    rows = 3 * CHUNK  # three chunks: Cancel comes after the first was written
    path.write_text("Client;Ville\n" + "".join(f"S{i};Lyon\n" for i in range(rows)), "utf-8")
    before = dump_hash(db_path)
    service = ImportService(workspace.db, ZoneInfo("Europe/Paris"))
    seen: list[int] = []

    def cancelled() -> bool:
        return bool(seen)  # true once the first chunk has been written

    with pytest.raises(ImportCancelledError):
        service.run(service.open(path), cancelled=cancelled,
                    progress=lambda done, total: seen.append(done))  # fmt: skip
    assert seen == [CHUNK]  # the first chunk was written inside the transaction...
    assert dump_hash(db_path) == before  # ...and rolled back with the rest
    assert [row.name for row in workspace.accounts.list()] == ["Déjà là"]
