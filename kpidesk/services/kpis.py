"""The rep's indicators: the service the "My indicators" page and ``kpidesk kpi`` call.

Typical use (the page runs it off the GUI thread)::

    service = KpiService(db, ZoneInfo("Europe/Paris"))
    period = service.period(PeriodKind.MONTH)          # the month containing now
    report = service.compute(period)                    # every indicator, with comparisons
    report["conversion"].current.rate                   # 7 / 12, interval, low_confidence
    service.history("conversion", period)               # the last 12 months, for the chart
    service.funnel(period)                              # visits → offers sent → offers won
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kpidesk.domain.changes import Changes, Kind
from kpidesk.domain.kpis.catalogue import CATALOGUE, KPIS, definition
from kpidesk.domain.kpis.compute import compute_values
from kpidesk.domain.kpis.definition import KpiDefinition
from kpidesk.domain.kpis.facts import Fact, facts_for
from kpidesk.domain.kpis.objectives import ObjectiveProgress, objective_progress
from kpidesk.domain.kpis.report import (
    Funnel,
    HistoryPoint,
    KpiReport,
    KpiResult,
    build_funnel,
)
from kpidesk.domain.kpis.settings import SETTING_PREFIX, KpiSettings, check_kpi_settings
from kpidesk.domain.kpis.values import KpiValue
from kpidesk.domain.periods import CALENDAR_KINDS, Period, period_containing
from kpidesk.domain.timeutil import require_aware, utc_now
from kpidesk.domain.vocabulary import OBJECTIVE_PERIOD_KINDS, PeriodKind
from kpidesk.services.errors import InvalidInputError
from kpidesk.store.database import Connection, Database
from kpidesk.store.kpi_queries import ActiveClients, list_objectives, read_period_facts
from kpidesk.store.settings import read_settings, write_settings

_ALL_FACTS = facts_for(set(KPIS))
_FUNNEL_KEYS = ("visits", "offers_sent", "conversion")
# What the rep logs: a period where none of these counts anything has nothing logged at all.
ACTIVITY_KEYS = ("visits", "calls", "follow_ups", "offers_sent", "new_prospects")


@dataclass(frozen=True, slots=True)
class ObjectiveStanding:
    """One of the rep's objectives in its running period: the value so far and the pace."""

    definition: KpiDefinition
    period: Period
    value: KpiValue
    progress: ObjectiveProgress


class KpiService:
    """Computes the indicators of KPIS.md from the local database, in the rep's time zone.

    ``settings`` fixes the computation settings (tests); by default they are read from the
    database at each call, so a change in the settings page applies at the next refresh.
    ``clock`` gives "now": it decides which period is current and where a running period ends.
    Every method reads one consistent snapshot and returns plain frozen objects.
    """

    def __init__(
        self,
        db: Database,
        tz: ZoneInfo,
        settings: KpiSettings | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self.tz = tz
        self._settings = settings
        self._clock = clock

    # -- periods ------------------------------------------------------------------------------

    def period(self, kind: PeriodKind | str, at: datetime | date | None = None) -> Period:
        """The period of ``kind`` containing ``at`` (default: now) in the rep's zone."""
        return period_containing(kind, self._clock() if at is None else at, self.tz)

    def custom_period(self, first_day: date, end_day: date) -> Period:
        """Whole local days ``[first_day, end_day)``; raises InvalidPeriodError if empty."""
        return Period.custom(first_day, end_day, self.tz)

    def as_of(self, period: Period, now: datetime | None = None) -> datetime:
        """Where "at the end of the period" is read: its end, or now while it is running."""
        now = require_aware(now or self._clock())
        return min(period.end, max(period.start, now))

    def has_activity(self, period: Period) -> bool:
        """Whether anything was logged in ``period`` (a visit, a call, an offer, a prospect)."""
        values = self.values(period, ACTIVITY_KEYS, with_ids=False)
        return any(values[key].value for key in ACTIVITY_KEYS)

    def opening_period(self, period: Period) -> Period:
        """The period to open on instead of ``period``: the one just ended when nothing is
        logged in ``period`` yet and something was before (on the 1st of the month, last
        month rather than a page of zeros); else ``period`` itself. Custom days are kept."""
        if period.kind is PeriodKind.CUSTOM or self.has_activity(period):
            return period
        previous = period.previous()
        return previous if self.has_activity(previous) else period

    # -- settings -----------------------------------------------------------------------------

    def settings(self) -> KpiSettings:
        """The settings the next computation will use (the fixed ones, else the stored ones)."""
        with self._db.read() as conn:
            return self._read_settings(conn)

    def save_settings(self, settings: KpiSettings) -> Changes:
        """Store the computation settings (temperature probabilities, stale days, currency);
        refused whole with InvalidInputError (nothing saved) when one does not hold."""
        problems = check_kpi_settings(settings)
        if problems:
            raise InvalidInputError(problems)
        with self._db.write() as conn:
            write_settings(conn, settings.to_settings())
        return Changes.of([Kind.SETTING])

    # -- indicators ---------------------------------------------------------------------------

    def compute(self, period: Period) -> KpiReport:
        """Every indicator over ``period``, the previous period and the same period a year ago,
        with objective progress when the rep set an objective for this kind of period."""
        now = require_aware(self._clock())
        previous, year_ago = self.comparison_periods(period, now)
        periods = [(p, self.as_of(p, now)) for p in (period, previous, year_ago)]
        with self._db.read() as conn:
            settings = self._read_settings(conn)
            active = ActiveClients.for_periods(conn, periods)
            # Ids only for the period itself: the drill-down never lists the compared periods.
            # A year's previous period is also its year ago (the same span, read at the same
            # instant): its values are computed once and serve both columns.
            computed: dict[tuple[datetime, datetime, datetime, bool], dict[str, KpiValue]] = {}
            for p, end in periods:
                key = (p.start, p.end, end, p is period)
                if key not in computed:
                    facts = read_period_facts(
                        conn, p, end, _ALL_FACTS, with_ids=p is period, active_clients=active
                    )
                    computed[key] = compute_values(facts, settings)
            current_values, previous_values, year_ago_values = (
                computed[(p.start, p.end, end, p is period)] for p, end in periods
            )
            objectives = (
                {o.kpi_key: o for o in list_objectives(conn, period.kind, me=active.me)}
                if period.kind in OBJECTIVE_PERIOD_KINDS
                else {}
            )
        results = {}
        for kpi in CATALOGUE:
            current = current_values[kpi.key]
            objective = objectives.get(kpi.key)
            progress = (
                objective_progress(kpi, current.value, objective.target, period, now, objective.id)
                if objective is not None
                else None
            )
            results[kpi.key] = KpiResult(
                kpi, current, previous_values[kpi.key], year_ago_values[kpi.key], progress
            )
        return KpiReport(
            period, previous, year_ago, self.as_of(period, now), settings.currency, results
        )

    def objectives_overview(self) -> list[ObjectiveStanding]:
        """Every objective of the rep (month, quarter, year) in the period of its kind that is
        running now, in catalogue order within each kind: all targets and their pace at once."""
        now = require_aware(self._clock())
        found = []
        with self._db.read() as conn:
            settings = self._read_settings(conn)
            for kind in OBJECTIVE_PERIOD_KINDS:
                objectives = {o.kpi_key: o for o in list_objectives(conn, kind)}
                if not objectives:
                    continue
                period = self.period(kind)
                keys = [k.key for k in CATALOGUE if k.key in objectives]
                values = self._values(conn, period, self.as_of(period, now), keys, settings, False)
                for key in keys:
                    kpi, objective, value = definition(key), objectives[key], values[key]
                    progress = objective_progress(
                        kpi, value.value, objective.target, period, now, objective.id
                    )
                    found.append(ObjectiveStanding(kpi, period, value, progress))
        return found

    def comparison_periods(self, period: Period, now: datetime) -> tuple[Period, Period]:
        """The previous period and the same period a year earlier. While a calendar period is
        running, both are cut to as many days as have begun in it: on 10 March, 1-10 March is
        compared with 1-10 February, not with the whole of February (KPIS.md: "the previous
        period of the same length")."""
        previous, year_ago = period.previous(), period.year_ago()
        if period.kind in CALENDAR_KINDS and period.contains(now):
            begun = (now.astimezone(self.tz).date() - period.first_day).days + 1
            previous, year_ago = previous.first_days(begun), year_ago.first_days(begun)
        return previous, year_ago

    def values(
        self, period: Period, keys: Iterable[str] | None = None, *, with_ids: bool = True
    ) -> dict[str, KpiValue]:
        """The values of ``keys`` (default: all) over one period, without comparisons; with the
        drill-down ids unless ``with_ids`` is False."""
        wanted = [definition(k).key for k in keys] if keys is not None else list(KPIS)
        with self._db.read() as conn:
            settings = self._read_settings(conn)
            return self._values(conn, period, self.as_of(period), wanted, settings, with_ids)

    def history(self, key: str, period: Period, n: int = 12) -> list[HistoryPoint]:
        """``key`` over the ``n`` periods ending with ``period``, oldest first (for charts).

        The values carry no ids (a chart needs none); rates keep their interval for the band.
        """
        definition(key)  # unknown keys fail here, with the key in the message
        now = require_aware(self._clock())
        periods = [(p, self.as_of(p, now)) for p in period.history(n)]
        with self._db.read() as conn:
            settings = self._read_settings(conn)
            active = (
                ActiveClients.for_periods(conn, periods)
                if Fact.ACTIVE_CLIENTS in facts_for({key})
                else None
            )
            return [
                HistoryPoint(p, self._values(conn, p, end, [key], settings, False, active)[key])
                for p, end in periods
            ]

    def funnel(self, period: Period) -> Funnel:
        """Visits done → offers sent → offers won in ``period``, with the ratios between."""
        return build_funnel(period, self.values(period, _FUNNEL_KEYS))

    # -- internals ----------------------------------------------------------------------------

    def _read_settings(self, conn: Connection) -> KpiSettings:
        if self._settings is not None:
            return self._settings
        return KpiSettings.from_settings(read_settings(conn, SETTING_PREFIX))

    @staticmethod
    def _values(
        conn: Connection,
        period: Period,
        as_of: datetime,
        keys: list[str],
        settings: KpiSettings,
        with_ids: bool,
        active: ActiveClients | None = None,
    ) -> dict[str, KpiValue]:
        needs: frozenset[Fact] = facts_for(set(keys))
        facts = read_period_facts(
            conn, period, as_of, needs, with_ids=with_ids, active_clients=active
        )
        return compute_values(facts, settings, keys)
