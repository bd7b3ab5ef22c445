"""The compact form of a reply (``pages``: columns once, rows as arrays) is checked as
strictly as the one-object-per-row form: a garbled value is refused by field name and
nothing of the reply is applied; good pages give exactly the same rows."""

from __future__ import annotations

import pytest

from kpidesk.domain.ids import uuid7
from kpidesk.protocol.schemas import SyncResponse
from kpidesk.records.wire import SYNC_COLUMNS, InvalidFieldValueError
from kpidesk.store import replica
from kpidesk.store.database import open_database
from tests.store.test_replica import account_change, apply, reply, row, stamp

FIELDS = list(account_change("x", 1, 1)["fields"])


def page_reply(*changes, columns=None, cursor=None):
    """The same changes as one compact page, as the server sends it."""
    columns = columns or [*SYNC_COLUMNS, *FIELDS]
    rows = [
        [{"id": c["id"], "owner_id": c["owner_id"], "cl": c["cl"],
          "server_version": c["server_version"], "clocks": c["clocks"]}.get(name,
          c["fields"].get(name)) for name in columns]
        for c in changes
    ]  # fmt: skip
    version = max((c["server_version"] for c in changes), default=0)
    return SyncResponse(
        acked_mid=0, changes=[], pages=[{"table": "account", "columns": columns, "rows": rows}],
        next_cursor=cursor or version, has_more=False, server_hlc=stamp(2_000_000_000_000, "s"),
    )  # fmt: skip


def dump(db):
    with db.read() as conn:
        return conn.exec_driver_sql("SELECT * FROM account ORDER BY id").all()


def test_a_page_gives_the_same_rows_as_one_change_per_row(db, tmp_path):
    changes = [account_change(uuid7(), n, 1000 + n, city=None if n % 2 else "Lyon")
               for n in range(1, 6)]  # fmt: skip
    apply(db, page_reply(*changes))
    other = open_database(tmp_path / "other.sqlite")
    try:
        apply(other, reply(*changes))
        assert dump(db) == dump(other)
    finally:
        other.close()
    assert row(db, changes[0]["id"]).created_at == "2026-03-02 09:30:00.000000"


def test_a_garbled_value_in_a_page_is_refused_by_name_and_nothing_is_applied(db):
    good, bad = account_change(uuid7(), 2, 1000), account_change(uuid7(), 3, 1000)
    bad["fields"]["temperature"] = "volcanic"
    with pytest.raises(InvalidFieldValueError, match=r"field temperature: not one of"):
        apply(db, page_reply(good, bad))
    assert row(db, good["id"]) is None
    with db.read() as conn:
        assert replica.cursor(conn) == 0


@pytest.mark.parametrize(
    ("column", "value", "refused"),
    [
        ("cl", "1", "field cl: int expected"),
        ("cl", True, "field cl: int expected"),
        ("owner_id", None, "field owner_id: str expected"),
        ("created_at", "2026-03-02 09:30:00", "field created_at: not an instant"),
        ("name", "Dumas\x00", "field name: contains a NUL character"),
        ("clocks", {"*": "yesterday"}, "field \\*: not a valid clock"),
        ("clocks", {"*": "1764590000000-0000-abc\n"}, "field \\*: not a valid clock"),
    ],
)
def test_each_garbled_cell_is_named(db, column, value, refused):
    change = account_change(uuid7(), 2, 1000)
    if column in change["fields"]:
        change["fields"][column] = value
    else:
        change[column] = value  # type: ignore[literal-required]
    with pytest.raises(InvalidFieldValueError, match=refused):
        apply(db, page_reply(change))
    assert dump(db) == []


def test_an_unknown_column_or_a_short_row_is_refused(db):
    change = account_change(uuid7(), 2, 1000)
    with pytest.raises(InvalidFieldValueError, match="field revenue: unknown field"):
        apply(db, page_reply(change, columns=[*SYNC_COLUMNS, "name", "revenue"]))
    short = page_reply(change)
    short.pages[0]["rows"][0].pop()
    with pytest.raises(ValueError, match="does not have"):
        apply(db, short)
    assert dump(db) == []


def test_a_missing_column_is_null_and_a_required_one_missing_is_refused(db):
    change = account_change(uuid7(), 2, 1000)
    columns = [*SYNC_COLUMNS, *(n for n in FIELDS if n != "city")]
    apply(db, page_reply(change, columns=columns))
    assert row(db, change["id"]).city is None
    other = account_change(uuid7(), 3, 1000)
    with pytest.raises(InvalidFieldValueError, match="field name: a value is required"):
        apply(db, page_reply(other, columns=[*SYNC_COLUMNS, *(n for n in FIELDS if n != "name")]))
