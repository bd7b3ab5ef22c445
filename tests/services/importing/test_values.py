"""Cells typed by hand, read as kpidesk values; each expected value is what a person reads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.import_columns import guess_mapping, row_kind
from kpidesk.domain.import_values import (
    DAY_FIRST,
    MONTH_FIRST,
    AmbiguousDatesError,
    CellError,
    date_order,
    fold,
    parse_cents,
    parse_instant,
    parse_probability,
    parse_word,
)
from kpidesk.domain.vocabulary import AccountStatus, ActivityKind, OfferStatus

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("cell", "cents"),
    [
        ("12 400,00 €", 1_240_000),
        ("12\u202f400,00\u00a0€", 1_240_000),  # narrow no-break space, as Excel FR writes it
        ("12.400,00", 1_240_000),  # dots as thousands
        ("12,400.00", 1_240_000),  # English
        ("1,250", 125_000),  # one comma then three digits: English thousands
        ("12,5", 1_250),  # French decimal comma
        ("1.250.000", 125_000_000),
        ("EUR 99.9", 9_990),
        ("350 € HT", 35_000),
        (1234.5, 123_450),
        (0, 0),  # a real zero stays zero
        ("-45,10", -4_510),
    ],
)
def test_amounts_typed_the_french_and_the_english_way(cell, cents):
    assert parse_cents(cell) == cents


@pytest.mark.parametrize("cell", [None, "", "   ", "€"])
def test_an_empty_amount_is_unknown_not_zero(cell):
    assert parse_cents(cell) is None


@pytest.mark.parametrize("cell", ["douze", "12,4,5x", "nan", "inf"])
def test_what_is_not_a_number_says_so(cell):
    with pytest.raises(CellError, match="is not a number"):
        parse_cents(cell)


@pytest.mark.parametrize(("cell", "fraction"), [("30 %", 0.3), ("30", 0.3), (0.3, 0.3),
                                                 ("0,75", 0.75), ("100%", 1.0)])  # fmt: skip
def test_probabilities(cell, fraction):
    assert parse_probability(cell) == pytest.approx(fraction)


def test_an_amount_beyond_any_deal_is_refused():
    with pytest.raises(CellError, match="too large"):
        parse_cents("1e400")


def test_a_probability_above_100_percent_is_refused():
    with pytest.raises(CellError):
        parse_probability("150 %")


@pytest.mark.parametrize(
    ("cell", "status"),
    [("Gagné", OfferStatus.WON), ("WON", OfferStatus.WON), ("perdu", OfferStatus.LOST),
     ("Lost", OfferStatus.LOST), ("Abandonné", OfferStatus.ABANDONED),
     ("En cours", OfferStatus.SENT), ("Engaging", OfferStatus.SENT),
     ("Brouillon", OfferStatus.DRAFT), ("  signé ", OfferStatus.WON)],
)  # fmt: skip
def test_offer_statuses_in_french_and_english(cell, status):
    assert parse_word(OfferStatus, cell) is status


def test_other_words():
    assert parse_word(AccountStatus, "Prospect") is AccountStatus.PROSPECT
    assert parse_word(ActivityKind, "Visite") is ActivityKind.VISIT
    assert parse_word(ActivityKind, "RDV") is ActivityKind.VISIT
    with pytest.raises(CellError, match="'Peut-être' is not a value"):
        parse_word(OfferStatus, "Peut-être")


def test_the_date_order_comes_from_the_whole_column():
    assert date_order(["03/04/2026", "13/04/2026"]) == DAY_FIRST
    assert date_order(["04/03/2026", "04/13/2026"]) == MONTH_FIRST
    assert date_order(["2026-04-03", 46000, None]) is None  # nothing written with slashes
    with pytest.raises(AmbiguousDatesError):
        date_order(["03/04/2026", "05/06/2026"])
    with pytest.raises(CellError, match="mixes day-first and month-first"):
        date_order(["13/04/2026", "04/13/2026"])


def test_dates_are_the_start_of_that_day_in_the_reps_zone():
    # 3 February 2026 00:00 in Paris (winter, UTC+1) is 2 February 23:00 UTC.
    expected = datetime(2026, 2, 2, 23, tzinfo=UTC)
    assert parse_instant("03/02/2026", DAY_FIRST, PARIS) == expected
    assert parse_instant("02/03/2026", MONTH_FIRST, PARIS) == expected
    assert parse_instant("03.02.26", DAY_FIRST, PARIS) == expected  # two-digit year: 2026
    assert parse_instant("2026-02-03", None, PARIS) == expected
    assert parse_instant(date(2026, 2, 3), None, PARIS) == expected
    assert parse_instant(datetime(2026, 2, 3), None, PARIS) == expected
    # Excel's serial number of 3 February 2026: 46056 days after 30 December 1899.
    assert (date(2026, 2, 3) - date(1899, 12, 30)).days == 46056
    assert parse_instant(46056, None, PARIS) == expected
    assert parse_instant("46056", None, PARIS) == expected
    assert parse_instant("", DAY_FIRST, PARIS) is None


def test_two_digit_years_fall_in_the_right_century():
    # Mid-June: the UTC instant is on the same day, so its year is the one written.
    assert parse_instant("15/06/95", DAY_FIRST, PARIS).year == 1995
    assert parse_instant("15/06/69", DAY_FIRST, PARIS).year == 2069
    assert parse_instant("15/06/05", DAY_FIRST, PARIS).year == 2005


@pytest.mark.parametrize("cell", ["31/02/2026", "demain", "99/99/99", -3])
def test_what_is_not_a_date_says_so(cell):
    with pytest.raises(CellError, match="is not a date"):
        parse_instant(cell, DAY_FIRST, PARIS)


def test_column_names_in_french_and_english_any_case_or_accent():
    headers = ["Raison sociale", "MONTANT HT", "Étape", "Date d'envoi", "Commercial", "Foo"]
    assert guess_mapping(headers) == {0: "account", 1: "amount", 2: "offer_status",
                                      3: "sent_at", 4: "owner"}  # fmt: skip
    assert guess_mapping(["Société", "Amount", "Stage", "Agent"]) == {
        0: "account", 1: "amount", 2: "offer_status", 3: "owner"}  # fmt: skip
    assert fold("  Société   Générale ") == "societe generale"


def test_a_duplicate_column_name_maps_only_the_first():
    assert guess_mapping(["Client", "Montant", "Montant"]) == {0: "account", 1: "amount"}


def test_what_a_file_holds_follows_its_columns():
    assert row_kind({"account", "amount"}) == "offer"
    assert row_kind({"account", "done_at", "activity_kind"}) == "activity"
    assert row_kind({"account", "contact"}) == "contact"
    assert row_kind({"account", "city"}) == "account"


def test_a_row_is_blank_exactly_when_no_cell_reads_as_text():
    """The parser's blank-line check agrees with reading each cell (text_of)."""
    from datetime import datetime as moment

    from kpidesk.domain.import_values import text_of
    from kpidesk.services.importing.rows import _blank

    cells = [None, "", " ", "\t\u00a0", "x", 0, 0.0, False, moment(2026, 3, 2), " a "]
    for first in cells:
        for second in cells:
            row = (first, second)
            assert _blank(row) == (not any(text_of(c) for c in row)), row
    assert _blank(())
