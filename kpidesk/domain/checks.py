"""Business checks on what the rep enters, shared by forms, services and imports.

Each check returns problems naming the field and a translatable reason; an empty list means the
input can be saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.vocabulary import DECIDED_OFFER_STATUSES, OfferStatus


@dataclass(frozen=True)
class Problem:
    field: str
    message: Message

    def __str__(self) -> str:
        return f"{self.field}: {self.message.english()}"


def _problem(field: str, template: str, **params: Any) -> Problem:
    return Problem(field, Message(template, params))


def check_name(values: Mapping[str, Any], field: str = "name") -> list[Problem]:
    name = values.get(field)
    if name is None or not str(name).strip():
        return [_problem(field, N_("A name is required."))]
    if len(str(name)) > 200:
        return [
            _problem(
                field,
                N_("The name is too long (200 characters at most)."),
            )
        ]
    return []


def check_offer(values: Mapping[str, Any]) -> list[Problem]:
    """Checks on an offer's complete set of fields (after applying the rep's changes)."""
    problems: list[Problem] = []
    if not values.get("account_id"):
        problems.append(_problem("account_id", N_("Choose the account this offer is for.")))
    amount = values.get("amount_cents")
    if amount is not None and amount < 0:
        problems.append(_problem("amount_cents", N_("The amount cannot be negative.")))
    margin = values.get("margin_cents")
    if margin is not None and amount is not None and margin > amount:
        problems.append(
            _problem(
                "margin_cents",
                N_("The margin cannot be larger than the amount."),
            )
        )
    probability = values.get("probability")
    if probability is not None and not 0.0 <= probability <= 1.0:
        problems.append(
            _problem(
                "probability",
                N_("The probability must be between 0 % and 100 %."),
            )
        )
    status = OfferStatus(values.get("status") or OfferStatus.DRAFT)
    sent_at: datetime | None = values.get("sent_at")
    decided_at: datetime | None = values.get("decided_at")
    if status is not OfferStatus.DRAFT and sent_at is None:
        problems.append(
            _problem(
                "sent_at",
                N_("An offer that was sent needs its sent date."),
            )
        )
    if status in DECIDED_OFFER_STATUSES and decided_at is None:
        problems.append(
            _problem(
                "decided_at",
                N_("A decided offer needs its decision date."),
            )
        )
    if status not in DECIDED_OFFER_STATUSES and decided_at is not None:
        problems.append(
            _problem(
                "decided_at",
                N_("Only a won, lost or abandoned offer has a decision date."),
            )
        )
    if sent_at is not None and decided_at is not None and decided_at < sent_at:
        problems.append(
            _problem(
                "decided_at",
                N_("The decision date cannot be before the sent date."),
            )
        )
    return problems


def check_activity(values: Mapping[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if not values.get("account_id"):
        problems.append(
            _problem(
                "account_id",
                N_("Choose the account this activity is for."),
            )
        )
    if values.get("due_at") is None and values.get("done_at") is None:
        problems.append(
            _problem(
                "done_at",
                N_(
                    "An activity is either done (with its date) or planned (with its due date).",
                ),
            )
        )
    return problems


def check_objective(
    values: Mapping[str, Any], known_keys: frozenset[str] | None = None
) -> list[Problem]:
    problems: list[Problem] = []
    target = values.get("target")
    if target is None or target < 0:
        problems.append(_problem("target", N_("The target must be zero or more.")))
    key = values.get("kpi_key")
    if known_keys is not None and key not in known_keys:
        problems.append(_problem("kpi_key", N_("Unknown indicator: {key}."), key=key))
    return problems


def check_follow_up_days(days: int | None) -> list[Problem]:
    if days is None or 0 < days <= 365:
        return []
    return [
        _problem(
            "follow_up_in_days",
            N_("Plan the follow-up between 1 and 365 days from now."),
        )
    ]
