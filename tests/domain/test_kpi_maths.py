"""Rate maths, trend arrows, objective pace and settings: the arithmetic the tiles rely on."""

import math
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpidesk.domain.kpis import (
    KPIS,
    Direction,
    KpiSettings,
    KpiValue,
    Pace,
    compare,
    objective_progress,
    proportion,
    ratio,
    wilson_interval,
)
from kpidesk.domain.kpis.compute import round_half_up
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import Temperature

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I.
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
        # All successes: the mirror of 0 / 10, whose upper bound is z² / (n + z²) = 0.2775.
        (10, 10, 1 - 0.2775, 1.0),
    ],
)
def test_wilson_interval_matches_published_values(k, n, low, high):
    got_low, got_high = wilson_interval(k, n)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_bounds_solve_the_score_equation(kn):
    # The Wilson bounds are the p where |k/n - p| = z * sqrt(p (1 - p) / n).
    k, n = kn
    low, high = wilson_interval(k, n)
    z = 1.959963984540054
    assert 0 <= low <= k / n <= high <= 1
    for p in (low, high):
        if 0 < p < 1:
            assert abs(k / n - p) == pytest.approx(z * math.sqrt(p * (1 - p) / n), rel=1e-6)


def test_a_zero_denominator_has_no_value_never_zero_percent():
    rate = proportion(0, 0)
    assert rate.value is None
    assert (rate.low, rate.high) == (None, None)
    assert rate.low_confidence
    assert wilson_interval(0, 0) is None
    assert proportion(0, 12).value == 0.0  # a real 0 %, with its interval
    assert proportion(0, 12).high > 0


def test_low_confidence_below_ten():
    assert proportion(7, 9).low_confidence
    assert not proportion(7, 10).low_confidence
    assert ratio(30, 9).low_confidence and ratio(30, 9).value == pytest.approx(30 / 9)
    assert ratio(30, 9).low is None  # a ratio has no interval


def test_intervals_overlap():
    assert proportion(40, 100).overlaps(proportion(45, 100))
    assert not proportion(10, 100).overlaps(proportion(60, 100))
    assert ratio(3, 4).overlaps(proportion(1, 2)) is None


def _value(key, value, k=None, n=None):
    rate = proportion(k, n) if n is not None else None
    return KpiValue(key, value, rate=rate)


def test_trend_direction_and_whether_it_is_good_news():
    up = compare(KPIS["visits"], _value("visits", 12), _value("visits", 10))
    assert (up.direction, up.delta, up.improved) == (Direction.UP, 2, True)
    assert up.relative == pytest.approx(0.2)
    # Fewer stale offers is good news.
    down = compare(KPIS["stale_offers"], _value("stale_offers", 3), _value("stale_offers", 5))
    assert (down.direction, down.improved) == (Direction.DOWN, True)
    flat = compare(KPIS["visits"], _value("visits", 0), _value("visits", 0))
    assert (flat.direction, flat.improved, flat.relative) == (Direction.FLAT, None, None)
    from_zero = compare(KPIS["visits"], _value("visits", 4), _value("visits", 0))
    assert from_zero.direction is Direction.UP and from_zero.relative is None


def test_no_arrow_for_low_confidence_rates_or_missing_values():
    conversion = KPIS["conversion"]
    solid = _value("conversion", 40 / 100, 40, 100)
    shaky = _value("conversion", 7 / 9, 7, 9)
    assert compare(conversion, solid, _value("conversion", 30 / 100, 30, 100)) is not None
    assert compare(conversion, shaky, solid) is None
    assert compare(conversion, solid, shaky) is None
    assert compare(conversion, _value("conversion", None, 0, 0), solid) is None


MARCH = period_containing("month", date(2026, 3, 1), PARIS)
WED_11_MARCH = datetime(2026, 3, 11, 9, tzinfo=PARIS)  # 7 of 22 working days are over


def test_pace_of_an_accumulating_objective():
    visits = KPIS["visits"]
    progress = objective_progress(visits, 20, 44, MARCH, WED_11_MARCH)
    assert progress.progress == pytest.approx(20 / 44)
    assert progress.expected_now == pytest.approx(44 * 7 / 22)  # 14
    assert progress.pace is Pace.AHEAD
    # 24 still to do over the 15 working days left, today included.
    assert progress.needed_per_day == pytest.approx((44 - 20) / 15)
    behind = objective_progress(visits, 10, 44, MARCH, WED_11_MARCH)
    assert behind.pace is Pace.BEHIND
    on_pace = objective_progress(visits, 14, 44, MARCH, WED_11_MARCH)
    assert on_pace.pace is Pace.ON_PACE


def test_pace_of_a_level_and_of_a_lower_is_better_key():
    # A rate is not accumulated: the target is where it should be at any time.
    conversion = objective_progress(KPIS["conversion"], 0.35, 0.4, MARCH, WED_11_MARCH)
    assert conversion.expected_now == 0.4
    assert conversion.pace is Pace.BEHIND
    assert conversion.needed_per_day is None
    # Lower is better: fewer stale offers than the target is ahead.
    stale = objective_progress(KPIS["stale_offers"], 2, 5, MARCH, WED_11_MARCH)
    assert stale.pace is Pace.AHEAD
    assert objective_progress(KPIS["sales_cycle"], 30.0, 20.0, MARCH, WED_11_MARCH).pace is (
        Pace.BEHIND
    )


APRIL = period_containing("month", date(2026, 4, 1), PARIS)  # 22 working days, Wed 1 - Thu 30


def test_a_finished_period_says_reached_or_missed():
    after = datetime(2026, 5, 4, 9, tzinfo=PARIS)
    visits = KPIS["visits"]
    assert objective_progress(visits, 43, 44, MARCH, after).pace is Pace.MISSED
    assert objective_progress(visits, 44, 44, MARCH, after).pace is Pace.REACHED
    # Lower is better: 5 stale offers for a target of 5 is reached, 6 is missed.
    assert objective_progress(KPIS["stale_offers"], 5, 5, MARCH, after).pace is Pace.REACHED
    assert objective_progress(KPIS["stale_offers"], 6, 5, MARCH, after).pace is Pace.MISSED
    assert objective_progress(KPIS["conversion"], 0.41, 0.4, MARCH, after).pace is Pace.REACHED
    # The instant March ends (1 April 00:00) it is over.
    end = datetime(2026, 4, 1, tzinfo=PARIS)
    assert objective_progress(visits, 10, 44, MARCH, end).pace is Pace.MISSED


def test_no_verdict_before_a_fifth_of_the_working_days():
    visits = KPIS["visits"]
    # Day one of April: no working day is over yet, 1 visit of 310 is neither ahead nor behind.
    first = objective_progress(visits, 1, 310, APRIL, datetime(2026, 4, 1, 18, tzinfo=PARIS))
    assert first.working_days_elapsed == 0
    assert first.pace is Pace.TOO_EARLY and first.pace.is_good is None
    # A fifth of 22 is 4.4: after 4 working days (Wed 1 - Mon 6) still too early...
    tue_7 = datetime(2026, 4, 7, 9, tzinfo=PARIS)
    assert objective_progress(visits, 1, 310, APRIL, tue_7).working_days_elapsed == 4
    assert objective_progress(visits, 1, 310, APRIL, tue_7).pace is Pace.TOO_EARLY
    # ...after 5 (Tue 7 over), 1 visit is behind 310 × 5 / 22 and 100 is ahead of it.
    wed_8 = datetime(2026, 4, 8, 9, tzinfo=PARIS)
    assert objective_progress(visits, 1, 310, APRIL, wed_8).pace is Pace.BEHIND
    assert objective_progress(visits, 100, 310, APRIL, wed_8).pace is Pace.AHEAD
    # A level (a rate) waits just the same.
    assert objective_progress(KPIS["conversion"], 0.1, 0.4, APRIL, tue_7).pace is Pace.TOO_EARLY


def test_a_count_that_meets_its_target_early_is_reached():
    visits = KPIS["visits"]
    early = datetime(2026, 4, 2, 9, tzinfo=PARIS)
    assert objective_progress(visits, 310, 310, APRIL, early).pace is Pace.REACHED
    # Not so for a lower-is-better level: stale offers can still pile up.
    assert objective_progress(KPIS["stale_offers"], 0, 5, APRIL, early).pace is Pace.TOO_EARLY


def test_objective_without_a_value_or_with_a_zero_target():
    none = objective_progress(KPIS["conversion"], None, 0.4, MARCH, WED_11_MARCH)
    assert (none.progress, none.pace) == (None, None)
    zero = objective_progress(KPIS["stale_offers"], 0, 0, MARCH, WED_11_MARCH)
    assert zero.progress is None and zero.pace is Pace.ON_PACE


def test_money_rounds_half_up():
    assert round_half_up(2.5) == 3  # round() would give 2
    assert round_half_up(275_000.5) == 275_001
    assert round_half_up(1.49) == 1


def test_settings_defaults_and_bad_values():
    assert KpiSettings().probability(Temperature.HOT) == 0.6
    assert KpiSettings().probability(None) == 0.1  # an unknown account weighs as cold
    stored = {
        "kpi.probability_hot": 0.7,
        "kpi.probability_warm": 2.0,  # not a probability: ignored
        "kpi.stale_after_days": "21",  # not a number: ignored
        "kpi.currency": "CHF",
        "other.key": 1,
    }
    settings = KpiSettings.from_settings(stored)
    assert (settings.probability_hot, settings.probability_warm) == (0.7, 0.3)
    assert settings.stale_after_days == 14
    assert settings.currency == "CHF"
    assert KpiSettings.from_settings(settings.to_settings()) == settings


def test_period_label_in_utc_does_not_matter_for_working_days():
    # Working days follow the rep's calendar: 11 March 00:30 in Paris is the 10th in UTC.
    assert MARCH.working_days_elapsed(datetime(2026, 3, 10, 23, 30, tzinfo=UTC)) == 7
