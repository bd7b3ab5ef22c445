"""The write reuses the preview's plan only while the rep's records are those it was built from."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

from kpidesk.domain.timeutil import utc_now
from kpidesk.services.importing.service import ImportService

PARIS = ZoneInfo("Europe/Paris")


def _file(tmp_path):
    path = tmp_path / "comptes.csv"
    path.write_text("Client;Ville\nSARL Dupont;Lyon\nCafé des Arts;Annecy\n", encoding="utf-8")
    return path


def test_an_unchanged_database_gets_the_previewed_plan_written_as_it_is(workspace, tmp_path):
    service = ImportService(workspace.db, PARIS)
    source = service.open(_file(tmp_path))
    preview = service.preview(source)
    previewed_ids = sorted(row["id"] for row in preview.creates["account"])
    _written, plan = service.run(source, preview=preview)
    assert plan is preview
    assert sorted(row.id for row in workspace.accounts.list()) == previewed_ids


def test_a_record_written_after_the_preview_makes_the_write_plan_again(workspace, tmp_path):
    service = ImportService(workspace.db, PARIS)
    source = service.open(_file(tmp_path))
    preview = service.preview(source)
    assert preview.counts("account").new == 2
    dupont = workspace.accounts.create({"name": "SARL Dupont"}).id  # e.g. a sync meanwhile
    _written, plan = service.run(source, preview=preview)
    assert plan is not preview
    assert (plan.counts("account").new, plan.counts("account").changed) == (1, 1)
    names = sorted(row.name for row in workspace.accounts.list())
    assert names == ["Café des Arts", "SARL Dupont"]  # no duplicate
    assert workspace.accounts.get(dupont)["city"] == "Lyon"


def test_a_preview_of_another_source_is_not_reused(workspace, tmp_path):
    service = ImportService(workspace.db, PARIS)
    path = _file(tmp_path)
    preview = service.preview(service.open(path))
    _written, plan = service.run(service.open(path), preview=preview)
    assert plan is not preview
    assert len(workspace.accounts.list()) == 2


def test_a_reused_preview_creates_its_undated_records_at_the_write_not_at_the_preview(
    workspace, tmp_path
):
    """The accounts of a file without dates are created "now": when the rep imports, not when
    they previewed (a wizard left open over lunch would date them from before lunch)."""
    offers = tmp_path / "offres.csv"
    offers.write_text("Client;Montant;Date d'envoi\nSARL Dupont;1200;25/03/2026\n",
                      encoding="utf-8")  # fmt: skip
    service = ImportService(workspace.db, PARIS)
    source = service.open(offers)
    preview = service.preview(source)
    time.sleep(0.01)
    previewed_by = utc_now()
    _written, plan = service.run(source, preview=preview)
    assert plan is preview
    (account,) = workspace.accounts.list()
    assert workspace.accounts.get(account.id)["created_at"] >= previewed_by
    (offer,) = workspace.offers.list()
    # The offer has its date from the file: created when it was sent, in March.
    stored = workspace.offers.get(offer.id)
    assert stored["created_at"] == stored["sent_at"] < previewed_by
