"""A small, hand-built book of a rep in Paris, around March 2026, for the indicator tests.

Every record is here for a reason, written next to it. Times are local Paris wall times
(``L(...)``), stored in UTC like every instant. March 2026 runs from 1 March 00:00 CET
(28 Feb 23:00 UTC) to 1 April 00:00 CEST (31 March 22:00 UTC); clocks go forward on Sunday
29 March at 02:00. In Paris a wall time just after midnight on the 1st is still the previous
day in UTC: those records test that periods follow the local calendar, not UTC dates.

The expected values are worked out by hand in the tests that use this data set
(tests/services/test_kpis_by_hand.py); this module only writes the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from kpidesk.store.changes import changes
from kpidesk.store.database import Database

PARIS = ZoneInfo("Europe/Paris")


def L(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Paris wall time as a UTC instant."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS).astimezone(UTC)


@dataclass
class Book:
    """The ids of the records, by the short names the tests use (A1, O10, V1...)."""

    ids: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> str:
        return self.ids[name]

    def of(self, *names: str) -> set[str]:
        return {self.ids[n] for n in names}


# name: status, created_status, temperature, source, created_at
ACCOUNTS = {
    "A1": ("client", "client", "warm", "prospecting", L(2024, 1, 1, 9)),
    "A2": ("client", "client", "cold", "prospecting", L(2024, 1, 1, 9)),
    "A3": ("former", "client", "cold", "prospecting", L(2024, 1, 1, 9)),  # lapses in March
    "A4": ("client", "prospect", "warm", "prospecting", L(2023, 6, 1, 9)),  # reactivated
    "A5": ("client", "prospect", "hot", "referral", L(2026, 2, 10, 9)),  # new client, referred
    "A6": ("client", "prospect", "hot", "prospecting", L(2026, 1, 15, 9)),  # won at 1 Mar 00:00
    "A7": ("client", "prospect", "hot", "event", L(2025, 11, 1, 9)),  # won at 1 Apr 00:00
    "H1": ("client", "suspect", "hot", "prospecting", L(2025, 12, 1, 9)),  # offer in March
    "H2": ("client", "suspect", "hot", "prospecting", L(2025, 12, 1, 9)),  # offer in April
    "P0": ("prospect", "suspect", "cold", "prospecting", L(2026, 3, 1, 0, 30)),  # UTC: 28 Feb
    "P1": ("prospect", "prospect", "hot", "inbound", L(2026, 3, 31, 23, 30)),
    "P2": ("prospect", "prospect", "hot", "inbound", L(2026, 4, 1, 0, 30)),  # UTC: 31 Mar
    "P3": ("prospect", "prospect", "cold", "prospecting", L(2026, 1, 20, 9)),
    "P4": ("suspect", "suspect", "hot", "prospecting", L(2026, 3, 6, 9)),
    "C1": ("client", "client", "warm", "other", L(2026, 3, 7, 9)),  # created as a client
    "D1": ("prospect", "prospect", "hot", "prospecting", L(2026, 3, 8, 9)),  # deleted
}
DELETED_ACCOUNTS = {"D1"}

# name: account, amount, margin, currency, status, sent_at, decided_at, probability
OFFERS = {
    "O1": ("A1", 100_000, 30_000, "EUR", "won", L(2025, 5, 20, 10), L(2025, 6, 10, 10), None),
    "O2": ("A2", 100_000, 30_000, "EUR", "won", L(2025, 8, 1, 10), L(2025, 9, 1, 10), None),
    "O3": ("A3", 200_000, 60_000, "EUR", "won", L(2025, 2, 20, 10), L(2025, 3, 15, 10), None),
    "O4": ("A4", 100_000, 30_000, "EUR", "won", L(2023, 12, 20, 10), L(2024, 1, 10, 10), None),
    "O10": ("A1", 500_000, 150_000, "EUR", "won", L(2026, 2, 20, 9), L(2026, 3, 10, 15), None),
    "O11": ("A4", 300_000, None, "EUR", "won", L(2026, 3, 2, 10), L(2026, 3, 10, 11), None),
    # Sent in winter time, won in summer time: 10 days minus one hour.
    "O12": ("A5", 200_002, 50_000, "EUR", "won", L(2026, 3, 20, 10), L(2026, 3, 30, 10), None),
    "O13": ("A6", 100_000, 30_000, "EUR", "won", L(2026, 2, 25, 12), L(2026, 3, 1), None),
    "O14": ("A7", 999_900, 300_000, "EUR", "won", L(2026, 3, 20, 10), L(2026, 4, 1), None),
    "O15": ("A2", 40_000, None, "EUR", "lost", L(2026, 2, 10, 10), L(2026, 3, 12, 10), None),
    "O16": ("P3", 70_000, None, "EUR", "abandoned", L(2026, 3, 3, 10), L(2026, 3, 25, 10), None),
    "O17": ("A1", 700_000, 200_000, "USD", "won", L(2026, 3, 4, 10), L(2026, 3, 10, 10), None),
    "O18": ("A2", 900_000, None, "EUR", "won", L(2026, 3, 11, 10), L(2026, 3, 12, 10), None),
    "O20": ("H1", 400_000, None, "EUR", "won", L(2026, 3, 10, 10), L(2026, 5, 5, 10), 0.25),
    "O21": ("A2", 50_000, None, "EUR", "sent", L(2026, 3, 30, 9), None, None),
    "O22": ("P3", 80_000, None, "EUR", "sent", L(2026, 2, 1, 9), None, None),
    "O23": ("A1", 123_456, None, "EUR", "draft", L(2026, 3, 5, 9), None, None),
    "O24": ("H2", 300_000, None, "EUR", "won", L(2026, 4, 15, 10), L(2026, 5, 20, 10), None),
    "O25": ("A2", 777_700, None, "GBP", "sent", L(2026, 3, 15, 10), None, None),
    "O26": ("P1", 60_000, None, "EUR", "sent", L(2026, 3, 31, 23, 30), None, None),
    "O27": ("P2", 55_000, None, "EUR", "sent", L(2026, 4, 1, 0, 30), None, None),
    "O28": ("A2", 66_000, None, "EUR", "sent", L(2026, 3, 12, 10), None, None),
    # Sent exactly 14 days before the end of March: not stale ("more than 14 days").
    "O29": ("A2", 10_000, None, "EUR", "sent", L(2026, 3, 17, 23), None, None),
    # Sent exactly 7 days before the end of March: old enough for the follow-up rate.
    "O30": ("A3", 5_000, None, "CHF", "sent", L(2026, 3, 24, 23), None, None),
    # Its follow-up week crosses the change to summer time.
    "O31": ("P3", 9_000, None, "CHF", "lost", L(2026, 3, 23, 10), L(2026, 4, 10, 10), None),
}
DELETED_OFFERS = {"O18", "O28"}

# name: kind, purpose, account, offer, done_at, due_at
ACTIVITIES = {
    "V1": ("visit", "prospecting", "P0", None, L(2026, 3, 1, 0, 30), None),  # UTC: 28 Feb
    "V2": ("visit", "prospecting", "P3", None, L(2026, 3, 31, 23, 30), None),
    "V3": ("visit", "account_management", "A1", None, L(2026, 4, 1, 0, 30), None),  # UTC: 31 Mar
    "V4": ("visit", "follow_up", "A1", None, L(2026, 3, 29, 3, 30), None),  # just after 02:00
    "V5": ("visit", "prospecting", "P1", None, L(2026, 2, 28, 23, 30), None),
    "V6": ("visit", "other", "A2", None, L(2026, 3, 15, 12), None),
    "V7": ("visit", "prospecting", "A2", None, L(2026, 3, 16, 10), None),  # deleted
    "V8": ("visit", "prospecting", "P3", None, None, L(2026, 3, 20, 10)),  # planned only
    "K1": ("call", "prospecting", "P3", None, L(2026, 3, 5, 9), None),
    "F1": ("call", "follow_up", "A4", "O11", L(2026, 3, 9, 9, 59), None),
    "F2": ("call", "follow_up", "A5", None, L(2026, 3, 27, 10), None),  # at O12's window end
    "F3": ("call", "follow_up", "A5", None, L(2026, 3, 19, 10), None),  # before O12 was sent
    "F4": ("email", "follow_up", "P3", None, L(2026, 3, 5, 10), None),
    "F5": ("call", "follow_up", "H1", "O20", L(2026, 3, 12, 10), None),  # deleted
    "F6": ("call", "follow_up", "A2", None, L(2026, 3, 21, 10), None),
    "F7": ("call", "follow_up", "P3", "O31", L(2026, 3, 30, 10, 30), None),
    "F8": ("call", "follow_up", "A7", None, None, L(2026, 3, 23, 10)),  # planned only
    "F9": ("call", "follow_up", "A1", None, L(2026, 4, 1, 0, 30), None),  # April
    "G1": ("call", "prospecting", "A7", None, L(2026, 3, 22, 10), None),
    "G2": ("call", "account_management", "A2", "O25", L(2026, 3, 20, 10), None),
    "G3": ("email", "account_management", "P3", "O22", L(2026, 3, 10, 14), None),
    "G4": ("call", "account_management", "P3", "O22", L(2026, 4, 2, 10), None),  # after March
    "G5": ("call", "account_management", "P3", None, L(2026, 3, 28, 10), None),
    "G6": ("call", "other", "H1", "O20", L(2026, 3, 25, 10), None),  # deleted
}
DELETED_ACTIVITIES = {"V7", "F5", "G6"}


def build_march_2026(db: Database) -> Book:
    """Write the book above into ``db`` through the change sets (with their outbox)."""
    book = Book()
    with changes(db) as c:
        for name, (status, created_status, temperature, source, created) in ACCOUNTS.items():
            book.ids[name] = c.create(
                "account",
                {
                    "name": name,
                    "status": status,
                    "created_status": created_status,
                    "temperature": temperature,
                    "source": source,
                    "created_at": created,
                },
            )
        for name, row in OFFERS.items():
            account, amount, margin, currency, status, sent, decided, probability = row
            book.ids[name] = c.create(
                "offer",
                {
                    "account_id": book[account],
                    "reference": name,
                    "amount_cents": amount,
                    "margin_cents": margin,
                    "currency": currency,
                    "status": status,
                    "sent_at": sent,
                    "decided_at": decided,
                    "probability": probability,
                    "created_at": sent,
                },
            )
        for name, (kind, purpose, account, offer, done, due) in ACTIVITIES.items():
            book.ids[name] = c.create(
                "activity",
                {
                    "account_id": book[account],
                    "offer_id": book[offer] if offer else None,
                    "kind": kind,
                    "purpose": purpose,
                    "done_at": done,
                    "due_at": due,
                    "created_at": done or due,
                },
            )
        for table, names in (
            ("account", DELETED_ACCOUNTS),
            ("offer", DELETED_OFFERS),
            ("activity", DELETED_ACTIVITIES),
        ):
            for name in names:
                c.delete(table, book[name])
    return book
