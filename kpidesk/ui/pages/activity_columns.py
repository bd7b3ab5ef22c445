"""The activity table's columns, shared by the Journal and Today: their own module, so that
Today (the first page) is built without importing the Journal page (its filters, exports and
calendar export), which loads with its first visit."""

from __future__ import annotations

from datetime import UTC, datetime

from kpidesk.presentation import Formatter, _
from kpidesk.presentation.labels import label, outcome_text
from kpidesk.services.rows import ActivityRow
from kpidesk.ui.models.table import Column, owner_column
from kpidesk.ui.theme import colour

__all__ = ["journal_columns", "state_text"]


def state_text(row: ActivityRow, now: datetime) -> str:
    if not row.is_planned:
        return _("Done")
    if row.due_at is not None and row.due_at < now:
        return _("Overdue")
    return _("Planned")


def journal_columns(fmt: Formatter) -> list[Column[ActivityRow]]:
    def now() -> datetime:
        return datetime.now(UTC)

    return [
        Column(lambda: _("When"), lambda r: fmt.datetime(r.when), lambda r: r.when, width_chars=16),
        Column(
            lambda: _("State"),
            lambda r: state_text(r, now()),
            foreground=lambda r: (
                colour("error_text") if state_text(r, now()) == _("Overdue") else None
            ),
            width_chars=9,
        ),
        Column(lambda: _("Kind"), lambda r: label(r.kind), width_chars=8),
        Column(lambda: _("Purpose"), lambda r: label(r.purpose), width_chars=17),
        Column(lambda: _("Account"), lambda r: r.account_name or "", width_chars=20, stretch=True),
        owner_column(),
        Column(lambda: _("Outcome"), lambda r: outcome_text(r.outcome), width_chars=15),
        Column(
            lambda: _("Notes"),
            lambda r: (r.notes or "").replace("\n", " "),
            tooltip=lambda r: r.notes,
        ),
    ]
