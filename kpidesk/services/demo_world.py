"""A believable, deterministic field sales rep, simulated day by day.

The simulation plants the effects the product teaches, so the indicators and suggestions have
something true to find:

- offers followed up within 7 days win clearly more often than the others;
- hot prospects convert more than warm ones, and warm more than cold ones;
- clients who came by referral stay longer (they order again for longer);
- activity follows the seasons (quiet August and Christmas) and the rep improves over the years.

Everything derives from ``random.Random(seed)`` and the end date, so the same arguments give the
same rows, ids included.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kpidesk.domain.ids import uuid7_from
from kpidesk.domain.outcomes import Outcome
from kpidesk.domain.vocabulary import (
    AccountSource,
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    PeriodKind,
    Temperature,
)

# The demo rep works in France; a fixed zone keeps the data identical on every machine.
DEMO_ZONE = ZoneInfo("Europe/Paris")

ACCOUNTS_PER_YEAR = 200
OFFERS_PER_YEAR = 1000
ACTIVITIES_PER_YEAR = 10_000

SECTORS: dict[str, tuple[tuple[str, ...], int]] = {
    # sector: (name patterns, median offer in euros)
    "Boulangerie": (("Boulangerie {n}", "Au Pain de {c}", "Fournil {n}"), 1800),
    "Restauration": (("Restaurant {n}", "Brasserie du {s}", "Bistrot {n}"), 2600),
    "BTP": (("{n} Construction", "Bâtiment {n} & Fils", "{n} Rénovation"), 9500),
    "Santé": (("Pharmacie {n}", "Cabinet {n}", "Clinique du {s}"), 4200),
    "Industrie": (("{n} Industrie", "Mécanique {n}", "Ateliers {n}"), 14000),
    "Transport": (("Transports {n}", "{n} Logistique", "Express {c}"), 7200),
    "Commerce": (("Maison {n}", "{n} Distribution", "Comptoir de {c}"), 3100),
    "Hôtellerie": (("Hôtel du {s}", "Hôtel {n}", "Relais de {c}"), 5200),
}
CITIES = (
    "Lyon", "Villeurbanne", "Grenoble", "Saint-Étienne", "Annecy", "Vienne", "Bourg-en-Bresse",
    "Mâcon", "Valence", "Chambéry", "Roanne", "Villefranche-sur-Saône",
)  # fmt: skip
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guerin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clement", "Gauthier",
    "Dumas", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Boyer", "Denis", "Lemaire",
    "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noel", "Meyer", "Lucas", "Meunier",
    "Jean", "Perez", "Marchand", "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumont",
    "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland",
    "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard",
)  # fmt: skip
FIRST_NAMES = (
    "Marie", "Jean", "Nathalie", "Pierre", "Isabelle", "Michel", "Sylvie", "Philippe", "Catherine",
    "Alain", "Sophie", "Nicolas", "Julie", "Laurent", "Camille", "Thomas", "Claire", "Antoine",
)  # fmt: skip
PLACES = ("Parc", "Lac", "Marché", "Pont", "Centre", "Château", "Rhône", "Port")
ROLES = ("Gérant(e)", "Responsable achats", "Directeur(trice)", "Assistant(e)", "Chef d'atelier")
# Structured outcomes (kpidesk.domain.outcomes), as the quick log stores them. Each kind's
# tuple keeps the length the free-text lists had, so the same draws give the same world.
CALL_OUTCOMES = (Outcome.REACHED, Outcome.VOICEMAIL, Outcome.MEETING_SET, Outcome.NO_ANSWER,
                 Outcome.NOT_INTERESTED)  # fmt: skip
EMAIL_OUTCOMES = (Outcome.REPLIED, Outcome.NO_REPLY, Outcome.OFFER_REQUESTED, Outcome.NO_REPLY,
                  Outcome.NOT_INTERESTED)  # fmt: skip
VISIT_OUTCOMES = (Outcome.MEETING_HELD, Outcome.OFFER_REQUESTED, Outcome.MEETING_HELD,
                  Outcome.MEETING_SET)  # fmt: skip
OTHER_OUTCOMES = (Outcome.DONE, Outcome.DONE, Outcome.OFFER_REQUESTED, Outcome.DONE,
                  Outcome.NOT_INTERESTED)  # fmt: skip
# The visit an offer came from: mostly a quote asked for.
OFFER_VISIT_OUTCOMES = (Outcome.OFFER_REQUESTED, Outcome.OFFER_REQUESTED, Outcome.MEETING_HELD,
                        Outcome.OFFER_REQUESTED)  # fmt: skip
TOUCH_OUTCOMES = {
    ActivityKind.VISIT: VISIT_OUTCOMES,
    ActivityKind.CALL: CALL_OUTCOMES,
    ActivityKind.EMAIL: EMAIL_OUTCOMES,
    ActivityKind.OTHER: OTHER_OUTCOMES,
}
FOLLOW_UP_OUTCOMES = {
    ActivityKind.CALL: (Outcome.REACHED, Outcome.REACHED, Outcome.VOICEMAIL, Outcome.REACHED),
    ActivityKind.EMAIL: (Outcome.REPLIED, Outcome.NO_REPLY, Outcome.REPLIED, Outcome.REPLIED),
}
LOST_REASONS = ("Prix trop élevé", "Concurrent retenu", "Projet reporté", "Pas de budget")
MONTH_WEIGHT = {
    1: 0.9, 2: 1.0, 3: 1.1, 4: 1.05, 5: 0.95, 6: 1.05,
    7: 0.8, 8: 0.35, 9: 1.1, 10: 1.1, 11: 1.05, 12: 0.75,
}  # fmt: skip
HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))


@dataclass
class _Account:
    row: dict[str, Any]
    created: date
    status: AccountStatus
    temperature: Temperature
    referral: bool
    client_since: date | None = None
    last_won: date | None = None
    loyal_until: date | None = None  # after this day the client stops ordering


@dataclass
class DemoWorld:
    """The rows of a demo data set, ready for bulk insertion."""

    owner_id: str
    accounts: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    offers: list[dict[str, Any]] = field(default_factory=list)
    objectives: list[dict[str, Any]] = field(default_factory=list)


class _Simulation:
    def __init__(self, years: int, seed: int, end: date) -> None:
        self.rng = random.Random(f"kpidesk-demo/{seed}")
        self.years = years
        self.end = end
        self.start = end - timedelta(days=round(365.25 * years))
        self.days = [d for d in _days(self.start, end) if _is_working_day(d)]
        weights = [self._day_weight(d) for d in self.days]
        total = sum(weights)
        self.day_share = [w / total for w in weights]
        self.world = DemoWorld(owner_id=self._id(datetime(2020, 1, 1, tzinfo=UTC)))
        self.accounts: list[_Account] = []
        self.by_day: dict[date, list[_Account]] = {}

    # -- ids and instants -------------------------------------------------------------------

    def _id(self, at: datetime) -> str:
        return uuid7_from(int(at.timestamp() * 1000), self.rng.getrandbits(74))

    def _at(self, day: date, hour: float | None = None) -> datetime:
        """An instant during the working hours of ``day``, in UTC."""
        h = hour if hour is not None else self.rng.uniform(8.0, 18.5)
        minutes = int(h * 60)
        local = datetime.combine(day, time(minutes // 60, minutes % 60), DEMO_ZONE)
        return local.astimezone(UTC).replace(second=self.rng.randrange(60))

    def _day_weight(self, d: date) -> float:
        progress = (d - self.start).days / max(1, (self.end - self.start).days)
        late_december = 0.3 if (d.month == 12 and d.day >= 22) else 1.0
        return MONTH_WEIGHT[d.month] * (0.85 + 0.3 * progress) * late_december

    def _pick_day(self, after: date | None = None) -> date:
        day = self.rng.choices(self.days, weights=self.day_share)[0]
        if after is not None and day < after:
            return self._next_working_day(after + timedelta(days=self.rng.randint(0, 20)))
        return day

    def _next_working_day(self, d: date) -> date:
        while not _is_working_day(d):
            d += timedelta(days=1)
        return d

    # -- the book of accounts -----------------------------------------------------------------

    def build_accounts(self) -> None:
        total = ACCOUNTS_PER_YEAR * self.years
        existing = total // 8  # the rep's book when the data starts
        for index in range(total):
            if index < existing:
                created = self.start - timedelta(days=self.rng.randint(30, 900))
                status = AccountStatus.CLIENT
            else:
                created = self._pick_day()
                status = self.rng.choice((AccountStatus.SUSPECT,) + (AccountStatus.PROSPECT,) * 2)
            self._add_account(created, status)
        self.accounts.sort(key=lambda a: a.created)
        for account in self.accounts:
            self.by_day.setdefault(account.created, []).append(account)

    def _add_account(self, created: date, status: AccountStatus) -> None:
        rng = self.rng
        sector = rng.choice(list(SECTORS))
        patterns, _ = SECTORS[sector]
        city = rng.choice(CITIES)
        name = rng.choice(patterns).format(n=rng.choice(SURNAMES), c=city, s=rng.choice(PLACES))
        referral = status is not AccountStatus.CLIENT and rng.random() < 0.22
        source = AccountSource.REFERRAL if referral else rng.choices(
            (AccountSource.PROSPECTING, AccountSource.INBOUND, AccountSource.EVENT,
             AccountSource.OTHER), weights=(62, 20, 12, 6))[0]  # fmt: skip
        warm_bias = (2, 4, 3) if referral else (5, 3, 1.5)
        temperature = rng.choices(
            (Temperature.COLD, Temperature.WARM, Temperature.HOT), weights=warm_bias
        )[0]
        created_at = self._at(created) if created >= self.start else self._at(created, 9.0)
        account_id = self._id(created_at)
        row = {
            "id": account_id,
            "name": name,
            "status": status,
            "created_status": status,
            "temperature": temperature,
            "source": source,
            "referred_by": None,
            "sector": sector,
            "city": city,
            "address": f"{rng.randint(1, 180)} rue {rng.choice(SURNAMES)}, {city}",
            "phone": f"04 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
            f"{rng.randint(10, 99)}",
            "email": None,
            "notes": None,
            "created_at": created_at,
        }
        account = _Account(row, created, status, temperature, referral)
        if status is AccountStatus.CLIENT:
            account.client_since = created
            account.loyal_until = self._loyalty_end(created, referral=False)
        self.accounts.append(account)
        self.world.accounts.append(row)
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
            self.world.contacts.append(
                {
                    "id": self._id(created_at),
                    "account_id": account_id,
                    "name": f"{first} {last}",
                    "role": rng.choice(ROLES),
                    "phone": f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                    f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "email": f"{first.lower()}.{last.lower()}@example.fr",
                    "notes": None,
                    "created_at": created_at,
                }
            )

    def _loyalty_end(self, since: date, *, referral: bool) -> date:
        # Referred clients stay about twice as long: the effect "referred clients stay longer".
        mean_days = 1900 if referral else 900
        return since + timedelta(days=int(self.rng.expovariate(1 / mean_days)) + 120)

    # -- the day-by-day life of the pipeline ------------------------------------------------

    def run(self, progress: Callable[[float], None] = lambda _done: None) -> None:
        """Live the days; ``progress`` hears the share of them lived (0 to 1), monthly."""
        offers_left = OFFERS_PER_YEAR * self.years
        offer_days = self.rng.choices(self.days, weights=self.day_share, k=offers_left)
        offers_by_day: dict[date, int] = {}
        for d in offer_days:
            offers_by_day[d] = offers_by_day.get(d, 0) + 1
        live: list[_Account] = [a for a in self.accounts if a.created < self.start]
        pending: list[tuple[date, _Account, dict[str, Any]]] = []  # decisions still to happen
        days = _days(self.start, self.end)
        for n, day in enumerate(days):
            if n % 30 == 0:
                progress(n / len(days))
            live.extend(self.by_day.get(day, []) if day >= self.start else [])
            still: list[tuple[date, _Account, dict[str, Any]]] = []
            for decide_on, account, offer in pending:
                if decide_on <= day:
                    self._decide(account, offer, decide_on)
                else:
                    still.append((decide_on, account, offer))
            pending = still
            for account in live:
                if (
                    account.status is AccountStatus.CLIENT
                    and account.last_won is not None
                    and (day - account.last_won).days > 365
                ):
                    account.status = AccountStatus.FORMER
            for _ in range(offers_by_day.get(day, 0)):
                account = self._pick_offer_account(live, day)
                if account is not None:
                    pending.append(self._send_offer(account, day))
        for account in self.accounts:
            account.row["status"] = account.status
            account.row["temperature"] = account.temperature

    def _pick_offer_account(self, live: list[_Account], day: date) -> _Account | None:
        clients = [
            a for a in live if a.status is AccountStatus.CLIENT and (a.loyal_until or day) >= day
        ]
        prospects = [a for a in live if a.status in (AccountStatus.SUSPECT, AccountStatus.PROSPECT)]
        if clients and (not prospects or self.rng.random() < 0.5):
            weights = [1.6 if a.referral else 1.0 for a in clients]
            return self.rng.choices(clients, weights=weights)[0]
        if not prospects:
            return None
        heat = {Temperature.HOT: 5.0, Temperature.WARM: 3.0, Temperature.COLD: 1.0}
        return self.rng.choices(prospects, weights=[heat[a.temperature] for a in prospects])[0]

    def _send_offer(self, account: _Account, day: date) -> tuple[date, _Account, dict[str, Any]]:
        rng = self.rng
        if account.status is AccountStatus.SUSPECT:
            account.status = AccountStatus.PROSPECT
        _, median = SECTORS[account.row["sector"]]
        amount = max(150.0, rng.lognormvariate(math.log(median), 0.6))
        amount_cents = int(round(amount, -1) * 100)
        sent_at = self._at(day)
        offer = {
            "id": self._id(sent_at),
            "account_id": account.row["id"],
            "reference": "",  # numbered per year once every offer is known
            "title": rng.choice(("Devis", "Proposition", "Offre")) + f" {account.row['sector']}",
            "amount_cents": amount_cents,
            "margin_cents": int(amount_cents * rng.uniform(0.18, 0.42)),
            "currency": "EUR",
            "status": OfferStatus.SENT,
            "sent_at": sent_at,
            "decided_at": None,
            "lost_reason": None,
            "probability": round(rng.choice((0.2, 0.4, 0.5, 0.7)), 2)
            if rng.random() < 0.1
            else None,
            "created_at": sent_at - timedelta(hours=rng.randint(1, 30)),
        }
        self.world.offers.append(offer)
        is_client = account.status is AccountStatus.CLIENT
        if rng.random() < 0.65:  # the visit that led to the offer
            visit_day = self._next_working_day(day - timedelta(days=rng.randint(2, 12)))
            self._activity(
                account, visit_day if visit_day <= day else day, ActivityKind.VISIT,
                ActivityPurpose.ACCOUNT_MANAGEMENT if is_client else ActivityPurpose.PROSPECTING,
                rng.choice(OFFER_VISIT_OUTCOMES),
            )  # fmt: skip
        progress = (day - self.start).days / max(1, (self.end - self.start).days)
        followed = rng.random() < 0.38 + 0.3 * progress  # the rep learns to follow up
        if followed:
            follow_day = self._next_working_day(day + timedelta(days=rng.randint(2, 6)))
            kind = rng.choice((ActivityKind.CALL, ActivityKind.CALL, ActivityKind.EMAIL))
            self._activity(
                account, follow_day, kind, ActivityPurpose.FOLLOW_UP,
                rng.choice(FOLLOW_UP_OUTCOMES[kind]),
                offer_id=offer["id"], planned_days_before=rng.choice((0, 3, 5)),
            )  # fmt: skip
        elif rng.random() < 0.3:  # a late follow-up, after the first week
            late_day = self._next_working_day(day + timedelta(days=rng.randint(9, 25)))
            self._activity(
                account, late_day, ActivityKind.CALL, ActivityPurpose.FOLLOW_UP,
                rng.choice(FOLLOW_UP_OUTCOMES[ActivityKind.CALL]), offer_id=offer["id"],
            )  # fmt: skip
        base = 0.36 if is_client else 0.15
        heat = {Temperature.HOT: 1.7, Temperature.WARM: 1.1, Temperature.COLD: 0.55}
        p_win = min(0.92, base * heat[account.temperature] * (2.0 if followed else 1.0))
        won = rng.random() < p_win
        if won:
            delay = rng.randint(5, 40)
            offer["_outcome"] = OfferStatus.WON
        elif rng.random() < (0.15 if followed else 0.4):
            delay = rng.randint(45, 120)
            offer["_outcome"] = OfferStatus.ABANDONED
        else:
            delay = rng.randint(8, 60)
            offer["_outcome"] = OfferStatus.LOST
        return self._next_working_day(day + timedelta(days=delay)), account, offer

    def _decide(self, account: _Account, offer: dict[str, Any], day: date) -> None:
        if day >= self.end:
            return
        outcome = offer.pop("_outcome")
        offer["status"] = outcome
        offer["decided_at"] = max(self._at(day), offer["sent_at"] + timedelta(hours=1))
        if outcome is OfferStatus.LOST:
            offer["lost_reason"] = self.rng.choice(LOST_REASONS)
        if outcome is OfferStatus.WON:
            if account.status is not AccountStatus.CLIENT:
                account.status = AccountStatus.CLIENT
                account.client_since = day
                account.loyal_until = self._loyalty_end(day, referral=account.referral)
            account.last_won = day

    # -- activities -------------------------------------------------------------------------

    def _activity(
        self,
        account: _Account,
        day: date,
        kind: ActivityKind,
        purpose: ActivityPurpose,
        outcome: Outcome | None,
        *,
        offer_id: str | None = None,
        planned_days_before: int = 0,
    ) -> None:
        when = self._at(day)
        planned = day >= self.end
        due_at = when if planned or planned_days_before else None
        self.world.activities.append(
            {
                "id": self._id(when),
                "account_id": account.row["id"],
                "contact_id": None,
                "offer_id": offer_id,
                "kind": kind,
                "purpose": purpose,
                "due_at": due_at,
                "done_at": None if planned else when,
                "outcome": None if planned or outcome is None else outcome.value,
                "notes": None,
                "created_at": when - timedelta(days=planned_days_before),
            }
        )

    def fill_activities(self) -> None:
        """Prospecting and account-management touches up to the yearly volume."""
        target = ACTIVITIES_PER_YEAR * self.years
        missing = max(0, target - len(self.world.activities))
        days = sorted(self.rng.choices(self.days, weights=self.day_share, k=missing))
        created = [a.created for a in self.accounts]
        clients = sorted((a for a in self.accounts if a.client_since), key=lambda a: a.client_since)
        client_since = [a.client_since for a in clients]
        for day in days:
            account = None
            if self.rng.random() < 0.45:
                account = self._prospect_on(day, created)
            if account is not None:
                purpose = ActivityPurpose.PROSPECTING
                kind = self.rng.choices(
                    (ActivityKind.CALL, ActivityKind.VISIT, ActivityKind.EMAIL, ActivityKind.OTHER),
                    (6, 2.5, 1.5, 0.3),
                )[0]
            else:
                known = _count_le(client_since, day)
                if known == 0:
                    continue
                account = clients[self.rng.randrange(known)]
                purpose = ActivityPurpose.ACCOUNT_MANAGEMENT
                kind = self.rng.choices(
                    (ActivityKind.VISIT, ActivityKind.CALL, ActivityKind.EMAIL), (3, 5, 2)
                )[0]
            outcome = self.rng.choice(TOUCH_OUTCOMES[kind])
            self._activity(account, day, kind, purpose, outcome)
        self._plan_upcoming()

    def _prospect_on(self, day: date, created: list[date]) -> _Account | None:
        """A random account that was a suspect or prospect on ``day``, if one is found."""
        known = _count_le(created, day)
        for _ in range(20):
            if known == 0:
                return None
            account = self.accounts[self.rng.randrange(known)]
            if account.client_since is None or account.client_since > day:
                return account
        return None

    def _plan_upcoming(self) -> None:
        """What the rep has in the diary: a few overdue calls and the next two weeks."""
        open_accounts = [a for a in self.accounts if a.status is not AccountStatus.FORMER]
        for offset in (-4, -2, -1, 0, 0, 1, 1, 2, 3, 3, 5, 7, 8, 10, 12, 14):
            account = self.rng.choice(open_accounts)
            day = self._next_working_day(self.end + timedelta(days=offset))
            when = self._at(day)
            self.world.activities.append(
                {
                    "id": self._id(when),
                    "account_id": account.row["id"],
                    "contact_id": None,
                    "offer_id": None,
                    "kind": self.rng.choice((ActivityKind.CALL, ActivityKind.VISIT)),
                    "purpose": self.rng.choice(
                        (ActivityPurpose.FOLLOW_UP, ActivityPurpose.ACCOUNT_MANAGEMENT)
                    ),
                    "due_at": when,
                    "done_at": None,
                    "outcome": None,
                    "notes": None,
                    "created_at": when - timedelta(days=7),
                }
            )

    def finish(self) -> DemoWorld:
        world = self.world
        for offer in world.offers:
            offer.pop("_outcome", None)  # decided after the end: still in the pipeline
        counters: dict[int, int] = {}
        for offer in sorted(world.offers, key=lambda o: o["sent_at"]):
            year = offer["sent_at"].astimezone(DEMO_ZONE).year
            counters[year] = counters.get(year, 0) + 1
            offer["reference"] = f"{year}-{counters[year]:03d}"
        self._referrals()
        world.objectives = self._objectives()
        for rows in (world.accounts, world.contacts, world.activities, world.offers):
            rows.sort(key=lambda r: r["id"])
        return world

    def _referrals(self) -> None:
        # A referred account names a client that existed before it.
        clients_by_since = sorted(
            (a for a in self.accounts if a.client_since is not None), key=lambda a: a.client_since
        )
        since = [a.client_since for a in clients_by_since]
        for account in self.accounts:
            if not account.referral:
                continue
            n = _count_le(since, account.created - timedelta(days=1))
            if n:
                account.row["referred_by"] = clients_by_since[self.rng.randrange(n)].row["id"]

    def _objectives(self) -> list[dict[str, Any]]:
        """Targets a manager would set: a little above the rep's own last twelve months."""
        year_ago = datetime.combine(self.end - timedelta(days=365), time(0), UTC)
        recent_visits = sum(
            1
            for a in self.world.activities
            if a["kind"] is ActivityKind.VISIT and a["done_at"] and a["done_at"] >= year_ago
        )
        recent_offers = [o for o in self.world.offers if o["sent_at"] >= year_ago]
        won = [o for o in self.world.offers
               if o["status"] is OfferStatus.WON and o["decided_at"] >= year_ago]  # fmt: skip
        revenue = sum(o["amount_cents"] for o in won)

        def monthly(total: float, step: int) -> int:
            return max(step, round(total / 12 * 1.1 / step) * step)

        return [
            self._objective("visits", PeriodKind.MONTH, monthly(recent_visits, 10)),
            self._objective("offers_sent", PeriodKind.MONTH, monthly(len(recent_offers), 5)),
            self._objective("conversion", PeriodKind.MONTH, 0.45),
            self._objective("revenue", PeriodKind.MONTH, monthly(revenue, 500_000)),
            self._objective("new_clients", PeriodKind.QUARTER, 12),
        ]

    def _objective(self, key: str, kind: PeriodKind, target: float) -> dict[str, Any]:
        at = datetime.combine(self.start, time(9), DEMO_ZONE).astimezone(UTC)
        return {"id": self._id(at), "kpi_key": key, "period_kind": kind, "target": target,
                "created_at": at}  # fmt: skip


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days)]


def _is_working_day(d: date) -> bool:
    return d.weekday() < 5 and (d.month, d.day) not in HOLIDAYS


def _count_le(sorted_days: list[date], day: date) -> int:
    """How many of ``sorted_days`` are on or before ``day``."""
    return bisect.bisect_right(sorted_days, day)


def simulate(
    years: int, seed: int, end: date, progress: Callable[[float], None] = lambda _done: None
) -> DemoWorld:
    """The rows of a ``years``-long history ending on ``end`` (exclusive); ``progress`` hears
    how much of the work is done (0 to 1): living the days is most of it."""
    if not 1 <= years <= 20:
        raise ValueError("years must be between 1 and 20")
    sim = _Simulation(years, seed, end)
    sim.build_accounts()
    sim.run(lambda done: progress(0.05 + 0.75 * done))
    progress(0.8)
    sim.fill_activities()
    world = sim.finish()
    progress(1.0)
    return world
