"""The lists the rep sees as sheets: the column labels are the app's (in the rep's language) and
name the import's fields, so an exported list imports back unchanged (its id column matches
each row to its record)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from kpidesk.domain.import_columns import FIELD_BY_KEY
from kpidesk.domain.kpis.definition import KpiUnit
from kpidesk.domain.kpis.report import KpiReport
from kpidesk.presentation import _
from kpidesk.presentation.labels import label
from kpidesk.services.exporting.writers import (
    FRACTION,
    INSTANT,
    MONEY,
    NUMBER,
    TEXT,
    Column,
    Sheet,
)


def _columns(*fields: tuple[str, str]) -> tuple[Column, ...]:
    return tuple(Column(_(FIELD_BY_KEY[key].label), kind) for key, kind in fields)


def _label(value: Any) -> Any:
    return label(value) if value is not None else None


def accounts_sheet(workspace: Any, ids: Iterable[str] | None = None) -> Sheet:
    rows = workspace.accounts.list(frozenset(ids) if ids is not None else None, mine=True)
    columns = _columns(("id", TEXT), ("account", TEXT), ("account_status", TEXT),
                       ("temperature", TEXT), ("source", TEXT), ("sector", TEXT),
                       ("city", TEXT), ("address", TEXT), ("account_phone", TEXT),
                       ("account_email", TEXT), ("notes", TEXT))  # fmt: skip
    data = []
    for row in rows:
        full = workspace.accounts.get(row.id)
        data.append((row.id, full["name"], _label(full["status"]), _label(full["temperature"]),
                     _label(full["source"]), full["sector"], full["city"], full["address"],
                     full["phone"], full["email"], full["notes"]))  # fmt: skip
    return Sheet(_("Accounts"), columns, data)


def pipeline_sheet(workspace: Any, ids: Iterable[str] | None = None) -> Sheet:
    from kpidesk.store.queries import OfferFilter

    flt = OfferFilter(ids=frozenset(ids) if ids is not None else None, mine=True)
    columns = _columns(("id", TEXT), ("reference", TEXT), ("account_id", TEXT),
                       ("account", TEXT), ("offer_title", TEXT), ("amount", MONEY),
                       ("margin", MONEY), ("currency", TEXT), ("offer_status", TEXT),
                       ("sent_at", INSTANT), ("decided_at", INSTANT), ("lost_reason", TEXT),
                       ("probability", FRACTION))  # fmt: skip
    data = [(o.id, o.reference, o.account_id, o.account_name, o.title, o.amount_cents,
             o.margin_cents, o.currency, _label(o.status), o.sent_at, o.decided_at, o.lost_reason,
             o.probability) for o in workspace.offers.list(flt)]  # fmt: skip
    return Sheet(_("Pipeline"), columns, data)


def journal_sheet(workspace: Any, ids: Iterable[str] | None = None) -> Sheet:
    from kpidesk.store.queries import ActivityFilter

    flt = ActivityFilter(ids=frozenset(ids) if ids is not None else None, mine=True)
    # The offer's id links an activity to its offer again when the journal is imported back.
    columns = _columns(("id", TEXT), ("account_id", TEXT), ("account", TEXT), ("offer_id", TEXT),
                       ("activity_kind", TEXT), ("purpose", TEXT), ("done_at", INSTANT),
                       ("due_at", INSTANT), ("outcome", TEXT), ("notes", TEXT))  # fmt: skip
    data = [(a.id, a.account_id, a.account_name, a.offer_id, _label(a.kind), _label(a.purpose),
             a.done_at, a.due_at, a.outcome, a.notes)
            for a in workspace.activities.list(flt)]  # fmt: skip
    return Sheet(_("Journal"), columns, data)


def kpi_sheet(report: KpiReport) -> Sheet:
    """A period's indicators: money in the report currency, rates as fractions (shown 25 %)."""
    from kpidesk.presentation.kpis import KpiDisplay, kpi_text

    display = KpiDisplay(currency=report.currency)
    columns = (
        Column(_("Indicator")),
        Column(_("Unit")),
        Column(_("This period"), NUMBER),
        Column(_("Previous period"), NUMBER),
        Column(_("A year earlier"), NUMBER),
        Column(_("Computed on")),
    )
    units = {KpiUnit.MONEY: report.currency, KpiUnit.MONEY_PER_DAY: report.currency,
             KpiUnit.RATE: "%", KpiUnit.RATIO: "%", KpiUnit.DAYS: _("days"),
             KpiUnit.COUNT: ""}  # fmt: skip
    data = []
    for result in report:
        unit = result.definition.unit
        values = [v.value for v in (result.current, result.previous, result.year_ago)]
        if unit in (KpiUnit.MONEY, KpiUnit.MONEY_PER_DAY):
            values = [None if v is None else v / 100 for v in values]
        data.append((kpi_text(result.definition.label), units.get(unit, ""), *values,
                     display.coverage(result.current) or None))  # fmt: skip
    return Sheet(_("Indicators"), columns, data)


def file_name(what: str, day: date, suffix: str, period: str | None = None) -> str:
    """ "kpidesk-pipeline-2026-03-15.xlsx", "kpidesk-kpi-2026-03-2026-03-15.csv"."""
    parts = ["kpidesk", what, *([period] if period else []), day.isoformat()]
    return "-".join(parts) + suffix
