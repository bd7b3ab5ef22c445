"""Two laptops and the team server: offline edits, one sync each, the same data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.sync.errors import ProblemKind, SyncProblemError
from tests.server.conftest import PASSWORD, second_device  # noqa: F401
from tests.sync.helpers import SERVER_URL, laptop, table_rows

NOW = datetime.now(UTC)
BUSINESS = "id, owner_id, cl, name, temperature, city"


@pytest.fixture
def two_laptops(app, people, tmp_path):
    first = laptop(app, tmp_path / "first.sqlite")
    second = laptop(app, tmp_path / "second.sqlite")
    yield first, second
    first.close()
    second.close()


def test_records_made_offline_on_two_laptops_meet_on_both(two_laptops, people):
    first, second = two_laptops
    garage = first.workspace.accounts.create({"name": "Garage Moreau", "city": "Annecy"}).id
    first.workspace.offers.create({"account_id": garage, "amount_cents": 480_000,
                                   "status": OfferStatus.SENT, "sent_at": NOW})  # fmt: skip
    hotel = second.workspace.accounts.create({"name": "Hôtel du Lac"}).id
    second.workspace.activities.create({"account_id": hotel, "kind": "visit",
                                        "done_at": NOW - timedelta(hours=2),
                                        "private_note": "never leaves"})  # fmt: skip
    for machine in (first, second):
        result = machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
        assert result.username == "rep"
        assert result.moved_records > 0  # the local profile's records became the rep's
    first.sync()
    second.sync()
    first.sync()
    for table, columns in (("account", BUSINESS), ("offer", "id, owner_id, cl, amount_cents"),
                           ("activity", "id, owner_id, cl, kind, done_at")):  # fmt: skip
        assert table_rows(first.db, table, columns) == table_rows(second.db, table, columns)
    assert {r[1] for r in table_rows(first.db, "account", BUSINESS)} == {people.rep.id}
    assert table_rows(second.db, "activity", "private_note") == [("never leaves",)]
    assert table_rows(first.db, "activity", "private_note") == [(None,)]
    assert first.session.status().pending == 0


def test_an_empty_sync_is_one_request(two_laptops):
    first, _ = two_laptops
    first.session.sign_in(SERVER_URL, "rep", PASSWORD)
    first.sync()
    client, connection = first.session.client()
    report = client.sync()
    assert (report.sent, report.received, report.steps) == (0, 0, 1)
    assert connection.requests == 1


def test_the_later_write_wins_and_the_loser_hears_about_it(two_laptops, people):
    first, second = two_laptops
    for machine in (first, second):
        machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
    account = first.workspace.accounts.create({"name": "Serrurerie Dumas", "city": "Lyon"}).id
    first.sync()
    second.sync()
    second.workspace.accounts.update(account, {"city": "Vienne"})  # earlier edit
    first.workspace.accounts.update(account, {"city": "Grenoble"})  # later edit
    first.sync()
    report = second.sync()  # second's older value loses: a conflict for second
    first.sync()
    assert table_rows(first.db, "account", "city") == table_rows(second.db, "account", "city")
    assert table_rows(second.db, "account", "city") == [("Grenoble",)]
    (conflict,) = report.conflicts
    assert (conflict.field, conflict.yours, conflict.theirs, conflict.kept) == (
        "city",
        "Vienne",
        "Grenoble",
        "theirs",
    )
    assert conflict.their_author == "rep"
    assert second.workspace.conflicts.open_count() == 1
    # The server repeats it until second's cursor passes it; second tells the rep once.
    assert second.sync().conflicts == []
    assert second.workspace.conflicts.open_count() == 1


def test_a_conflict_overtaken_by_a_later_value_is_no_longer_offered(two_laptops):
    first, second = two_laptops
    for machine in (first, second):
        machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
    account = first.workspace.accounts.create({"name": "Serrurerie Dumas", "city": "Lyon"}).id
    first.sync()
    second.sync()
    second.workspace.accounts.update(account, {"city": "Vienne"})
    first.workspace.accounts.update(account, {"city": "Grenoble"})
    first.sync()
    second.sync()
    assert second.workspace.conflicts.open_count() == 1  # Vienne or Grenoble: the rep chooses
    first.workspace.accounts.update(account, {"city": "Chambéry"})  # a third value, later
    first.sync()
    second.sync()
    # Keeping "Vienne" or "Grenoble" now would overwrite Chambéry: the conflict is settled.
    assert second.workspace.conflicts.open_count() == 0
    assert second.workspace.conflicts.list_open() == []
    assert table_rows(second.db, "account", "city") == [("Chambéry",)]


def test_a_rep_cannot_write_another_reps_record_even_by_forging_its_id(two_laptops, people):
    first, second = two_laptops
    first.session.sign_in(SERVER_URL, "rep", PASSWORD)
    account = first.workspace.accounts.create({"name": "Mine"}).id
    first.sync()
    second.session.sign_in(SERVER_URL, "other-rep", PASSWORD)
    # A forged local row with the same id, then an edit of it: the server must refuse.
    with second.db.write() as conn:
        conn.exec_driver_sql(
            "INSERT INTO account (id, owner_id, clocks, cl, server_version, name, status,"
            " created_status, temperature, source, created_at) VALUES (?, ?, '{}', 1, 0,"
            " 'Forged', 'client', 'client', 'hot', 'other', '2026-01-01 00:00:00.000000')",
            (account, people.other_rep.id),
        )
    second.workspace.accounts.update(account, {"name": "Taken over"})
    report = second.sync()
    assert len(report.rejected) == 1
    assert "someone else" in report.rejected[0].reason
    first.sync()
    assert table_rows(first.db, "account", "name") == [("Mine",)]


def test_a_nul_character_is_refused_for_its_change_only(two_laptops):
    # PostgreSQL cannot store a NUL: a laptop that sends one (an old or hostile client: this
    # one strips them) gets that change refused by name, and the rest of its sync applied.
    first, second = two_laptops
    first.session.sign_in(SERVER_URL, "rep", PASSWORD)
    second.session.sign_in(SERVER_URL, "rep", PASSWORD)
    bad = first.workspace.accounts.create({"name": "Atelier Nul", "city": "Annecy"}).id
    good = first.workspace.accounts.create({"name": "Boulangerie Fine"}).id
    with first.db.write() as conn:
        conn.exec_driver_sql(
            "UPDATE outbox SET fields = replace(fields, 'Atelier', 'Ate\\u0000lier')"
            " WHERE row_id = ?", (bad,)
        )  # fmt: skip
    report = first.sync()
    assert len(report.rejected) == 1
    assert "name" in report.rejected[0].reason and "NUL" in report.rejected[0].reason
    second.sync()
    assert table_rows(second.db, "account", "id, name") == [(good, "Boulangerie Fine")]


def test_a_nul_character_typed_or_pasted_is_left_out_and_the_text_syncs(two_laptops):
    first, second = two_laptops
    first.session.sign_in(SERVER_URL, "rep", PASSWORD)
    second.session.sign_in(SERVER_URL, "rep", PASSWORD)
    account = first.workspace.accounts.create({"name": "Cabinet\x00 Roux"}).id
    assert first.sync().rejected == []
    second.sync()
    assert table_rows(second.db, "account", "id, name") == [(account, "Cabinet Roux")]


def test_signing_in_as_someone_else_with_unsent_changes_is_refused(two_laptops):
    first, _ = two_laptops
    first.session.sign_in(SERVER_URL, "rep", PASSWORD)
    first.workspace.accounts.create({"name": "Not sent yet"})
    with pytest.raises(SyncProblemError) as refused:
        first.session.sign_in(SERVER_URL, "other-rep", PASSWORD)
    assert refused.value.kind is ProblemKind.REFUSED
    assert "rep" in refused.value.message
    assert first.session.status().username == "rep"
    assert table_rows(first.db, "account", "name") == [("Not sent yet",)]


def test_switching_user_on_a_laptop_with_everything_sent_starts_clean(two_laptops, people):
    first, _ = two_laptops
    first.session.sign_in(SERVER_URL, "rep", PASSWORD)
    first.workspace.accounts.create({"name": "The rep's client"})
    first.sync()
    first.session.sign_out()
    first.session.sign_in(SERVER_URL, "other-rep", PASSWORD)
    assert table_rows(first.db, "account", "name") == []  # the rep's data left with the rep
    first.workspace.accounts.create({"name": "The other rep's client"})
    first.sync()
    assert table_rows(first.db, "account", "name, owner_id") == [
        ("The other rep's client", people.other_rep.id)
    ]


def test_an_imported_file_syncs_to_the_other_laptop_field_for_field(two_laptops, tmp_path):
    # An import writes its mutations in the compact outbox form (one stamp for the batch);
    # what the server receives and the other laptop holds is the same as for single edits.
    first, second = two_laptops
    path = tmp_path / "offres.csv"
    lines = "".join(f"D-{i};Client {i % 7};{100 + i},00 €;En cours;{1 + i % 28:02d}/03/2026\n"
                    for i in range(60))  # fmt: skip
    path.write_text("N° devis;Client;Montant HT;Statut;Date d'envoi\n" + lines, "utf-8")
    importer = first.workspace.importer
    source = importer.open(path)
    importer.run(source, preview=importer.preview(source))
    assert first.session.status().pending == 67
    for machine in (first, second):
        machine.session.sign_in(SERVER_URL, "rep", PASSWORD)
    first.sync()
    second.sync()
    assert first.session.status().pending == 0
    offer = "id, owner_id, cl, reference, amount_cents, status, sent_at, clocks"
    assert len(table_rows(second.db, "offer", offer)) == 60
    assert table_rows(first.db, "offer", offer) == table_rows(second.db, "offer", offer)
    assert table_rows(first.db, "account", BUSINESS) == table_rows(second.db, "account", BUSINESS)
