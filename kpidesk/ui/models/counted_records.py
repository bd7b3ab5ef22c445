"""The records an indicator counted (its drill-down): loading them and their table columns."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from kpidesk.domain.i18n import N_
from kpidesk.domain.kpis import RecordKind
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.labels import label
from kpidesk.services.rows import ActivityFilter, OfferFilter, OfferRow
from kpidesk.services.workspace import Workspace
from kpidesk.ui.models.accounts import account_columns
from kpidesk.ui.models.table import Column
from kpidesk.ui.pages.activity_columns import journal_columns

# What a rate's numerator and denominator are, in the rep's words (the records tab's switch).
RATE_PARTS = {
    "conversion": (
        N_("Offers won"),
        N_("Offers decided"),
    ),
    "visit_to_offer": (
        N_("Offers sent"),
        N_("Visits done"),
    ),
    "follow_up_rate": (
        N_("Followed up within 7 days"),
        N_("Offers at least 7 days old"),
    ),
    "retention": (
        N_("Clients still active"),
        N_("Active clients at the start"),
    ),
    "recommendation": (
        N_("New clients from a referral"),
        N_("New clients"),
    ),
}


def load_counted(workspace: Workspace, kind: RecordKind, ids: Collection[str]) -> list[Any]:
    """The rows behind ``ids`` (runs on a worker thread); deleted records are left out."""
    wanted = frozenset(ids)
    if not wanted:
        return []
    if kind is RecordKind.ACTIVITY:
        return workspace.activities.list(ActivityFilter(ids=wanted))
    if kind is RecordKind.OFFER:
        return workspace.offers.list(OfferFilter(ids=wanted))
    return workspace.accounts.list(ids=wanted)


def offer_columns(fmt: Formatter) -> list[Column[OfferRow]]:
    return [
        Column(lambda: _("Offer"), lambda o: o.reference, width_chars=9),
        Column(lambda: _("Account"), lambda o: o.account_name or "", width_chars=18, stretch=True),
        Column(
            lambda: _("Amount"),
            lambda o: fmt.money(o.amount_cents, o.currency),
            lambda o: o.amount_cents,
            align_right=True,
            width_chars=10,
        ),
        Column(lambda: _("Status"), lambda o: label(o.status), width_chars=8),
        Column(
            lambda: _("Sent"), lambda o: fmt.date(o.sent_at), lambda o: o.sent_at, width_chars=10
        ),
        Column(
            lambda: _("Decided"),
            lambda o: fmt.date(o.decided_at) if o.decided_at else "",
            lambda o: o.decided_at,
            width_chars=10,
        ),
        Column(lambda: _("Title"), lambda o: o.title, width_chars=20),
    ]


def counted_columns(kind: RecordKind, fmt: Formatter) -> list[Column[Any]]:
    if kind is RecordKind.ACTIVITY:
        return journal_columns(fmt)
    if kind is RecordKind.OFFER:
        return offer_columns(fmt)
    return account_columns(fmt)
