"""Restoring a backup on a laptop that went on syncing after it: nothing lost, nothing twice.

The backup's outbox reuses mutation ids the server acknowledged after the backup was taken,
and its cursor is behind; restored as a new device, the laptop sends again what the backup
had not had acknowledged and pulls everything else.
"""

from __future__ import annotations

import pytest

from kpidesk.store.backups import back_up_now
from kpidesk.store.restore import restore_backup
from kpidesk.sync.errors import ProblemKind, SyncProblemError
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows

COLUMNS = "id, owner_id, cl, name, city"


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sync_backup_write_sync_restore_write_sync_converges(app, people, tmp_path):
    path = tmp_path / "laptop.sqlite"
    rep = laptop(app, path)
    rep.session.sign_in(SERVER_URL, "rep", PASSWORD)
    first = rep.workspace.accounts.create({"name": "Garage Moreau", "city": "Annecy"}).id
    rep.workspace.accounts.create({"name": "Hôtel du Lac"})
    rep.sync()
    unsent = rep.workspace.accounts.create({"name": "Made before the backup, sent after"}).id
    backup = back_up_now(path)  # holds `unsent` in its outbox

    rep.workspace.accounts.create({"name": "Only after the backup"})
    rep.workspace.accounts.update(first, {"city": "Chambéry"})  # newer than the backup's
    rep.sync()
    rep.close()

    restored = restore_backup(path, backup)
    assert restored.waiting == 1
    rep = laptop(app, path)
    with pytest.raises(SyncProblemError) as caught:
        rep.sync()  # a new device: its token is the old device's, so sign in again
    assert caught.value.kind is ProblemKind.NOT_CONNECTED
    rep.session.sign_in(SERVER_URL, "rep", PASSWORD)
    rep.workspace.accounts.create({"name": "After the restore"})
    rep.sync()
    rep.sync()

    fresh = laptop(app, tmp_path / "fresh.sqlite")  # what the server holds, pulled anew
    fresh.session.sign_in(SERVER_URL, "rep", PASSWORD)
    fresh.sync()
    mine, servers = table_rows(rep.db, "account", COLUMNS), table_rows(fresh.db, "account", COLUMNS)
    assert mine == servers
    assert sorted(row[3] for row in mine) == [
        "After the restore", "Garage Moreau", "Hôtel du Lac",
        "Made before the backup, sent after", "Only after the backup",
    ]  # fmt: skip
    assert {row[4] for row in mine if row[0] == first} == {"Chambéry"}  # the newer value kept
    assert unsent in {row[0] for row in mine}
    assert rep.session.status().pending == 0
    assert table_rows(rep.db, "sync_conflict", "field") == []  # our own value again: no conflict
    rep.close()
    fresh.close()
