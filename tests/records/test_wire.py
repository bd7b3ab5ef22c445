"""Checks of field values arriving from the server (the bulk path of a first sync)."""

from datetime import UTC, datetime

import pytest

from kpidesk.records.wire import SPECS, InvalidFieldValueError, read_row

GOOD = {
    "account_id": "01a00000-0000-7000-8000-000000000001", "kind": "visit", "purpose": "other",
    "done_at": "2026-03-02T09:30:00.000000Z", "created_at": "2026-03-02T09:30:00.000000Z",
}  # fmt: skip


def test_a_good_row_passes_and_missing_nullable_fields_are_null():
    values = read_row("activity", "r", GOOD)
    names = [spec.name for spec in SPECS["activity"]]
    assert len(values) == len(names)  # one value per stored column, in SPECS order
    row = dict(zip(names, values, strict=True))
    given = {"account_id", "kind", "purpose", "done_at", "created_at"}
    assert [name for name in names if name not in given and row[name] is not None] == []


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("kind", "teleportation", "not one of"),
        ("done_at", "2026-03-02 09:30", "not an instant"),
        ("done_at", 1_700_000_000, "not an instant"),
        ("outcome", "x" * 201, "longer than 200"),
        ("account_id", None, "required"),
        ("notes", 42, "text expected"),
        ("notes", "a\x00b", "NUL"),
    ],
)
def test_a_bad_value_is_named_with_its_field_and_reason(field, value, reason):
    with pytest.raises(InvalidFieldValueError, match=reason) as refused:
        read_row("activity", "r1", {**GOOD, field: value})
    assert refused.value.field == field


def test_numbers_and_unknown_fields():
    offer = {"account_id": "a", "reference": "R", "title": "T", "amount_cents": 100,
             "currency": "EUR", "status": "sent", "created_at": GOOD["created_at"]}  # fmt: skip
    stored = dict(zip([s.name for s in SPECS["offer"]], read_row("offer", "o", offer), strict=True))
    assert (stored["amount_cents"], stored["probability"]) == (100, None)
    for bad in ({"amount_cents": -1}, {"amount_cents": True}, {"probability": 1.5}):
        with pytest.raises(InvalidFieldValueError):
            read_row("offer", "o", {**offer, **bad})
    with pytest.raises(InvalidFieldValueError, match="unknown field"):
        read_row("offer", "o", {**offer, "discount": 5})


def test_a_row_is_read_as_the_laptop_stores_it():
    names = [spec.name for spec in SPECS["activity"]]
    values = dict(zip(names, read_row("activity", "r", GOOD), strict=True))
    assert values["done_at"] == "2026-03-02 09:30:00.000000"  # SQLite's text form, UTC
    assert values["kind"] == "visit" and values["account_id"] == GOOD["account_id"]
    assert values["notes"] is None and values["due_at"] is None  # left out: null


def test_a_new_records_instants_are_sent_as_the_model_sends_them_each_time() -> None:
    """The compiled check makes each instant's wire text once (an import repeats its dates):
    the same object again, an equal one in another zone, and the two sides of a DST end (equal
    in their zone, an hour apart) still get each their own text, as ``encode_value`` writes."""
    from zoneinfo import ZoneInfo

    from kpidesk.records.codec import encode_value
    from kpidesk.records.wire import new_record_values

    paris = ZoneInfo("Europe/Paris")
    early = datetime(2025, 10, 26, 2, 30, tzinfo=paris)  # fold 0: 00:30 UTC
    late = early.replace(fold=1)  # the same wall time an hour later: 01:30 UTC
    same_instant = early.astimezone(UTC)
    moments = [early, late, early, late, same_instant, datetime(2025, 3, 1, 9, tzinfo=UTC)]
    for _round in range(2):  # the second round finds every text already made
        for moment in moments:
            values = {"id": "0190a000-0000-7000-8000-000000000001", "account_id": "a",
                      "amount_cents": 100, "sent_at": moment, "created_at": moment}  # fmt: skip
            checked = new_record_values("offer", values)
            assert checked is not None
            wire, _stored = checked
            assert wire["sent_at"] == wire["created_at"] == encode_value(moment)
    assert encode_value(early) != encode_value(late)
    naive = {"id": "0190a000-0000-7000-8000-000000000002", "account_id": "a",
             "amount_cents": 100, "sent_at": datetime(2025, 10, 26, 2, 30)}  # fmt: skip
    assert new_record_values("offer", naive) is None  # a naive date-time is still refused
