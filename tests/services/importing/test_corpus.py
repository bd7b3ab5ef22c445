"""Every file of the corpus (corpus.py) gets a clear message naming the file, the row and the
column, or imports with the counts a person expects; after every refusal the database is
exactly as it was (the hash of its SQL dump is unchanged)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from kpidesk.presentation.importing import refusal_text
from kpidesk.services.importing.errors import ImportFileError, RowsRefusedError
from kpidesk.services.importing.service import ImportService
from tests.services.importing.corpus import CASES, Case
from tests.services.importing.helpers import dump_hash

PARIS = ZoneInfo("Europe/Paris")


def _import(workspace, path, case: Case):
    service = ImportService(workspace.db, PARIS)
    source = service.open(path, **case.options)
    plan = service.preview(source)
    if plan.refusals:
        # The write refuses too, by itself: the preview is not what guards the database.
        with pytest.raises(RowsRefusedError) as raised:
            service.run(source)
        assert raised.value.refusals == plan.refusals
        return plan, None
    _written, done = service.run(source)
    return plan, done


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_file_is_refused_clearly_or_imported(case, workspace, db_path, tmp_path):
    workspace.accounts.create({"name": "Déjà là"})  # a database that holds something
    before = dump_hash(db_path)
    path = tmp_path / case.name
    case.write(path)
    try:
        plan, done = _import(workspace, path, case)
        error = None
    except ImportFileError as raised:
        error = raised
    if error is not None:
        assert case.refused, f"{case.name} refused: {error}"
        text = refusal_text(error.path.name, None, error.column, error.message)
        assert text.startswith(case.name + ", column" if case.column else case.name + ":")
        for words in case.refused:
            assert words in text
        if case.column:
            assert f"column {case.column!r}" in text
        assert dump_hash(db_path) == before
        return
    if case.refused:
        assert plan.refusals, f"{case.name} should be refused"
        first = plan.refusals[0]
        text = refusal_text(case.name, first.row, first.column, first.message)
        for words in case.refused:
            assert words in text, text
        if case.row is not None:
            assert first.row == case.row
        if case.column is not None:
            assert f"column {case.column!r}" in text
        assert dump_hash(db_path) == before
        return
    assert not plan.refusals, [str(r) for r in plan.refusals]
    for table, (new, changed, unchanged) in case.counts.items():
        counts = done.counts(table)
        assert (counts.new, counts.changed, counts.unchanged) == (new, changed, unchanged), table


def test_a_nul_is_dropped_and_injection_text_is_kept_as_text(workspace, tmp_path):
    by_name = {case.name: case for case in CASES}
    for name in ("nul_in_cell.csv", "csv_injection.csv", "utf16.csv", "cp1252.csv"):
        by_name[name].write(tmp_path / name)
        _import(workspace, tmp_path / name, by_name[name])
    names = {row.name for row in workspace.accounts.list()}
    assert {"Dupont", '=HYPERLINK("http://x")', "@SUM(A1)", "Tab", "Société Générale"} <= names
    cities = {row.city for row in workspace.accounts.list()}
    assert {"Sète", "+33 1", "-2+3", "CR"} <= cities  # trimmed of the tab and CR around them
