"""Checks of field values arriving from the server (the bulk path of a first sync)."""

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
