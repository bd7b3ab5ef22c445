"""A laptop that meets one row from the server that does not hold up keeps syncing the rest and
reports that one row, by name (issue 16, attack 2: one bad row once stopped every sync)."""

from __future__ import annotations

import sqlalchemy as sa

from kpidesk.presentation.sync import left_out
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows


def test_one_bad_row_is_reported_and_the_rest_arrives(app, db, people, tmp_path):
    first = laptop(app, tmp_path / "first.sqlite")
    second = laptop(app, tmp_path / "second.sqlite")
    try:
        first.session.sign_in(SERVER_URL, "rep", PASSWORD)
        names = ["Garage Moreau", "Hôtel du Lac", "Fournil Masson"]
        ids = [first.workspace.accounts.create({"name": n}).id for n in names]
        first.sync()
        # A value no laptop accepts, as a bug or a hand edit on the server could leave it.
        with db.session(write=True) as session:
            session.execute(
                sa.text("UPDATE account SET temperature = 'volcanic' WHERE id = :id"),
                {"id": ids[1]},
            )
        second.session.sign_in(SERVER_URL, "rep", PASSWORD)
        report = second.sync()
        (bad,) = report.bad_rows  # that one row, by record and field
        assert bad.startswith(f"account {ids[1]}, field temperature: ")
        told = left_out(1, bad)  # what the app and `kpidesk sync` say
        assert "was left out and the rest was synced" in told and ids[1] in told
        assert sorted(table_rows(second.db, "account", "name")) == [
            ("Fournil Masson",), ("Garage Moreau",)]  # fmt: skip
        assert second.session.status().cursor == 3  # past all three versions: not stuck
        # And syncing goes on: a later change of the first laptop arrives.
        first.workspace.accounts.update(ids[0], {"city": "Annecy"})
        first.sync()
        later = second.sync()
        assert later.bad_rows == []
        assert ("Annecy",) in table_rows(second.db, "account", "coalesce(city, '')")
    finally:
        first.close()
        second.close()
