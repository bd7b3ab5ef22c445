"""parse_cents reads the usual French amount ("12 400,00 €") with integer arithmetic: it must
give exactly what the general reader (parse_decimal, then cents) gives, for those and for any
other text."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kpidesk.domain.import_values import CellError, parse_cents, parse_decimal

SPACES = st.sampled_from([" ", "\u00a0", "\u202f", "\u2009"])


def _general(value: str) -> int | type[CellError] | None:
    """The amount as parse_decimal reads it, in cents (the rule parse_cents documents)."""
    try:
        number = parse_decimal(value)
    except CellError:
        return CellError
    if number is None:
        return None
    if abs(number) >= Decimal(10) ** 13:
        return CellError
    return int((number * 100).quantize(Decimal(1)))


def _cents(value: str) -> int | type[CellError] | None:
    try:
        return parse_cents(value)
    except CellError:
        return CellError


@st.composite
def french_amounts(draw) -> str:
    groups = draw(st.lists(st.integers(0, 999), min_size=1, max_size=6))
    head = str(draw(st.integers(0, 999)))
    units = head + "".join(draw(SPACES) + f"{g:03d}" for g in groups[1:])
    decimals = draw(st.sampled_from(["", ",5", ",50", ",05", ",99"]))
    sign = draw(st.sampled_from(["", "-"]))
    euro = draw(st.sampled_from(["", "€", " €"]))
    return f"{draw(st.sampled_from(['', ' ']))}{sign}{units}{decimals}{euro}"


@given(french_amounts())
def test_a_french_amount_reads_as_the_general_reader_reads_it(value):
    assert _cents(value) == _general(value)


@given(st.text(alphabet="0123456789 ,.-€\u00a0\u202f$EURht", max_size=20))
def test_any_text_reads_as_the_general_reader_reads_it(value):
    assert _cents(value) == _general(value)


def test_examples():
    assert parse_cents("12 400,00 €") == 1_240_000
    assert parse_cents("980") == 98_000
    assert parse_cents("-35,5") == -3_550
    assert parse_cents("1\u202f250\u202f000,05") == 125_000_005
    assert _cents("99 999 999 999 999") is CellError  # too large, refused the long way
