"""Both writers hear of a conflict (SYNC.md, "Conflicts"): the laptop whose write arrived second
is told in its reply, and the laptop whose value lost to it is told at its next sync."""

from __future__ import annotations

import pytest

from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows


@pytest.fixture
def two_laptops(app, people, tmp_path):
    first = laptop(app, tmp_path / "first.sqlite")
    second = laptop(app, tmp_path / "second.sqlite")
    for machine in (first, second):
        machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
    yield first, second
    first.close()
    second.close()


def test_the_laptop_whose_value_lost_is_told_at_its_next_sync(two_laptops):
    first, second = two_laptops
    account = first.workspace.accounts.create({"name": "Serrurerie Dumas", "city": "Lyon"}).id
    first.sync()
    second.sync()
    first.workspace.accounts.update(account, {"city": "Vienne"})  # earlier edit, sent first
    second.workspace.accounts.update(account, {"city": "Grenoble"})  # later edit, sent second
    assert first.sync().conflicts == []  # nothing to disagree with yet
    (arrived_second,) = second.sync().conflicts  # second's later value wins
    assert (arrived_second.yours, arrived_second.theirs, arrived_second.kept) == (
        "Grenoble", "Vienne", "yours")  # fmt: skip
    report = first.sync()  # first's "Vienne" lost: first is told too
    (lost,) = report.conflicts
    assert (lost.table, lost.id, lost.field) == ("account", account, "city")
    assert (lost.yours, lost.theirs, lost.kept, lost.their_author) == (
        "Vienne", "Grenoble", "theirs", "rep")  # fmt: skip
    assert table_rows(first.db, "account", "city") == [("Grenoble",)]
    assert first.workspace.conflicts.open_count() == 1
    # Told once: the server repeats it only until first's cursor passes it.
    assert first.sync().conflicts == []
    assert second.sync().conflicts == []
    assert first.workspace.conflicts.open_count() == second.workspace.conflicts.open_count() == 1


def test_the_winner_of_a_conflict_it_arrived_first_for_is_not_told(two_laptops):
    first, second = two_laptops
    account = first.workspace.accounts.create({"name": "Serrurerie Dumas", "city": "Lyon"}).id
    first.sync()
    second.sync()
    second.workspace.accounts.update(account, {"city": "Vienne"})  # earlier edit, sent second
    first.workspace.accounts.update(account, {"city": "Grenoble"})  # later edit, sent first
    first.sync()
    (conflict,) = second.sync().conflicts  # second's value lost: second is told
    assert conflict.kept == "theirs"
    assert first.sync().conflicts == []  # first's value was kept: nothing to tell it
    assert first.workspace.conflicts.open_count() == 0
