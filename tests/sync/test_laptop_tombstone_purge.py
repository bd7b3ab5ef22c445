"""Laptops purge their own tombstones once the server has purged them (SYNC.md, "Deletions"),
and keep a deleted row whose change the server has not received yet."""

from __future__ import annotations

from kpidesk.store import meta, replica
from kpidesk.sync.client import SyncClient
from tests.server.test_purge import backdate, laptops, purge, settle  # noqa: F401 - fixture
from tests.sync.helpers import table_rows


def _ids(machine, table="account"):
    return {r[0]: r[1] for r in table_rows(machine.db, table, "id, cl")}


def test_tombstones_the_server_purged_are_purged_on_the_laptops(laptops, db):  # noqa: F811
    office, field = laptops
    old = office.workspace.accounts.create({"name": "Ancien client"}).id
    recent = office.workspace.accounts.create({"name": "Parti hier"}).id
    kept = office.workspace.accounts.create({"name": "Garage Moreau"}).id
    settle(office, field)
    office.workspace.accounts.delete(old)
    office.workspace.accounts.delete(recent)
    settle(office, field)
    assert _ids(office) == _ids(field) == {old: 2, recent: 2, kept: 1}  # tombstones, both
    backdate(db, "account", old, days=91)  # only this one is old enough for the server
    assert purge(db).purged == {"account": 1, "contact": 0, "activity": 0, "offer": 0,
                                "objective": 0}  # fmt: skip
    settle(office, field)
    # The field laptop heard of both deletions with their versions: the purged one goes, the
    # younger one (above the purge mark; the server still holds it) stays. The office laptop
    # made them: the server does not send its own writes back, so it knows only an upper bound
    # of their versions (its cursor after the next full sync), above the mark: it keeps both.
    assert _ids(field) == {recent: 2, kept: 1}
    assert _ids(office) == {old: 2, recent: 2, kept: 1}
    backdate(db, "account", recent, days=91)
    assert purge(db).total_purged == 1
    settle(office, field)  # the mark passed both: gone from both laptops
    assert _ids(office) == _ids(field) == {kept: 1}
    assert office.session.status().pending == field.session.status().pending == 0


def test_an_unsent_deletion_is_kept(laptops, db):  # noqa: F811
    office, field = laptops
    first = office.workspace.accounts.create({"name": "Ancien client"}).id
    second = office.workspace.accounts.create({"name": "Fournil Masson"}).id
    other = office.workspace.accounts.create({"name": "Garage Moreau"}).id
    settle(office, field)
    field.workspace.accounts.delete(first)
    settle(office, field)
    backdate(db, "account", first, days=91)
    assert purge(db).total_purged == 1
    # The field laptop deletes "Fournil Masson" (known to the server below the purge mark)
    # after editing another account; a step sends one mutation only, so the deletion is
    # still unsent when the reply with the purge mark comes in.
    field.workspace.accounts.update(other, {"city": "Annecy"})
    field.workspace.accounts.delete(second)
    _, connection = field.session.client()
    step = SyncClient(field.db, connection, mutations_per_step=1).step()
    assert step.sent == 1 and field.session.status().pending == 1
    with field.db.read() as conn:
        mark = int(meta.get(conn, replica.PURGED_BEFORE))
        (version,) = conn.exec_driver_sql(
            "SELECT server_version FROM account WHERE id = ?", (second,)
        ).one()
    assert 0 < version <= mark  # it would have gone, had it been sent
    assert _ids(field) == {second: 2, other: 1}  # the purged one went; the unsent one stays
    settle(office, field)
    assert _ids(office) == _ids(field) == {second: 2, other: 1}
