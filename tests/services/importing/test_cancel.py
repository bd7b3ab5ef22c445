"""Cancel during an import rolls it all back: the database is exactly as it was."""

from __future__ import annotations

import sqlite3
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


def test_cancel_of_a_first_large_import_keeps_the_indexes(workspace, db_path, tmp_path):
    # 1,200 offers into empty tables: their indexes are set aside during the load
    # (store.bulk.indexes_rebuilt); Cancel must leave them, and the whole file, as they were.
    path = tmp_path / "offres.csv"
    lines = "".join(
        f"D-{i};Client {i % 40};{100 + i},00 €;En cours;{1 + i % 28:02d}/03/2026\n"
        for i in range(1200)
    )
    path.write_text("N° devis;Client;Montant HT;Statut;Date d'envoi\n" + lines, "utf-8")
    before = dump_hash(db_path)
    service = ImportService(workspace.db, ZoneInfo("Europe/Paris"))
    seen: list[int] = []
    with pytest.raises(ImportCancelledError):
        service.run(service.open(path), cancelled=lambda: len(seen) > 1,
                    progress=lambda done, total: seen.append(done))  # fmt: skip
    assert dump_hash(db_path) == before  # the CREATE INDEX statements included
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    _written, plan = service.run(service.open(path))  # and then imported in full
    assert plan.counts("offer").new == 1200
    assert dump_hash(db_path) != before
