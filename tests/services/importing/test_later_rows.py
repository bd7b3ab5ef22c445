"""A later row of the file fills what an earlier one left out of a record it creates, and a
won offer makes its new account a client: the record written, and the mutation it syncs with,
hold those values (not the ones checked when the first row was read)."""

from __future__ import annotations

import json
import sqlite3
from zoneinfo import ZoneInfo

from kpidesk.services.importing.service import ImportService
from kpidesk.store.outbox import wire_fields

PARIS = ZoneInfo("Europe/Paris")


def test_a_later_row_completes_a_new_account(workspace, db_path, tmp_path):
    path = tmp_path / "offres.csv"
    path.write_text(
        "Client;Ville;Montant HT;Statut;Date d'envoi;Date de décision\n"
        "Garage Moreau;;1 200,00 €;En cours;02/03/2026;\n"
        "Garage Moreau;Lyon;800,00 €;Gagné;16/03/2026;20/03/2026\n",
        encoding="utf-8",
    )
    service = ImportService(workspace.db, PARIS)
    source = service.open(path)
    service.run(source, preview=service.preview(source))
    conn = sqlite3.connect(db_path)
    try:
        account_id, city, status = conn.execute("SELECT id, city, status FROM account").fetchone()
        fields, stamp = conn.execute(
            "SELECT fields, hlc FROM outbox WHERE table_name = 'account' AND row_id = ?",
            (account_id,),
        ).fetchone()
    finally:
        conn.close()
    assert (city, status) == ("Lyon", "client")
    sent = wire_fields(json.loads(fields), stamp)  # as pushed, whichever form the row holds
    assert (sent["city"]["v"], sent["status"]["v"]) == ("Lyon", "client")
