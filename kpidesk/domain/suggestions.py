"""Suggestions: what is worth doing today, and why, from the rep's own history (KPIS.md).

Pure rules over a snapshot of facts (read by ``kpidesk.store.suggestion_facts``). Every text is a
translatable :class:`Message`; numbers in the evidence carry their n, and evidence that would
mean nothing (groups under 5 decided offers) falls back to the general advice and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from kpidesk.domain.i18n import N_, Message, Money, Percent, plural_message
from kpidesk.domain.kpis import KpiDefinition, KpiUnit, ObjectiveProgress, Pace, Rate
from kpidesk.domain.vocabulary import ActivityKind


class ActionKind(StrEnum):
    PLAN_FOLLOW_UP = "plan_follow_up"  # plan a follow-up call on an offer or account
    LOG_CALL = "log_call"  # open the quick log for the account
    OPEN_ACCOUNT = "open_account"
    OPEN_OFFER = "open_offer"
    OPEN_ACTIVITY = "open_activity"  # the overdue activity itself (mark done, reschedule)
    OPEN_INDICATOR = "open_indicator"  # the indicator's detail on the Indicators page
    RECORD_REFERRAL = "record_referral"  # a new account recommended by this client


@dataclass(frozen=True)
class SuggestedAction:
    kind: ActionKind
    label: Message
    account_id: str | None = None
    offer_id: str | None = None
    activity_id: str | None = None
    kpi_key: str | None = None


@dataclass(frozen=True)
class Suggestion:
    rule: str
    subject_key: str  # what a dismiss or snooze applies to, e.g. "offer:<id>"
    title: Message
    why: Message
    action: SuggestedAction
    priority: int  # higher first
    records: tuple[tuple[str, str], ...]  # (table, id) of the records concerned
    fingerprint: str  # the subject's state: "snoozed until it changes" compares this
    general_advice: bool = False
    # The rule's statistic, the same on each of its cards: :func:`said_once` puts it in the
    # first card's ``why`` only, the others saying their own record's facts.
    evidence: Message | None = None


@dataclass(frozen=True)
class SuggestionSettings:
    stale_offer_days: int = 7
    follow_up_window_days: int = 7
    hot_idle_days: int = 14
    client_idle_days: int = 90
    client_lapse_warning_days: int = 30
    referral_window_days: int = 30
    next_step_window_days: int = 90  # how far back an open offer or a contact asks for a next step
    min_group: int = 5  # below this many decided offers, evidence is general advice


@dataclass(frozen=True)
class OpenOffer:
    id: str
    account_id: str
    account_name: str
    reference: str
    amount_cents: int
    currency: str
    sent_at: datetime
    last_follow_up_at: datetime | None  # a follow-up done on the offer or account since sent
    follow_up_planned: bool  # a follow-up is planned and not done yet
    state: str = ""  # changes whenever the record is edited (its field clocks)


@dataclass(frozen=True)
class OverdueActivity:
    id: str
    account_id: str
    account_name: str
    kind: ActivityKind
    due_at: datetime
    state: str = ""


@dataclass(frozen=True)
class AccountActivity:
    id: str
    name: str
    last_activity_at: datetime | None
    something_planned: bool
    last_won_at: datetime | None = None
    state: str = ""


@dataclass(frozen=True)
class RecentWin:
    offer_id: str
    account_id: str
    account_name: str
    reference: str
    decided_at: datetime
    referral_since: bool


@dataclass(frozen=True)
class NextStepGap:
    """An account of the rep's with nothing planned (no activity due, overdue or not), and one
    reason to plan: an open offer sent to it (``offer``), or its being a hot prospect contacted
    (``offer`` None). The reader lists one gap per open offer and one per hot prospect."""

    account_id: str
    account_name: str
    hot_prospect: bool
    last_contact_at: datetime | None  # the last activity done on the account, by the rep
    offer: OpenOffer | None = None
    state: str = ""  # the account's field clocks


@dataclass(frozen=True)
class FollowUpEvidence:
    """The rep's last 12 months of decided offers, split by follow-up within the window."""

    followed_won: int
    followed_decided: int
    others_won: int
    others_decided: int


@dataclass(frozen=True)
class MonthlyObjective:
    definition: KpiDefinition
    progress: ObjectiveProgress
    month: Message  # the month's name, e.g. "November 2026"
    currency: str = "EUR"


@dataclass(frozen=True)
class ConversionComparison:
    """Conversion over the last window (90 days) and the window before it."""

    current: Rate
    previous: Rate


@dataclass(frozen=True)
class SuggestionFacts:
    now: datetime
    open_offers: list[OpenOffer] = field(default_factory=list)
    overdue: list[OverdueActivity] = field(default_factory=list)
    hot_prospects: list[AccountActivity] = field(default_factory=list)
    clients: list[AccountActivity] = field(default_factory=list)
    recent_wins: list[RecentWin] = field(default_factory=list)
    follow_up_evidence: FollowUpEvidence = FollowUpEvidence(0, 0, 0, 0)
    referral_clients: int = 0  # new clients of the last 12 months who came by referral
    new_clients: int = 0  # all new clients of the last 12 months
    monthly_objectives: list[MonthlyObjective] = field(default_factory=list)
    conversion: ConversionComparison | None = None
    next_step_gaps: list[NextStepGap] = field(default_factory=list)


def _msg(template: str, **params: object) -> Message:
    return Message(template, dict(params))


def _days(delta: timedelta) -> int:
    return max(0, delta.days)


def _percent(won: int, decided: int) -> int:
    return round(100 * won / decided)


def follow_up_evidence_message(evidence: FollowUpEvidence, min_group: int) -> tuple[Message, bool]:
    """The rep's own proof that following up pays, or the general advice when n is too small."""
    e = evidence
    if e.followed_decided < min_group or e.others_decided < min_group:
        return (
            _msg(
                N_(
                    "Offers followed up within a week are won more often. (Your own history "
                    "has too few decided offers to show it yet: {n1} followed up, {n2} not.)",
                ),
                n1=e.followed_decided,
                n2=e.others_decided,
            ),
            True,
        )
    return (
        _msg(
            N_(
                "Over the last 12 months you won {p1} % of the offers you followed up within a "
                "week ({w1} of {n1}) and {p2} % of the others ({w2} of {n2}).",
            ),
            p1=_percent(e.followed_won, e.followed_decided),
            w1=e.followed_won,
            n1=e.followed_decided,
            p2=_percent(e.others_won, e.others_decided),
            w2=e.others_won,
            n2=e.others_decided,
        ),
        False,
    )


def follow_up_stale_offer(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    why, general = follow_up_evidence_message(facts.follow_up_evidence, s.min_group)
    found = []
    for offer in facts.open_offers:
        age = facts.now - offer.sent_at
        if age <= timedelta(days=s.stale_offer_days) or offer.follow_up_planned:
            continue
        if offer.last_follow_up_at is not None:
            continue
        days = _days(age)
        found.append(
            Suggestion(
                rule="follow_up_stale_offer",
                subject_key=f"offer:{offer.id}",
                title=plural_message(
                    "Follow up offer {ref} to {account} (sent {days} day ago)",
                    "Follow up offer {ref} to {account} (sent {days} days ago)",
                    "days",
                    ref=offer.reference,
                    account=offer.account_name,
                    days=days,
                ),
                why=_msg(
                    N_("Offer of {amount}, sent on {date}: no follow-up done or planned since."),
                    amount=Money(offer.amount_cents, offer.currency),
                    date=offer.sent_at.date(),
                ),
                evidence=why,
                action=SuggestedAction(
                    ActionKind.PLAN_FOLLOW_UP,
                    _msg(N_("Plan the follow-up call")),
                    account_id=offer.account_id,
                    offer_id=offer.id,
                ),
                priority=60 + min(20, offer.amount_cents // 500_000),
                records=(("offer", offer.id), ("account", offer.account_id)),
                fingerprint=f"{offer.state}|{offer.last_follow_up_at}|{offer.follow_up_planned}",
                general_advice=general,
            )
        )
    return found


def overdue_follow_up(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    found = []
    for activity in facts.overdue:
        late = facts.now - activity.due_at
        hours = int(late.total_seconds() // 3600)
        if late.days >= 2:
            why = plural_message(
                "It was due {days} day ago.", "It was due {days} days ago.", "days",
                days=late.days,
            )  # fmt: skip
        elif late.days == 1:
            why = _msg(N_("It was due yesterday."))
        elif hours == 0:  # "0 hours ago" reads as a mistake
            why = _msg(N_("It was due less than an hour ago."))
        else:
            why = plural_message(
                "It was due {hours} hour ago.", "It was due {hours} hours ago.", "hours",
                hours=hours,
            )  # fmt: skip
        found.append(
            Suggestion(
                rule="overdue_follow_up",
                subject_key=f"activity:{activity.id}",
                title=_msg(
                    N_("Overdue: {kind} with {account}"),
                    kind=activity.kind,
                    account=activity.account_name,
                ),
                why=why,
                action=SuggestedAction(
                    ActionKind.OPEN_ACTIVITY,
                    _msg(N_("Do it now or move it")),
                    account_id=activity.account_id,
                    activity_id=activity.id,
                ),
                priority=80 + min(15, late.days),
                records=(("activity", activity.id), ("account", activity.account_id)),
                fingerprint=activity.state,
            )
        )
    return found


def hot_prospect_idle(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    found = []
    for account in facts.hot_prospects:
        last = account.last_activity_at
        if account.something_planned:
            continue
        if last is not None and facts.now - last <= timedelta(days=s.hot_idle_days):
            continue
        why = (
            plural_message(
                "Last contact {days} day ago, on {date}; hot prospects cool.",
                "Last contact {days} days ago, on {date}; hot prospects cool.",
                "days",
                days=_days(facts.now - last),
                date=last.date(),
            )
            if last is not None
            else _msg(N_("No contact logged yet."))
        )
        found.append(
            Suggestion(
                rule="hot_prospect_idle",
                subject_key=f"account:{account.id}",
                title=_msg(
                    N_("Call {account}: a hot prospect gone quiet"),
                    account=account.name,
                ),
                why=why,
                action=SuggestedAction(
                    ActionKind.LOG_CALL,
                    _msg(N_("Log a call")),
                    account_id=account.id,
                ),
                priority=55,
                records=(("account", account.id),),
                fingerprint=f"{account.state}|{last}",
            )
        )
    return found


def client_at_risk(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    """A client with no contact for 90 days whose 12-month active window is about to close."""
    found = []
    lapse_after = timedelta(days=365)
    for client in facts.clients:
        if client.something_planned or client.last_won_at is None:
            continue
        last = client.last_activity_at
        if last is not None and facts.now - last <= timedelta(days=s.client_idle_days):
            continue
        lapses_on = client.last_won_at + lapse_after
        if not facts.now <= lapses_on <= facts.now + timedelta(days=s.client_lapse_warning_days):
            continue
        found.append(
            Suggestion(
                rule="client_at_risk",
                subject_key=f"account:{client.id}",
                title=_msg(
                    N_("Visit {account} before they drift away"),
                    account=client.name,
                ),
                why=_msg(
                    N_(
                        "Last order on {order}, last contact {contact}: without an order by "
                        "{lapse} they stop counting as an active client.",
                    ),
                    order=client.last_won_at.date(),
                    contact=last.date() if last else "—",
                    lapse=lapses_on.date(),
                ),
                action=SuggestedAction(
                    ActionKind.PLAN_FOLLOW_UP,
                    _msg(N_("Plan a visit")),
                    account_id=client.id,
                ),
                priority=50,
                records=(("account", client.id),),
                fingerprint=f"{client.state}|{last}|{client.last_won_at}",
            )
        )
    return found


# A few asks a day are plenty; more would turn advice into a to-do list nobody reads.
MAX_REFERRAL_ASKS = 3


def ask_referral(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    if facts.new_clients:
        rate = _msg(
            N_(
                "A happy client is the best moment to ask. {r} of your {n} new clients of the "
                "last 12 months came by recommendation.",
            ),
            r=facts.referral_clients,
            n=facts.new_clients,
        )
    else:
        rate = _msg(N_("A happy client is the best moment to ask for a recommendation."))
    found: list[Suggestion] = []
    seen: set[str] = set()
    for win in sorted(facts.recent_wins, key=lambda w: w.decided_at, reverse=True):
        too_old = facts.now - win.decided_at > timedelta(days=s.referral_window_days)
        if win.referral_since or too_old or win.account_id in seen:
            continue
        if len(found) == MAX_REFERRAL_ASKS:
            break
        seen.add(win.account_id)
        found.append(
            Suggestion(
                rule="ask_referral",
                subject_key=f"account:{win.account_id}",
                title=_msg(
                    N_("Ask {account} for a recommendation"),
                    account=win.account_name,
                ),
                why=_msg(
                    N_("Offer {ref} won on {date}, and no recommendation recorded since."),
                    ref=win.reference,
                    date=win.decided_at.date(),
                ),
                evidence=rate,
                action=SuggestedAction(
                    ActionKind.RECORD_REFERRAL,
                    _msg(N_("Add the account they recommend")),
                    account_id=win.account_id,
                    offer_id=win.offer_id,
                ),
                priority=30,
                records=(("account", win.account_id), ("offer", win.offer_id)),
                fingerprint=str(win.referral_since),
            )
        )
    return found


def _amount(definition: KpiDefinition, value: float, currency: str) -> object:
    """A KPI value as a message parameter the display can format in its unit."""
    if definition.unit in (KpiUnit.MONEY, KpiUnit.MONEY_PER_DAY):
        return Money(round(value), currency)
    if definition.unit is KpiUnit.RATE:
        return Percent(value)
    return round(value, 1) if value % 1 else int(value)


def objective_pace(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    found = []
    for objective in facts.monthly_objectives:
        progress, kpi = objective.progress, objective.definition
        if progress.pace is not Pace.BEHIND or progress.value is None:
            continue
        now_and_target = {
            "value": _amount(kpi, progress.value, objective.currency),
            "target": _amount(kpi, progress.target, objective.currency),
        }
        if progress.needed_per_day is not None:
            why = _msg(
                N_(
                    "{value} so far for a target of {target}: {needed} per remaining working "
                    "day ({days} left) gets you there.",
                ),
                needed=_amount(kpi, progress.needed_per_day, objective.currency),
                days=progress.working_days_total - progress.working_days_elapsed,
                **now_and_target,
            )
        else:
            why = _msg(
                N_("{value} now, for a target of {target}."),
                **now_and_target,
            )
        found.append(
            Suggestion(
                rule="objective_pace",
                subject_key=f"objective:{kpi.key}",
                title=_msg(
                    N_("{kpi}: behind pace for {month}"),
                    kpi=Message(kpi.label),
                    month=objective.month,
                ),
                why=why,
                action=SuggestedAction(
                    ActionKind.OPEN_INDICATOR,
                    _msg(N_("See the indicator")),
                    kpi_key=kpi.key,
                ),
                priority=40,
                records=(("objective", progress.objective_id),) if progress.objective_id else (),
                fingerprint=f"{progress.target}",
            )
        )
    return found


def conversion_drop(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    comparison = facts.conversion
    if comparison is None:
        return []
    now, before = comparison.current, comparison.previous
    if now.value is None or before.value is None or now.value >= before.value:
        return []
    if now.overlaps(before) is not False:  # overlapping (or no) intervals: maybe just chance
        return []
    return [
        Suggestion(
            rule="conversion_drop",
            subject_key="kpi:conversion",
            title=_msg(N_("Your conversion rate has dropped")),
            why=_msg(
                N_(
                    "{p1} of your decided offers were won over the last 90 days ({w1} of {n1}), "
                    "against {p2} in the 90 days before ({w2} of {n2}). Following up your open "
                    "offers within a week is the surest lever.",
                ),
                p1=Percent(now.value),
                w1=now.numerator,
                n1=now.denominator,
                p2=Percent(before.value),
                w2=before.numerator,
                n2=before.denominator,
            ),
            action=SuggestedAction(
                ActionKind.OPEN_INDICATOR,
                _msg(N_("See the indicator")),
                kpi_key="conversion",
            ),
            priority=45,
            records=(),
            fingerprint=f"{now.numerator}/{now.denominator}",
        )
    ]


def _gap_evidence(gaps: list[NextStepGap], offers: list[OpenOffer], now: datetime) -> Message:
    """The account's own facts: what is open, since when, and the last contact."""
    last = gaps[0].last_contact_at
    contact = last.date() if last is not None else _msg(N_("none logged"))
    if len(offers) == 1:
        return _msg(
            N_(
                "Offer {ref} ({amount}) was sent on {sent} and nothing is planned with them; "
                "last contact: {contact}.",
            ),
            ref=offers[0].reference,
            amount=Money(offers[0].amount_cents, offers[0].currency),
            sent=offers[0].sent_at.date(),
            contact=contact,
        )
    if offers:
        return plural_message(
            "{n} open offer ({amount} in all), the latest sent on {sent}, and nothing is "
            "planned with them; last contact: {contact}.",
            "{n} open offers ({amount} in all), the latest sent on {sent}, and nothing is "
            "planned with them; last contact: {contact}.",
            n=len(offers),
            amount=Money(sum(o.amount_cents for o in offers), offers[0].currency),
            sent=offers[0].sent_at.date(),
            contact=contact,
        )
    assert last is not None  # a hot prospect's gap comes from a contact in the window
    return plural_message(
        "A hot prospect, last contact {days} day ago (on {date}), and nothing is planned "
        "with them.",
        "A hot prospect, last contact {days} days ago (on {date}), and nothing is planned "
        "with them.",
        "days",
        days=_days(now - last),
        date=last.date(),
    )


def no_next_step(facts: SuggestionFacts, s: SuggestionSettings) -> list[Suggestion]:
    """An open offer sent, or a hot prospect contacted, within the window, with nothing planned
    on the account. Accounts another rule already speaks for (a stale offer, a hot prospect gone
    quiet) are left to it: one card per account, not two for the same gap."""
    since = facts.now - timedelta(days=s.next_step_window_days)
    covered = {
        record_id
        for rule in (follow_up_stale_offer, hot_prospect_idle)
        for suggestion in rule(facts, s)
        for table, record_id in suggestion.records
        if table == "account"
    }
    by_account: dict[str, list[NextStepGap]] = {}
    for gap in facts.next_step_gaps:
        if gap.account_id not in covered:
            by_account.setdefault(gap.account_id, []).append(gap)
    found = []
    for account_id, gaps in by_account.items():
        offers = sorted(
            (g.offer for g in gaps if g.offer is not None and g.offer.sent_at >= since),
            key=lambda o: (o.sent_at, o.id),
            reverse=True,
        )
        last = gaps[0].last_contact_at
        hot = gaps[0].hot_prospect and last is not None and last >= since
        if not offers and not hot:
            continue
        name = gaps[0].account_name
        title = (
            _msg(N_("No next step with {account}: offer {ref} is open"),
                 account=name, ref=offers[0].reference)
            if offers
            else _msg(N_("No next step with {account}, a hot prospect"), account=name)
        )  # fmt: skip
        found.append(
            Suggestion(
                rule="no_next_step",
                subject_key=f"account:{account_id}",
                title=title,
                why=_gap_evidence(gaps, offers, facts.now),
                action=SuggestedAction(
                    ActionKind.PLAN_FOLLOW_UP,
                    _msg(N_("Plan the next step")),
                    account_id=account_id,
                    offer_id=offers[0].id if offers else None,
                ),
                priority=42 if offers else 38,
                records=(("account", account_id), *(("offer", o.id) for o in offers)),
                fingerprint="|".join(
                    [gaps[0].state, str(last), *(f"{o.id}:{o.state}" for o in offers)]
                ),
            )
        )
    return found


RULES = {
    "follow_up_stale_offer": follow_up_stale_offer,
    "overdue_follow_up": overdue_follow_up,
    "hot_prospect_idle": hot_prospect_idle,
    "client_at_risk": client_at_risk,
    "ask_referral": ask_referral,
    "objective_pace": objective_pace,
    "conversion_drop": conversion_drop,
    "no_next_step": no_next_step,
}


def said_once(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Each rule's statistic on its first card only (in the order given: the visible ones,
    most important first); the next cards of the rule say their record's facts alone, so no
    two cards read alike."""
    told: set[str] = set()
    shown = []
    for suggestion in suggestions:
        if suggestion.evidence is not None and suggestion.rule not in told:
            told.add(suggestion.rule)
            why = _msg(N_("{facts} {evidence}"), facts=suggestion.why, evidence=suggestion.evidence)
            suggestion = replace(suggestion, why=why)
        shown.append(suggestion)
    return shown


def suggest(facts: SuggestionFacts, settings: SuggestionSettings) -> list[Suggestion]:
    """Every rule's suggestions, most important first (one per subject and rule)."""
    found = [s for rule in RULES.values() for s in rule(facts, settings)]
    return sorted(found, key=lambda s: (-s.priority, s.rule, s.subject_key))
