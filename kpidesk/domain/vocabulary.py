"""The words of the trade: statuses, kinds and purposes shared by every layer."""

from __future__ import annotations

from enum import StrEnum


class AccountStatus(StrEnum):
    SUSPECT = "suspect"
    PROSPECT = "prospect"
    CLIENT = "client"
    FORMER = "former"


class Temperature(StrEnum):
    COLD = "cold"
    WARM = "warm"
    HOT = "hot"


class AccountSource(StrEnum):
    PROSPECTING = "prospecting"
    REFERRAL = "referral"
    INBOUND = "inbound"
    EVENT = "event"
    OTHER = "other"


class ActivityKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    EMAIL = "email"
    OTHER = "other"


class ActivityPurpose(StrEnum):
    PROSPECTING = "prospecting"
    FOLLOW_UP = "follow_up"
    ACCOUNT_MANAGEMENT = "account_management"
    OTHER = "other"


class OfferStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"

    @property
    def is_decided(self) -> bool:
        return self in DECIDED_OFFER_STATUSES


DECIDED_OFFER_STATUSES = frozenset({OfferStatus.WON, OfferStatus.LOST, OfferStatus.ABANDONED})


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    LAST_30_DAYS = "last_30_days"
    LAST_90_DAYS = "last_90_days"
    CUSTOM = "custom"


# Objectives are set per calendar period only (KPIS.md, "Objectives").
OBJECTIVE_PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
