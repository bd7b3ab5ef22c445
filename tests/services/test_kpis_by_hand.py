"""Every indicator of March 2026 on the hand-built book (tests/kpi_dataset.py), worked out by hand.

Each expected value is written as the arithmetic a person does with the data set open: which
records count, which do not and why. March 2026 in Paris is [28 Feb 23:00 UTC, 31 Mar 22:00 UTC);
the clock is in June 2026, so every period here is over and "at the end of March" means
31 March 22:00 UTC.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.kpis import Direction, Pace
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.services.kpis import KpiService
from kpidesk.services.objectives import ObjectiveService
from tests.kpi_dataset import PARIS, L, build_march_2026

NOW = L(2026, 6, 15, 12)


def wilson(k: int, n: int) -> tuple[float, float]:
    """The Wilson score interval written out from its textbook form (z = 1.96 at 95 %)."""
    z = 1.959963984540054
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = (z / (1 + z * z / n)) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


@pytest.fixture(scope="module")
def march(tmp_path_factory):
    from kpidesk.store.database import open_database

    db = open_database(tmp_path_factory.mktemp("book") / "book.sqlite")
    book = build_march_2026(db)
    service = KpiService(db, PARIS, clock=lambda: NOW)
    report = service.compute(period_containing("month", L(2026, 3, 15, 12), PARIS))
    yield db, book, service, report
    db.close()


def test_march_bounds_follow_the_paris_calendar(march):
    _, _, _, report = march
    assert report.period.start == L(2026, 3, 1)  # 28 Feb 23:00 UTC (winter time)
    assert report.period.end == L(2026, 4, 1)  # 31 Mar 22:00 UTC (summer time)
    assert report.period.end - report.period.start == timedelta(hours=31 * 24 - 1)
    assert report.as_of == report.period.end  # the month is over


def test_quantities(march):
    _, book, _, report = march
    visits = report["visits"].current
    # V1 (1 Mar 00:30 Paris, still 28 Feb in UTC) counts; V2 (31 Mar 23:30) counts; V4 just
    # after the clocks went forward counts; V6 counts. V3 (1 Apr 00:30 Paris, 31 Mar in UTC) is
    # April; V5 is February; V7 is deleted; V8 is only planned.
    assert visits.value == 4
    assert set(visits.ids) == book.of("V1", "V2", "V4", "V6")
    assert visits.part("prospecting").value == 2  # V1, V2
    assert set(visits.part("prospecting").ids) == book.of("V1", "V2")
    assert visits.part("other").value == 2  # V4 (purpose follow-up), V6 (other)
    # Calls done in March: K1, F1, F2, F3, F6, F7, G1, G2, G5 = 9. Not F4 and G3 (e-mails),
    # F5 and G6 (deleted), F8 (planned), F9 and G4 (April).
    assert report["calls"].value == 9
    # Follow-ups of any kind done in March: F1, F2, F3, F4 (e-mail), F6, F7, V4 (a visit) = 7.
    assert set(report["follow_ups"].current.ids) == book.of(
        "F1", "F2", "F3", "F4", "F6", "F7", "V4"
    )
    assert report["follow_ups"].value == 7
    # Sent in March: O11, O12, O14, O16, O17, O20, O21, O25, O26 (31 Mar 23:30), O29, O30, O31
    # = 12. Not O23 (a draft), O27 (1 Apr 00:30 Paris), O28 (deleted), nor February's.
    assert report["offers_sent"].value == 12
    assert book["O27"] not in report["offers_sent"].current.ids
    # Created in March as suspect or prospect: P0 (1 Mar 00:30 Paris), P1 (31 Mar 23:30), P4
    # (a suspect) = 3. Not P2 (1 Apr 00:30 Paris), C1 (created as a client), D1 (deleted).
    assert set(report["new_prospects"].current.ids) == book.of("P0", "P1", "P4")
    # First win ever in March: A5 (O12) and A6 (O13, decided at 1 Mar 00:00 exactly: inside).
    # A4 wins again but first won in 2024; A7's first win is at 1 Apr 00:00 exactly: outside.
    assert set(report["new_clients"].current.ids) == book.of("A5", "A6")


def test_money(march):
    _, book, _, report = march
    # Won in March, in EUR: O10 + O11 + O12 + O13. O17 is in USD; O14 is decided at the end
    # instant (April); O18 is deleted.
    assert report["revenue"].value == 500_000 + 300_000 + 200_002 + 100_000  # 1,100,002 cents
    assert set(report["revenue"].current.ids) == book.of("O10", "O11", "O12", "O13")
    # O11 has no margin: unknown, so the margin and its rate are on the other three (KPIS.md:
    # over partly unknown values, computed on the known ones, and saying so).
    assert report["margin"].value == 150_000 + 50_000 + 30_000
    assert report["margin_rate"].value == pytest.approx(230_000 / (500_000 + 200_002 + 100_000))
    assert set(report["margin"].current.ids) == book.of("O10", "O12", "O13")
    coverage = report["margin_rate"].current.coverage
    assert (coverage.known, coverage.total) == (3, 4)
    # 1,100,002 / 4 = 275,000.5 cents: half a cent rounds up.
    assert report["average_deal"].value == 275_001


def test_rates(march):
    _, book, _, report = march
    conversion = report["conversion"].current
    # Decided in March: won O10, O11, O12, O13, O17 (USD counts here); lost O15; abandoned O16.
    # O31 is lost in April; O14 won at the end instant.
    assert (conversion.rate.numerator, conversion.rate.denominator) == (5, 7)
    assert conversion.value == pytest.approx(5 / 7)
    assert (conversion.rate.low, conversion.rate.high) == pytest.approx(wilson(5, 7))
    assert conversion.low_confidence  # 7 < 10
    assert set(conversion.denominator_ids) == book.of(
        "O10", "O11", "O12", "O13", "O17", "O15", "O16"
    )

    # 12 offers sent for 4 visits: a ratio, above 100 %, without interval.
    visit_to_offer = report["visit_to_offer"].current
    assert visit_to_offer.value == pytest.approx(12 / 4)
    assert visit_to_offer.rate.low is None and visit_to_offer.rate.high is None

    # Sent in March and at least 7 days old at 31 Mar 22:00 UTC (sent by 24 Mar 23:00 Paris):
    # O11, O12, O14, O16, O17, O20, O25, O29, O30 (exactly 7 days), O31 = 10 (not O21, O26).
    # Followed up within 7 x 24 h:
    #   O11: F1 on the offer, 6 days 23 h 59 min after.          yes
    #   O12: F3 came before sending; F2 exactly at 7 x 24 h.       no
    #   O14: G1 is prospecting; F8 was never done.                 no
    #   O16: F4, an e-mail on its account, 2 days after.           yes
    #   O17: decided 6 days after sending.                         yes
    #   O20: F5 is deleted.                                        no
    #   O25: F6 on its account A2, 6 days after.                   yes
    #   O29: F6 again, 3 days 10 h after.                          yes
    #   O30: nothing.                                              no
    #   O31: F7 at 30 Mar 10:30 summer time = 7 days 23 min on the wall clock, but only
    #        6 days 23 h 30 min later: inside the 7 x 24 h.        yes
    follow_up_rate = report["follow_up_rate"].current
    assert (follow_up_rate.rate.numerator, follow_up_rate.rate.denominator) == (6, 10)
    assert set(follow_up_rate.ids) == book.of("O11", "O16", "O17", "O25", "O29", "O31")
    assert not follow_up_rate.low_confidence
    assert (follow_up_rate.rate.low, follow_up_rate.rate.high) == pytest.approx(wilson(6, 10))

    # Active at 1 Mar 2026 (won since 1 Mar 2025): A1 (O1), A2 (O2), A3 (O3, 15 Mar 2025) = 3.
    # Active at 1 Apr 2026 (won since 1 Apr 2025): A1, A2, A4 (O11), A5 (O12), A6 (O13) = 5;
    # A3 has lapsed; A7's win is at the end instant, outside. New clients: A5, A6.
    # (E - N) / S = (5 - 2) / 3: the reactivated A4 fills the place A3 left.
    retention = report["retention"].current
    assert (retention.rate.numerator, retention.rate.denominator) == (5 - 2, 3)
    assert set(retention.ids) == book.of("A1", "A2", "A4")
    assert set(retention.denominator_ids) == book.of("A1", "A2", "A3")
    assert retention.value == 1.0

    # New clients A5 (source referral) and A6: 1 / 2.
    recommendation = report["recommendation"].current
    assert (recommendation.rate.numerator, recommendation.rate.denominator) == (1, 2)
    assert set(recommendation.ids) == book.of("A5")


def test_pipeline(march):
    _, book, _, report = march
    # Open at 31 Mar 22:00 UTC: O14 (decided at that very instant), O20 (won in May), O21, O22,
    # O25 (GBP), O26, O29, O30 (CHF), O31 (CHF, lost in April). Not the draft O23, nor O24 and
    # O27 (sent after), nor the deleted O28. In EUR: O14, O20, O21, O22, O26, O29.
    pipeline = report["pipeline_value"].current
    assert pipeline.value == 999_900 + 400_000 + 50_000 + 80_000 + 60_000 + 10_000
    assert set(pipeline.ids) == book.of("O14", "O20", "O21", "O22", "O26", "O29")
    # O14: A7 hot 60 %; O20: its own 25 %; O21, O29: A2 cold 10 %; O22: P3 cold 10 %;
    # O26: P1 hot 60 %.
    weighted = (
        999_900 * 0.6 + 400_000 * 0.25 + 50_000 * 0.1 + 80_000 * 0.1 + 60_000 * 0.6 + 10_000 * 0.1
    )
    assert report["weighted_pipeline"].value == round(weighted)  # 749,940: no half cent here

    # Hot prospects at the end of March: P1 (created 31 Mar 23:30); A7 (a client now, but its
    # first win is at the end instant, and it was created as a prospect); H1 (created a suspect,
    # sent O20 on 10 Mar, won in May). Not H2 (its first offer is in April: still a suspect),
    # A5 and A6 (clients by then), P2 (created after), P4 (a suspect), D1 (deleted).
    assert set(report["hot_prospects"].current.ids) == book.of("P1", "A7", "H1")

    # Stale: open, and last touched before 17 Mar 23:00 Paris (14 x 24 h before the end).
    #   O20: sent 10 Mar; its only later activity G6 is deleted.           stale
    #   O22: sent 1 Feb; G3 on 10 Mar; G4 is after the end; G5 is on the
    #        account, not on the offer.                                     stale
    #   O25: G2 on 20 Mar.  O29: sent exactly 14 days before: not "more".  not stale
    assert set(report["stale_offers"].current.ids) == book.of("O20", "O22")

    # Won in March (any currency), sent to decided, in days of 24 h:
    #   O10 20 Feb 09:00 -> 10 Mar 15:00  = 18.25
    #   O11  2 Mar 10:00 -> 10 Mar 11:00  =  8 + 1/24
    #   O12 20 Mar 10:00 -> 30 Mar 10:00 (summer time) = 10 - 1/24
    #   O13 25 Feb 12:00 ->  1 Mar 00:00  =  3.5
    #   O17  4 Mar 10:00 -> 10 Mar 10:00  =  6
    cycle = (18.25 + (8 + 1 / 24) + (10 - 1 / 24) + 3.5 + 6) / 5  # 9.15 days
    assert report["sales_cycle"].value == pytest.approx(cycle)
    # 6 open offers in EUR x average deal 275,000.5 x conversion 5/7 / 9.15 days.
    velocity = 6 * (1_100_002 / 4) * (5 / 7) / cycle
    assert report["pipeline_velocity"].value == math.floor(velocity + 0.5)  # 128,806 cents/day
    assert len(report["pipeline_velocity"].current.ids) == 6


def test_previous_period_is_february(march):
    _, _, service, report = march
    assert report.previous_period.first_day.isoformat() == "2026-02-01"
    previous = {r.key: r.previous for r in report}
    assert previous["visits"].value == 1  # V5 at 28 Feb 23:30 Paris; V1 belongs to March
    assert previous["offers_sent"].value == 4  # O10, O13, O15, O22
    assert previous["new_prospects"].value == 1  # A5; P0 is March in Paris
    # Nothing decided in February (O13 is decided at 1 Mar 00:00): no rate, no cycle.
    assert previous["conversion"].value is None
    assert previous["conversion"].rate.denominator == 0
    assert previous["average_deal"].value is None
    assert previous["margin_rate"].value is None
    assert previous["sales_cycle"].value is None
    assert previous["pipeline_velocity"].value is None
    assert previous["recommendation"].value is None  # no new client
    assert previous["revenue"].value == 0
    # Sent by 22 Feb 00:00 Paris: O10, O15, O22; none followed up: 0 %, which is a value.
    assert (
        previous["follow_up_rate"].rate.numerator,
        previous["follow_up_rate"].rate.denominator,
    ) == (0, 3)
    assert previous["follow_up_rate"].value == 0.0
    # Open at 1 Mar 00:00 Paris: O10, O13 (decided at that instant), O15, O22.
    assert previous["pipeline_value"].value == 500_000 + 100_000 + 40_000 + 80_000
    # Active clients at 1 Feb and at 1 Mar: A1, A2, A3; nobody new.
    assert (previous["retention"].rate.numerator, previous["retention"].rate.denominator) == (3, 3)
    # The comparison periods carry no drill-down ids, only their numbers.
    assert previous["offers_sent"].ids == ()
    assert service.values(report.previous_period)["offers_sent"].value == 4


def test_same_month_a_year_earlier(march):
    _, _, _, report = march
    year_ago = {r.key: r.year_ago for r in report}
    assert report.year_ago_period.first_day.isoformat() == "2025-03-01"
    # O3 won on 15 Mar 2025: A3's first win ever, so a new client then.
    assert year_ago["conversion"].rate.numerator == 1
    assert year_ago["conversion"].rate.denominator == 1
    assert year_ago["revenue"].value == 200_000
    assert year_ago["new_clients"].value == 1
    assert year_ago["sales_cycle"].value == pytest.approx(23.0)  # 20 Feb -> 15 Mar 2025
    # Nobody won in the 12 months before 1 Mar 2025 (O4 is January 2024): no retention.
    assert year_ago["retention"].value is None
    assert year_ago["pipeline_value"].value == 0


def test_trends_and_their_refusal(march):
    _, _, _, report = march
    # 4 visits against 1: up, good news.
    trend = report["visits"].vs_previous
    assert trend.direction is Direction.UP and trend.improved
    assert trend.delta == 3
    # Conversion 5/7 is low-confidence: no arrow, whatever the previous value.
    assert report["conversion"].vs_year_ago is None
    # Stale at the end of February (before 15 Feb 00:00 Paris): O15 (sent 10 Feb) and O22
    # (sent 1 Feb; G3 comes in March) = 2, as in March: flat, neither good nor bad news.
    stale = report["stale_offers"]
    assert stale.previous.value == 2
    assert stale.vs_previous.direction is Direction.FLAT
    assert stale.vs_previous.improved is None


def test_objectives_progress_and_pace(march):
    db, _, _, _ = march
    objectives = ObjectiveService(db)
    objectives.set_target("visits", PeriodKind.MONTH, 10)
    objectives.set_target("stale_offers", PeriodKind.MONTH, 1)
    objectives.set_target("new_clients", PeriodKind.QUARTER, 6)
    try:
        service = KpiService(db, PARIS, clock=lambda: NOW)
        report = service.compute(period_containing("month", L(2026, 3, 15), PARIS))
        visits = report["visits"].objective
        # March is over: all 22 working days (Mon 2 .. Tue 31) have passed; 4 of 10 visits.
        assert (visits.working_days_elapsed, visits.working_days_total) == (22, 22)
        assert visits.progress == pytest.approx(4 / 10)
        assert visits.expected_now == pytest.approx(10)
        assert visits.pace is Pace.MISSED
        # Two stale offers for a target of one: lower is better, so missed.
        stale = report["stale_offers"].objective
        assert stale.progress == pytest.approx(2 / 1)
        assert stale.pace is Pace.MISSED
        # A quarterly objective does not show on a month.
        assert report["new_clients"].objective is None
        quarter = service.compute(period_containing("quarter", L(2026, 3, 15), PARIS))
        assert quarter["new_clients"].objective.target == 6
    finally:
        for key, kind in (
            ("visits", PeriodKind.MONTH),
            ("stale_offers", PeriodKind.MONTH),
            ("new_clients", PeriodKind.QUARTER),
        ):
            objectives.clear(key, kind)


def test_settings_change_the_weights_and_the_stale_threshold(march):
    db, book, _, _ = march
    service = KpiService(db, PARIS, clock=lambda: NOW)
    original = service.settings()
    service.save_settings(
        type(original)(probability_hot=0.5, probability_cold=0.0, stale_after_days=20)
    )
    try:
        report = service.compute(period_containing("month", L(2026, 3, 15), PARIS))
        # O14, O26 hot at 50 %; O20 keeps its own 25 %; the cold ones now weigh nothing.
        assert report["weighted_pipeline"].value == 999_900 * 0.5 + 400_000 * 0.25 + 60_000 * 0.5
        # Stale after 20 days (before 11 Mar 23:00 Paris): O20 was sent on 10 Mar, still stale;
        # O22 was touched on 10 Mar 14:00: stale too. O29 (17 Mar) is not.
        assert set(report["stale_offers"].current.ids) == book.of("O20", "O22")
    finally:
        service.save_settings(original)


def test_funnel(march):
    _, book, service, _ = march
    funnel = service.funnel(period_containing("month", L(2026, 3, 15), PARIS))
    assert [(s.key, s.count) for s in funnel.stages] == [
        ("visits", 4),
        ("offers_sent", 12),
        ("offers_won", 5),
    ]
    assert [s.rate.value for s in funnel.steps] == pytest.approx([12 / 4, 5 / 12])
    assert set(funnel.stages[2].ids) == book.of("O10", "O11", "O12", "O13", "O17")


def test_history_gives_twelve_months_ending_with_march(march):
    _, _, service, report = march
    points = service.history("conversion", report.period)
    assert [p.period.first_day.isoformat() for p in points][-3:] == [
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
    ]
    assert len(points) == 12
    assert points[-1].value.rate.numerator == 5 and points[-1].value.rate.denominator == 7
    assert points[-2].value.value is None  # February: nothing decided
    # March 2025 is outside a 12-month window ending in March 2026.
    assert points[0].period.first_day.isoformat() == "2025-04-01"


def test_a_period_in_another_zone_counts_other_records(march):
    # In Los Angeles, Paris's "31 Mar 23:30" (V2) is 31 Mar 14:30: still March, and Paris's
    # "1 Mar 00:30" (V1) is 28 Feb 15:30: February there.
    db, book, _, _ = march
    from zoneinfo import ZoneInfo

    la = ZoneInfo("America/Los_Angeles")
    values = KpiService(db, la, clock=lambda: NOW).values(
        period_containing("month", L(2026, 3, 15), la)
    )
    assert book["V2"] in values["visits"].ids
    assert book["V1"] not in values["visits"].ids
    # V3 (1 Apr 00:30 Paris = 31 Mar 15:30 in Los Angeles) is March there.
    assert book["V3"] in values["visits"].ids


def test_late_evening_west_of_greenwich_is_still_the_same_month(db):
    # 23:30 on 31 March in Los Angeles is already 1 April in UTC: it belongs to March there.
    from zoneinfo import ZoneInfo

    from kpidesk.store.changes import changes

    la = ZoneInfo("America/Los_Angeles")
    late = datetime(2026, 3, 31, 23, 30, tzinfo=la)
    after = datetime(2026, 4, 1, 0, 30, tzinfo=la)
    assert late.astimezone(UTC).date().isoformat() == "2026-04-01"
    with changes(db) as c:
        account = c.create("account", {"name": "Diner"})
        in_march = c.create("activity", {"account_id": account, "kind": "call", "done_at": late})
        c.create("activity", {"account_id": account, "kind": "call", "done_at": after})
    values = KpiService(db, la, clock=lambda: NOW).values(period_containing("month", late, la))
    assert values["calls"].value == 1
    assert values["calls"].ids == (in_march,)


def test_a_running_month_is_compared_with_as_many_days_of_the_months_before(march):
    # On 15 March at noon, March has begun 15 days: it is compared with 1-15 February and
    # 1-15 March 2025, not with whole months (a month half done would always look worse).
    db, _, _, _ = march
    service = KpiService(db, PARIS, clock=lambda: L(2026, 3, 15, 12))
    report = service.compute(period_containing("month", L(2026, 3, 15, 12), PARIS))
    previous, year_ago = report.previous_period, report.year_ago_period
    assert (previous.first_day.isoformat(), previous.last_day.isoformat()) == (
        "2026-02-01",
        "2026-02-15",
    )
    assert (year_ago.first_day.isoformat(), year_ago.last_day.isoformat()) == (
        "2025-03-01",
        "2025-03-15",
    )
    # V5 (28 Feb 23:30 Paris) counted in the whole of February is outside 1-15 February.
    assert report["visits"].previous.value == 0
    whole_february = service.values(period_containing("month", L(2026, 2, 10, 12), PARIS))
    assert whole_february["visits"].value == 1
    # O3 (won 15 Mar 2025) is inside 1-15 March 2025: still the year-ago month's new client.
    assert report["new_clients"].year_ago.value == 1
    # A finished month keeps whole months (the module's report, read in June).
    _, _, _, finished = march
    assert finished.previous_period.last_day.isoformat() == "2026-02-28"
