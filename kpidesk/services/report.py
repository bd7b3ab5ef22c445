"""The review report's content, built without Qt: which numbers and which rows it shows.

The PDF (``kpidesk.ui.report``) only lays this out. The indicators are the very
:class:`KpiReport` that ``kpidesk kpi --json`` prints for the same period, so every number in
the PDF is one of those; the hot list and the stale offers are my own, as on Today.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime

from kpidesk.domain.kpis import KpiReport
from kpidesk.domain.periods import Period
from kpidesk.domain.suggestions import FollowUpEvidence
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.services.kpis import HistoryPoint
from kpidesk.services.rows import OfferFilter, OfferRow
from kpidesk.services.suggestions import load_settings
from kpidesk.services.today import HotItem, hot_list
from kpidesk.store.suggestion_facts import read_facts

# The indicators drawn as a chart: the four a rep reviews first (DESIGN.md, "weekly review").
HEADLINE = ("conversion", "revenue", "pipeline_value", "visits")
HISTORY_PERIODS = 8
MAX_STALE_ROWS = 25


@dataclass(frozen=True)
class ReviewReport:
    rep_name: str | None
    kpis: KpiReport
    history: dict[str, list[HistoryPoint]]  # HEADLINE key -> oldest first, ending with period
    hot: list[HotItem]
    stale: list[OfferRow]  # the offers the stale-offers indicator counts, oldest sent first
    evidence: FollowUpEvidence
    min_group: int  # below this many decided offers, the evidence is general advice
    made_at: datetime

    @property
    def period(self) -> Period:
        return self.kpis.period


def computer_user_name() -> str | None:
    """Whose computer this is, for a rep who never gave a name (never signed in, started
    from an import): the account's full name where the system keeps one, else its login."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment, no passwd entry
        return None
    try:
        import pwd  # Unix only

        full = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError):
        full = ""
    return full or login or None


def build_review(workspace: object, period: Period, now: datetime | None = None) -> ReviewReport:
    """Everything the review report shows for ``period``, of my records only."""
    ws = workspace  # a Workspace; not imported, the workspace module imports this one's peers
    now = now or utc_now()
    kpis = ws.kpis.compute(period)  # type: ignore[attr-defined]
    history = {key: ws.kpis.history(key, period, HISTORY_PERIODS) for key in HEADLINE}  # type: ignore[attr-defined]
    sent = ws.offers.list(  # type: ignore[attr-defined]
        OfferFilter(statuses=frozenset({OfferStatus.SENT}), mine=True)
    )
    stale_ids = set(kpis["stale_offers"].current.ids)
    stale = sorted((o for o in sent if o.id in stale_ids), key=lambda o: o.sent_at or now)
    hot = hot_list(ws.accounts.list(mine=True), sent)  # type: ignore[attr-defined]
    with ws.db.read() as conn:  # type: ignore[attr-defined]
        settings = load_settings(conn)
        evidence = read_facts(conn, now, settings).follow_up_evidence
    return ReviewReport(
        rep_name=ws.profile().name or computer_user_name(),  # type: ignore[attr-defined]
        kpis=kpis,
        history=history,
        hot=hot,
        stale=stale[:MAX_STALE_ROWS],
        evidence=evidence,
        min_group=settings.min_group,
        made_at=now,
    )
