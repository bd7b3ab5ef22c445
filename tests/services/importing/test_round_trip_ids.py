"""An exported list names each record by its id (and an offer's or activity's account by the
account's id): imported into a fresh database it gives back the same records, the same ids,
even two accounts of the same name and two calls to one account on one day; imported again
into the database it came from, it changes nothing. An id this laptop holds for a colleague's
record, or for a deleted one, is refused on its row and nothing is written."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.ids import uuid7
from kpidesk.domain.vocabulary import (
    AccountSource,
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)
from kpidesk.presentation import translation
from kpidesk.services.exporting import sheets
from kpidesk.services.exporting.writers import write_csv, write_xlsx
from kpidesk.services.importing.errors import RowsRefusedError
from kpidesk.services.importing.service import ImportService
from kpidesk.services.workspace import open_workspace
from tests.services.importing.helpers import dump_hash

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2026, 1, 5, 8, 15, 42, tzinfo=UTC)
# The fields each list exports (as stored), the way the test reads them back from SQLite.
FIELDS = {
    "account": ("id", "name", "status", "temperature", "source", "sector", "city", "address",
                "phone", "email", "notes"),
    "offer": ("id", "account_id", "reference", "title", "amount_cents", "margin_cents",
              "currency", "status", "sent_at", "decided_at", "lost_reason", "probability"),
    "activity": ("id", "account_id", "offer_id", "kind", "purpose", "done_at", "due_at",
                 "outcome", "notes"),
}  # fmt: skip
LISTS = {"accounts": "account", "pipeline": "offer", "journal": "activity"}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """The book below, written once for the module (each test works on a copy)."""
    path = tmp_path_factory.mktemp("book") / "kpidesk.sqlite"
    workspace = open_workspace(path)
    try:
        _fill(workspace)
    finally:
        workspace.close()
    return path


@pytest.fixture
def book(template, db_path):
    shutil.copyfile(template, db_path)
    workspace = open_workspace(db_path)
    yield workspace
    workspace.close()


def _fill(workspace) -> None:
    """Sixty accounts under twenty names (three "Boulangerie Martin" in three towns), two
    offers each with the same sent day and amount on one account of a name, and two calls to
    one account on one day (the first about its offer): what a natural key would merge or refuse
    as repeats."""
    statuses = list(AccountStatus)
    accounts = []
    for i in range(60):
        accounts.append(workspace.accounts.create({
            "name": f"Boulangerie Martin {i % 20}", "city": f"Ville {i}",
            "status": statuses[i % len(statuses)], "temperature": list(Temperature)[i % 3],
            "source": list(AccountSource)[i % len(AccountSource)], "sector": "Boulangerie",
            "phone": f"04 72 00 {i:02d} 00", "notes": f"note {i}\nseconde ligne" if i % 2 else None,
        }).id)  # fmt: skip
    for i, account in enumerate(accounts):
        for copy in range(2):
            sent = START + timedelta(days=i)
            status = [OfferStatus.WON, OfferStatus.LOST, OfferStatus.SENT][(i + copy) % 3]
            offer = workspace.offers.create({
                "account_id": account, "reference": "", "title": f"Fours {i}",
                "amount_cents": 1_000_000 + 50 * i, "status": status, "sent_at": sent,
                "margin_cents": 250_000 if i % 4 else None,
                "probability": 0.25 if status is OfferStatus.SENT else None,
                "decided_at": sent + timedelta(days=9) if status is not OfferStatus.SENT else None,
                "lost_reason": "prix" if status is OfferStatus.LOST else None,
            })  # fmt: skip
            workspace.activities.create({
                "account_id": account, "kind": ActivityKind.CALL,
                "offer_id": offer.id if copy == 0 else None,
                "purpose": ActivityPurpose.FOLLOW_UP, "done_at": sent + timedelta(hours=copy),
                "outcome": f"appel {copy}", "notes": "rappeler" if copy else None,
            })  # fmt: skip


def _stored(path: Path, table: str) -> dict[str, tuple]:
    """The exported fields of every live record, read straight from the file; instants to the
    second (a spreadsheet keeps no microseconds)."""
    conn = sqlite3.connect(path)
    try:
        names = FIELDS[table]
        rows = conn.execute(f"SELECT {', '.join(names)} FROM {table} WHERE cl % 2 = 1").fetchall()
    finally:
        conn.close()
    instants = {i for i, n in enumerate(names) if n.endswith("_at")}
    return {row[0]: tuple(_second(v) if i in instants else v for i, v in enumerate(row))
            for row in rows}  # fmt: skip


def _second(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(microsecond=0)


def _export(book, what: str, folder: Path, suffix: str) -> Path:
    sheet = getattr(sheets, f"{what}_sheet")(book)
    path = folder / sheets.file_name(what, datetime(2026, 3, 20).date(), suffix)
    (write_xlsx if suffix == ".xlsx" else write_csv)(sheet, path, PARIS)
    return path


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("what", list(LISTS))
def test_an_export_imported_into_a_fresh_database_holds_the_same_records(
    book, db_path, tmp_path, what, suffix
):
    table = LISTS[what]
    path = _export(book, what, tmp_path, suffix)
    fresh_path = tmp_path / "fresh.sqlite"
    fresh = open_workspace(fresh_path)
    try:
        service = ImportService(fresh.db, PARIS)
        if what == "journal":  # its calls name their offers: the pipeline goes in first
            pipeline = service.open(_export(book, "pipeline", tmp_path, suffix))
            service.run(pipeline, preview=service.preview(pipeline))
        source = service.open(path)
        plan = service.preview(source)
        assert plan.refusals == [], [str(r) for r in plan.refusals]
        expected = _stored(db_path, table)
        assert plan.counts(table).new == len(expected) == {"account": 60}.get(table, 120)
        service.run(source, preview=plan)
    finally:
        fresh.close()
    assert _stored(fresh_path, table) == expected
    if table != "account":  # each offer or call is on its own account, by id, named as before
        names = {i: row[1] for i, row in _stored(db_path, "account").items()}
        fresh_names = {i: row[1] for i, row in _stored(fresh_path, "account").items()}
        assert fresh_names == names


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("what", list(LISTS))
def test_an_export_imported_again_into_its_database_changes_nothing(
    book, db_path, tmp_path, what, suffix
):
    path = _export(book, what, tmp_path, suffix)
    before = dump_hash(db_path)
    service = ImportService(book.db, PARIS)
    source = service.open(path)
    plan = service.preview(source)
    assert plan.refusals == []
    for table in ("account", "offer", "activity"):
        assert (plan.counts(table).new, plan.counts(table).changed) == (0, 0), table
    assert plan.counts(LISTS[what]).unchanged == {"accounts": 60}.get(what, 120)
    written, _plan = service.run(source, preview=plan)
    assert not written
    assert dump_hash(db_path) == before


def test_a_french_export_maps_every_column_back(book, tmp_path):
    """Exported in French, each column's label is a name the import knows for its field."""
    with translation.using("fr"):
        for what, table in LISTS.items():
            path = _export(book, what, tmp_path, ".xlsx")
            source = ImportService(book.db, PARIS).open(path)
            mapped = len(source.mapping.columns)
            assert mapped == len(source.mapping.headers), (what, source.mapping.headers)
            assert ImportService(book.db, PARIS).preview(source).counts(table).changed == 0


def _file(path: Path, header: str, *lines: str) -> Path:
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_an_id_of_a_colleagues_record_is_refused_on_its_row(workspace, db_path, tmp_path):
    theirs = workspace.accounts.create({"name": "Garage partagé"}).id
    gone = workspace.accounts.create({"name": "Ancien client"}).id
    workspace.accounts.delete(gone)
    with workspace.db.write() as conn:  # as a sync brings a colleague's record
        conn.exec_driver_sql("UPDATE account SET owner_id = 'colleague' WHERE id = ?", (theirs,))
    fresh = str(uuid7())
    path = _file(tmp_path / "comptes.csv", "Identifiant kpidesk;Compte;Ville",
                 f"{fresh};Nouveau;Lyon", f"{theirs};Garage partagé;Paris",
                 f"{gone};Ancien client;Metz", "pas-un-id;Autre;Nancy")  # fmt: skip
    before = dump_hash(db_path)
    service = ImportService(workspace.db, PARIS)
    source = service.open(path)
    plan = service.preview(source)
    refused = {r.row: (r.column, r.message.english()) for r in plan.refusals}
    assert sorted(refused) == [3, 4, 5]
    assert {column for column, _m in refused.values()} == {"Identifiant kpidesk"}
    assert "colleague's record" in refused[3][1]
    assert "deleted" in refused[4][1]
    assert "not a kpidesk id" in refused[5][1]
    with pytest.raises(RowsRefusedError):
        service.run(source)
    assert dump_hash(db_path) == before


def test_an_offer_naming_a_colleagues_account_by_id_is_refused(workspace, db_path, tmp_path):
    theirs = workspace.accounts.create({"name": "Garage partagé"}).id
    with workspace.db.write() as conn:
        conn.exec_driver_sql("UPDATE account SET owner_id = 'colleague' WHERE id = ?", (theirs,))
    path = _file(tmp_path / "offres.csv", "Account's kpidesk id;Account;Amount;Sent on",
                 f"{theirs};Garage partagé;1200;2026-03-02")  # fmt: skip
    before = dump_hash(db_path)
    service = ImportService(workspace.db, PARIS)
    plan = service.preview(service.open(path))
    assert [(r.row, r.column) for r in plan.refusals] == [(2, "Account's kpidesk id")]
    assert plan.counts("offer").new == 0
    assert dump_hash(db_path) == before


def test_a_journal_row_names_its_offer_by_id_and_a_wrong_one_is_refused(
    workspace, db_path, tmp_path
):
    garage = workspace.accounts.create({"name": "Garage Moreau"}).id
    bakery = workspace.accounts.create({"name": "Boulangerie Héloïse"}).id
    garage_offer = workspace.offers.create(
        {
            "account_id": garage,
            "amount_cents": 120_000,
            "status": OfferStatus.SENT,
            "sent_at": START,
        }
    ).id
    bakery_offer = workspace.offers.create(
        {"account_id": bakery, "amount_cents": 80_000, "status": OfferStatus.SENT, "sent_at": START}
    ).id
    header = "Account's kpidesk id;Account;Offer's kpidesk id;Activity kind;Done on"
    refused_file = _file(tmp_path / "journal.csv", header,
                         f"{garage};Garage Moreau;{garage_offer};Call;2026-03-02",
                         f"{garage};Garage Moreau;{bakery_offer};Call;2026-03-03",
                         f"{garage};Garage Moreau;{uuid7()};Call;2026-03-04",
                         f"{garage};Garage Moreau;D-12;Call;2026-03-05")  # fmt: skip
    before = dump_hash(db_path)
    service = ImportService(workspace.db, PARIS)
    plan = service.preview(service.open(refused_file))
    refused = {r.row: (r.column, r.message.english()) for r in plan.refusals}
    assert sorted(refused) == [3, 4, 5]
    assert {column for column, _m in refused.values()} == {"Offer's kpidesk id"}
    assert "another account" in refused[3][1]
    assert "No offer of yours has this id" in refused[4][1]
    assert "not a kpidesk id of an offer" in refused[5][1]
    with pytest.raises(RowsRefusedError):
        service.run(service.open(refused_file))
    assert dump_hash(db_path) == before
    good = _file(tmp_path / "journal-ok.csv", header,
                 f"{garage};Garage Moreau;{garage_offer};Call;2026-03-02",
                 f"{bakery};Boulangerie Héloïse;;Visit;2026-03-03")  # fmt: skip
    source = service.open(good)
    service.run(source, preview=service.preview(source))
    conn = sqlite3.connect(db_path)
    try:
        linked = dict(conn.execute("SELECT account_id, offer_id FROM activity").fetchall())
    finally:
        conn.close()
    assert linked == {garage: garage_offer, bakery: None}
