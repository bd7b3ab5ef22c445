"""The catalogue: one definition per indicator of KPIS.md, read by the page, the CLI, the README
and the tests.

English texts are marked with ``N_`` so Babel's extraction collects them into the gettext
catalogue, and ``kpidesk.presentation`` shows them translated. The French labels KPIS.md gives
every indicator are the French catalogue's translations (resources/locale/fr), not data here.

Where KPIS.md leaves a choice open, the choice is written in ``note`` so the rep reads exactly
what is counted.
"""

from __future__ import annotations

from dataclasses import replace

from kpidesk.domain.i18n import N_
from kpidesk.domain.kpis.definition import (
    KpiDefinition,
    KpiGroup,
    KpiUnit,
    Lens,
    LensItem,
    RecordKind,
)

LENS_LABELS = {
    Lens.PROSPECTING: N_("Prospecting"),
    Lens.CLOSING: N_("Closing"),
}

LENSES: dict[Lens, tuple[LensItem, ...]] = {
    Lens.PROSPECTING: (
        LensItem("visits", part="prospecting"),
        LensItem("new_prospects"),
        LensItem("hot_prospects"),
        LensItem("visit_to_offer"),
        LensItem("new_clients"),
        LensItem("recommendation"),
    ),
    Lens.CLOSING: (
        LensItem("conversion"),
        LensItem("follow_up_rate"),
        LensItem("follow_ups"),
        LensItem("stale_offers"),
        LensItem("sales_cycle"),
        LensItem("average_deal"),
    ),
}


def lenses_of(key: str) -> frozenset[Lens]:
    return frozenset(lens for lens, items in LENSES.items() if any(i.key == key for i in items))


_DEFINITIONS: tuple[KpiDefinition, ...] = (
    # -- rates ------------------------------------------------------------------------------
    KpiDefinition(
        key="conversion",
        group=KpiGroup.RATES,
        label=N_("Conversion rate"),
        definition=N_("The share of the offers decided in the period that were won."),
        formula=N_("offers won ÷ offers decided (won + lost + abandoned)"),
        unit=KpiUnit.RATE,
        higher_is_better=True,
        levers=N_("Follow up offers within a week; focus on hot prospects."),
        records=RecordKind.OFFER,
        has_interval=True,
        note=N_(
            "An offer counts in the period its decision date falls in; abandoned offers count "
            "as decided, not won.",
        ),
    ),
    KpiDefinition(
        key="visit_to_offer",
        group=KpiGroup.RATES,
        label=N_("Offers per visit"),
        definition=N_("How many offers were sent in the period for each visit made in it."),
        formula=N_("offers sent ÷ visits done"),
        unit=KpiUnit.RATIO,
        higher_is_better=True,
        levers=N_("Prepare visits to find a need; send the offer soon after the visit."),
        records=RecordKind.OFFER,
        denominator_records=RecordKind.ACTIVITY,
        note=N_("A ratio, not a share: it may exceed 100 % and has no interval."),
    ),
    KpiDefinition(
        key="follow_up_rate",
        group=KpiGroup.RATES,
        label=N_("Follow-up rate"),
        definition=N_(
            "The share of the offers sent in the period that were followed up within 7 days.",
        ),
        formula=N_(
            "offers followed up within 7 days ÷ offers sent in the period and at least 7 days "
            "old at its end",
        ),
        unit=KpiUnit.RATE,
        higher_is_better=True,
        levers=N_("Plan a follow-up call when you send an offer."),
        records=RecordKind.OFFER,
        has_interval=True,
        note=N_(
            "Followed up: a done activity of purpose follow-up, on the offer or on its account, "
            "from the sending time up to (not including) 7 × 24 hours later; an offer decided "
            "in that window counts as followed up. For the current period, its end is now.",
        ),
    ),
    KpiDefinition(
        key="retention",
        group=KpiGroup.RATES,
        label=N_("Retention rate"),
        definition=N_(
            "Of the clients active at the start of the period, the share still active at its end.",
        ),
        formula=N_(
            "(active clients at the end − new clients) ÷ active clients at the start",
        ),
        unit=KpiUnit.RATE,
        higher_is_better=True,
        levers=N_("Keep in touch with every client; offer again before a year has passed."),
        records=RecordKind.ACCOUNT,
        has_interval=True,
        note=N_(
            "An active client has an offer won in the 12 months before that instant. A former "
            "client who orders again in the period is active at the end without being new, so "
            "it counts in the numerator and the rate may exceed 100 % (then it has no "
            "interval). The numerator lists the clients active at the end that are not new.",
        ),
    ),
    KpiDefinition(
        key="recommendation",
        group=KpiGroup.RATES,
        label=N_("Recommendation rate"),
        definition=N_("The share of the period's new clients who came by a referral."),
        formula=N_("new clients from a referral ÷ new clients"),
        unit=KpiUnit.RATE,
        higher_is_better=True,
        levers=N_("Ask happy clients for a referral after a win."),
        records=RecordKind.ACCOUNT,
        has_interval=True,
        note=N_("A referral is an account whose source is referral."),
    ),
    # -- quantities -------------------------------------------------------------------------
    KpiDefinition(
        key="visits",
        group=KpiGroup.QUANTITIES,
        label=N_("Visits"),
        definition=N_("The visits done in the period."),
        formula=N_("visits done (split: prospecting visits and the others)"),
        unit=KpiUnit.COUNT,
        higher_is_better=True,
        levers=N_("Group visits by area to fit more in a day."),
        records=RecordKind.ACTIVITY,
        accumulates=True,
    ),
    KpiDefinition(
        key="calls",
        group=KpiGroup.QUANTITIES,
        label=N_("Calls"),
        definition=N_("The calls done in the period."),
        formula=N_("calls done"),
        unit=KpiUnit.COUNT,
        higher_is_better=True,
        levers=N_("Block a calling slot in your week."),
        records=RecordKind.ACTIVITY,
        accumulates=True,
    ),
    KpiDefinition(
        key="follow_ups",
        group=KpiGroup.QUANTITIES,
        label=N_("Follow-ups"),
        definition=N_("The activities of purpose follow-up done in the period, of any kind."),
        formula=N_("follow-up activities done"),
        unit=KpiUnit.COUNT,
        higher_is_better=True,
        levers=N_("Follow up every open offer at least once a week."),
        records=RecordKind.ACTIVITY,
        accumulates=True,
    ),
    KpiDefinition(
        key="offers_sent",
        group=KpiGroup.QUANTITIES,
        label=N_("Offers sent"),
        definition=N_("The offers sent in the period."),
        formula=N_("offers whose sent date is in the period"),
        unit=KpiUnit.COUNT,
        higher_is_better=True,
        levers=N_("Turn every identified need into an offer quickly."),
        records=RecordKind.OFFER,
        accumulates=True,
        note=N_("Drafts are not counted, even with a sent date."),
    ),
    KpiDefinition(
        key="new_prospects",
        group=KpiGroup.QUANTITIES,
        label=N_("New prospects"),
        definition=N_("The accounts created in the period as a suspect or a prospect."),
        formula=N_("accounts created as suspect or prospect"),
        unit=KpiUnit.COUNT,
        higher_is_better=True,
        levers=N_("Prospect a little every day; ask for referrals."),
        records=RecordKind.ACCOUNT,
        accumulates=True,
        note=N_(
            "The status at creation counts: a prospect that has become a client since is "
            "still a new prospect of the period it was created in.",
        ),
    ),
    KpiDefinition(
        key="new_clients",
        group=KpiGroup.QUANTITIES,
        label=N_("New clients"),
        definition=N_("The accounts whose very first won offer was decided in the period."),
        formula=N_("accounts whose first won offer is in the period"),
        unit=KpiUnit.COUNT,
        higher_is_better=True,
        levers=N_("Follow up the offers of hot prospects first."),
        records=RecordKind.ACCOUNT,
        accumulates=True,
        note=N_("A former client winning again is not new: its first win is older."),
    ),
    # -- money ------------------------------------------------------------------------------
    KpiDefinition(
        key="revenue",
        group=KpiGroup.MONEY,
        label=N_("Revenue"),
        definition=N_("The amount of the offers won in the period, excluding tax."),
        formula=N_("Σ amount of the offers won"),
        unit=KpiUnit.MONEY,
        higher_is_better=True,
        levers=N_("Win more offers, or larger ones."),
        records=RecordKind.OFFER,
        accumulates=True,
        note=N_("Only offers in the report currency (EUR unless set otherwise) are summed."),
    ),
    KpiDefinition(
        key="margin",
        group=KpiGroup.MONEY,
        label=N_("Margin"),
        definition=N_("The margin of the offers won in the period."),
        formula=N_("Σ margin of the offers won"),
        unit=KpiUnit.MONEY,
        higher_is_better=True,
        levers=N_("Defend your prices; sell what earns more."),
        records=RecordKind.OFFER,
        accumulates=True,
        note=N_(
            "Summed over the offers won whose margin is entered, and the tile says on how many "
            "of them; with no margin entered there is no value (unknown, not zero). Report "
            "currency only."
        ),
        on_known_values=True,
    ),
    KpiDefinition(
        key="margin_rate",
        group=KpiGroup.MONEY,
        label=N_("Margin rate"),
        definition=N_("The share of the period's revenue that is margin."),
        formula=N_("margin ÷ revenue, on the offers with a margin"),
        unit=KpiUnit.RATE,
        higher_is_better=True,
        levers=N_("Discount less; favour high-margin products."),
        records=RecordKind.OFFER,
        note=N_(
            "On the offers won whose margin is entered: their margin over their own amount. "
            "No value when no margin is entered."
        ),
        on_known_values=True,
    ),
    KpiDefinition(
        key="average_deal",
        group=KpiGroup.MONEY,
        label=N_("Average deal"),
        definition=N_("The mean amount of the offers won in the period."),
        formula=N_("revenue ÷ number of offers won"),
        unit=KpiUnit.MONEY,
        higher_is_better=True,
        levers=N_("Propose complementary products in each offer."),
        records=RecordKind.OFFER,
        note=N_("Rounded to the cent; offers won in the report currency only."),
    ),
    # -- pipeline quality -------------------------------------------------------------------
    KpiDefinition(
        key="pipeline_value",
        group=KpiGroup.PIPELINE,
        label=N_("Pipeline value"),
        definition=N_(
            "The amount of the offers still waiting for a decision at the end of the period."
        ),
        formula=N_("Σ amount of the offers sent and not yet decided"),
        unit=KpiUnit.MONEY,
        higher_is_better=True,
        levers=N_("Send offers steadily; keep the pipeline fed."),
        records=RecordKind.OFFER,
        note=N_(
            "For a past period the pipeline is rebuilt from the dates: an offer was open at the "
            "end if it was sent before the end, is not a draft, and was not decided before the "
            "end. For the current period, its end is now. Report currency only.",
        ),
    ),
    KpiDefinition(
        key="weighted_pipeline",
        group=KpiGroup.PIPELINE,
        label=N_("Weighted pipeline"),
        definition=N_("The open offers' amounts, each weighted by its chance of being won."),
        formula=N_(
            "Σ amount × probability; the offer's own probability, else by account temperature "
            "(hot 60 %, warm 30 %, cold 10 %)",
        ),
        unit=KpiUnit.MONEY,
        higher_is_better=True,
        levers=N_("Warm up your prospects before sending offers."),
        records=RecordKind.OFFER,
        note=N_(
            "Same offers as the pipeline value. The account's current temperature is used (its "
            "past temperature is not recorded); the probabilities can be changed in the "
            "settings.",
        ),
    ),
    KpiDefinition(
        key="hot_prospects",
        group=KpiGroup.PIPELINE,
        label=N_("Hot prospects"),
        definition=N_("The prospects marked hot at the end of the period."),
        formula=N_("accounts with status prospect and temperature hot"),
        unit=KpiUnit.COUNT,
        higher_is_better=True,
        levers=N_("Qualify prospects: find who has a need and a budget."),
        records=RecordKind.ACCOUNT,
        note=N_(
            "Status and temperature have no history, so for a past period they are rebuilt: an "
            "account created before the end counts if it is a prospect now, or if it is a "
            "client now whose first win came after the end and it was already a prospect then "
            "(created as one, or sent an offer before the end). The current temperature is used.",
        ),
    ),
    KpiDefinition(
        key="stale_offers",
        group=KpiGroup.PIPELINE,
        label=N_("Stale offers"),
        definition=N_("The open offers with nothing done on them for more than 14 days."),
        formula=N_("open offers whose latest activity (or sent date) is over 14 days old"),
        unit=KpiUnit.COUNT,
        higher_is_better=False,
        levers=N_("Call about each stale offer, or close it."),
        records=RecordKind.OFFER,
        note=N_(
            "Open at the end of the period as for the pipeline value. The latest touch is the "
            "later of the sent date and the latest done activity linked to the offer before the "
            "end; stale when it is more than 14 × 24 hours before the end (a setting).",
        ),
    ),
    KpiDefinition(
        key="sales_cycle",
        group=KpiGroup.PIPELINE,
        label=N_("Sales cycle"),
        definition=N_("How long the offers won in the period took, from sending to the win."),
        formula=N_("mean days from sent date to decision, offers won"),
        unit=KpiUnit.DAYS,
        higher_is_better=False,
        levers=N_("Follow up early; agree on a decision date."),
        records=RecordKind.OFFER,
        note=N_("Exact durations, in days of 24 hours."),
    ),
    KpiDefinition(
        key="pipeline_velocity",
        group=KpiGroup.PIPELINE,
        label=N_("Pipeline velocity"),
        definition=N_("How much revenue the pipeline is expected to bring per day."),
        formula=N_("(open offers × average deal × conversion rate) ÷ sales cycle"),
        unit=KpiUnit.MONEY_PER_DAY,
        higher_is_better=True,
        levers=N_("More open offers, larger deals, better conversion or shorter cycles."),
        records=RecordKind.OFFER,
        note=N_(
            "Open offers are those of the pipeline value; the average deal (unrounded), "
            "conversion and sales cycle are the period's. No value when one of them has none.",
        ),
    ),
)

CATALOGUE: tuple[KpiDefinition, ...] = tuple(
    replace(d, lenses=lenses_of(d.key)) for d in _DEFINITIONS
)
KPIS: dict[str, KpiDefinition] = {d.key: d for d in CATALOGUE}
KPI_KEYS: frozenset[str] = frozenset(KPIS)


def definition(key: str) -> KpiDefinition:
    try:
        return KPIS[key]
    except KeyError:
        raise KeyError(f"unknown indicator: {key!r}") from None


def in_group(group: KpiGroup) -> tuple[KpiDefinition, ...]:
    return tuple(d for d in CATALOGUE if d.group is group)
