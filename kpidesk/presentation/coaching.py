"""How the team view reads (issue "The manager as a coach"): one rep's pipeline quality in
lines of label, value and detail, the same on the team page, in "What my manager sees", in
``kpidesk team`` and in the 1:1 agenda.

Rates always show what they are made of ("7 / 12") and their interval; activity counts are a
line only for a rep who shares them, and say so otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from kpidesk.domain.coaching import (
    ActivityCounts,
    ProposalAction,
    ProposalState,
    RateFigure,
    RepQuality,
)
from kpidesk.domain.kpis.catalogue import KPIS
from kpidesk.domain.sync_problems import ProblemKind
from kpidesk.presentation.formats import DASH, Formatter
from kpidesk.presentation.kpis import KpiDisplay, kpi_text
from kpidesk.presentation.labels import label
from kpidesk.presentation.periods import kind_label
from kpidesk.presentation.sync import Audience, problem_text
from kpidesk.presentation.translation import N_, _, ngettext, pgettext


@dataclass(frozen=True)
class QualityLine:
    key: str  # stable, for --json and tests
    label: str
    value: str
    detail: str = ""


PROPOSAL_STATES = {
    ProposalState.WAITING_FOR_REP: N_("waiting for the rep's answer"),
    ProposalState.WAITING_FOR_MANAGER: N_("waiting for the manager's answer"),
    ProposalState.AGREED: N_("agreed"),
    ProposalState.WITHDRAWN: N_("withdrawn by the manager"),
    ProposalState.DECLINED: N_("declined by the rep"),
}
PROPOSAL_ACTIONS = {
    ProposalAction.PROPOSE: N_("proposed"),
    ProposalAction.ACCEPT: N_("accepted"),
    ProposalAction.COUNTER: N_("answered with another target"),
    ProposalAction.WITHDRAW: N_("withdrew it"),
    ProposalAction.DECLINE: N_("declined it"),
}


def _counts(counts: ActivityCounts) -> str:
    """ "1 visit · 3 calls · 0 follow-ups"."""
    return " · ".join(
        (
            ngettext("{n} visit", "{n} visits", counts.visits).format(n=counts.visits),
            ngettext("{n} call", "{n} calls", counts.calls).format(n=counts.calls),
            ngettext("{n} follow-up", "{n} follow-ups", counts.follow_ups).format(
                n=counts.follow_ups
            ),
        )
    )


class CoachingWords:
    def __init__(self, fmt: Formatter | None = None, currency: str = "EUR") -> None:
        self.fmt = fmt or Formatter()
        self.display = KpiDisplay(self.fmt, currency)
        self.currency = currency

    def money(self, cents: int | None) -> str:
        return self.fmt.money(cents, self.currency)

    def rate(self, rate: RateFigure) -> str:
        """ "58 % (7 / 12)", or "— (0 / 0)": a rate always shows what it is made of."""
        return f"{self.fmt.percent(rate.value)} ({rate.numerator} / {rate.denominator})"

    def interval(self, rate: RateFigure) -> str:
        return self.display.interval(rate.as_rate())

    def days(self, value: float | None) -> str:
        if value is None:
            return DASH
        return ngettext("{n} day", "{n} days", 1 if value == 1 else 2).format(
            n=self.fmt.number(value, 0 if value == round(value) else 1)
        )

    def coverage(self, rep: RepQuality) -> QualityLine:
        text = _("Coverage of the remaining objective")
        if rep.revenue_objective_cents is None:
            return QualityLine("pipeline_coverage", text, DASH, _("no revenue objective"))
        if rep.pipeline_coverage is None:
            return QualityLine("pipeline_coverage", text, DASH, _("objective reached"))
        remaining = rep.revenue_objective_cents - rep.revenue_cents
        detail = _("weighted pipeline ÷ {remaining} still to win").format(
            remaining=self.money(remaining)
        )
        return QualityLine(
            "pipeline_coverage", text, "×" + self.fmt.number(rep.pipeline_coverage, 1), detail
        )

    def lines(self, rep: RepQuality) -> list[QualityLine]:
        """The rep's pipeline quality, most telling first."""
        open_count = len(rep.open_offers)
        lines = [
            QualityLine(
                "pipeline_value", _("Open pipeline"), self.money(rep.pipeline_value_cents),
                ngettext("{n} open offer", "{n} open offers", open_count).format(n=open_count),
            ),
            QualityLine(
                "weighted_pipeline", _("Weighted pipeline"),
                self.money(rep.weighted_pipeline_cents),
                _("each offer × its chance of being won"),
            ),
            self.coverage(rep),
            QualityLine(
                "open_offer_age", _("Age of open offers"),
                self.days(rep.open_offer_age_median_days),
                _("median · 90th percentile {p90}").format(
                    p90=self.days(rep.open_offer_age_p90_days)
                ) if rep.open_offer_age_p90_days is not None else "",
            ),
            QualityLine(
                "next_step_planned", _("Next step planned"), self.rate(rep.next_step_planned),
                _("open offers and hot prospects with a planned activity"),
            ),
            QualityLine("hot_prospects", _("Hot prospects"), self.fmt.number(rep.hot_prospects)),
            QualityLine(
                "stale_offers", _("Stale offers"), self.fmt.number(rep.stale_offers),
                _("no activity for more than 14 days"),
            ),
            QualityLine(
                "conversion", _("Conversion"), self.rate(rep.conversion),
                self.interval(rep.conversion),
            ),
            QualityLine(
                "conversion_by_temperature", _("Conversion by temperature"),
                " · ".join(
                    f"{label(split.temperature)} {self.rate(split.rate)}"
                    for split in rep.conversion_by_temperature
                ),
            ),
            QualityLine(
                "follow_up_rate", _("Followed up within 7 days"),
                self.rate(rep.follow_up_rate), self.interval(rep.follow_up_rate),
            ),
        ]  # fmt: skip
        counts = rep.activity_counts
        if counts is None:
            detail = _("only the rep can choose to share them")
            value = pgettext("activities", "not shared")
            lines.append(QualityLine("activity_counts", _("Activities"), value, detail))
        else:
            lines.append(
                QualityLine(
                    "activity_counts", _("Activities"),
                    _counts(counts),
                    pgettext("activities", "shared by the rep"),
                )
            )  # fmt: skip
        return lines

    def objective_lines(self, rep: RepQuality) -> list[QualityLine]:
        lines = []
        for objective in rep.objectives:
            definition = KPIS.get(objective.kpi_key)
            if definition is None:
                continue
            value = (
                pgettext("indicator", "not shared") if objective.value is None
                else self.display.value(definition, objective.value)
            )  # fmt: skip
            detail = _("target {target} · {pace}").format(
                target=self.display.value(definition, objective.target),
                pace=self.pace(objective.pace),
            )
            lines.append(QualityLine(objective.kpi_key, kpi_text(definition.label), value, detail))
        return lines

    @staticmethod
    def pace(pace: str | None) -> str:
        return {
            "ahead": _("ahead of pace"),
            "on_pace": _("on pace"),
            "behind": _("behind pace"),
        }.get(pace or "", _("no pace yet"))

    def proposal_summary(self, kpi_key: str, period_kind: str, target: float) -> str:
        """ "Revenue per month: €20,000"."""
        definition = KPIS.get(kpi_key)
        shown = self.display.value(definition, target) if definition else str(target)
        name = kpi_text(definition.label) if definition else kpi_key
        return _("{indicator} per {period}: {target}").format(
            indicator=name, period=kind_label(period_kind).lower(), target=shown
        )

    @staticmethod
    def state(state: ProposalState) -> str:
        return _(PROPOSAL_STATES[state])

    @staticmethod
    def action(action: ProposalAction) -> str:
        return _(PROPOSAL_ACTIONS[action])


def needs_server_text(
    kind: ProblemKind | str | None, message: str, audience: Audience = Audience.GUI
) -> str:
    """Why a proposal, an answer or a change of sharing did not go through. These are not
    kept to be sent later (they change what someone else sees): the words say so."""
    kind = ProblemKind(kind) if kind else None
    if kind is ProblemKind.OFFLINE:
        return _(
            "This needs the team server, which cannot be reached now: nothing was sent. Try "
            "again once you are online."
        )
    if kind in (ProblemKind.REFUSED, None):
        return message  # the server's own reason (closed proposal, not your team...)
    return problem_text(kind, message, audience)
