"""A damaged database is named and refused whole: never read as if it were fine, never written."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from kpidesk.store.database import open_database
from kpidesk.store.errors import DamagedDatabaseError
from tests.damage import DAMAGES
from tests.test_cli import assert_one_line_error, run_cli


@pytest.fixture(scope="module")
def good_book(tmp_path_factory):
    from kpidesk.services.demo import create_demo_database

    path = tmp_path_factory.mktemp("book") / "book.sqlite"
    create_demo_database(path, 1, 3, date(2026, 3, 31))
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request, good_book, tmp_path):
    path = tmp_path / "kpidesk.sqlite"
    shutil.copy(good_book, path)
    DAMAGES[request.param](path)
    return path


def test_a_whole_book_opens(good_book):
    open_database(good_book).close()


@pytest.mark.proof("files")
def test_a_damaged_file_is_refused_and_left_as_it_is(damaged):
    before = damaged.read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(damaged)
    assert str(damaged) in str(caught.value)
    assert "damaged" in str(caught.value)
    assert damaged.read_bytes() == before  # not a byte written, no empty schema put in
    wal = damaged.with_name(damaged.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0  # nothing waiting to be written either


def test_the_cli_prints_one_line_and_no_figures(damaged):
    proc = run_cli("kpi", "--db", damaged, "--period", "year", "--at", "2026-03-01")
    assert_one_line_error(proc, str(damaged), "damaged")
    assert proc.stdout == ""
