"""``kpidesk kpi``: the rep's indicators for one period, as a table or as JSON.

The numbers are those of :class:`kpidesk.services.kpis.KpiService`, the same the page shows.
JSON (``--json``)::

    {"period": {"kind", "label", "first_day", "last_day", "start", "end", "time_zone", "as_of",
                "previous": {...}, "year_ago": {...}},
     "currency": "EUR",
     "kpis": {key: {"value", "unit", "previous", "year_ago",
                    rates also: "numerator", "denominator", "low", "high", "low_confidence",
                    visits also: "split": {"prospecting", "other"},
                    with an objective: "objective": {"target", "progress", "pace"}}}}

A value that does not exist (a rate over nothing) is ``null``. Money is in integer cents; rates
and ratios are fractions (0.25 is 25 %); ``unit`` names which.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kpidesk.commands import UsageError

PERIOD_CHOICES = ("week", "month", "quarter", "year", "last_30_days", "last_90_days")


def run(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.domain.periods import InvalidPeriodError
    from kpidesk.services.kpis import KpiService
    from kpidesk.services.local_zone import machine_zone, zone_named
    from kpidesk.store.database import open_database

    _check_period_options(args)
    try:
        tz = zone_named(args.tz) if args.tz else machine_zone()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    db = open_database(path, create=False)
    try:
        service = KpiService(db, tz)
        if args.first_day is not None:
            try:
                period = service.custom_period(args.first_day, args.end_day)
            except InvalidPeriodError:
                raise UsageError(
                    f"--from {args.first_day} must be before --to {args.end_day}"
                    " (--to is the first day after the period)"
                ) from None
        else:
            period = service.period(args.period or "month", args.at or datetime.now(tz).date())
        report = service.compute(period)
    finally:
        db.close()
    if args.json:
        json.dump(report_as_json(report), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report_as_text(report))
    return 0


def _check_period_options(args: argparse.Namespace) -> None:
    custom = args.first_day is not None or args.end_day is not None
    if custom and (args.period is not None or args.at is not None):
        raise UsageError("give either --period (with --at) or --from and --to, not both")
    if custom and (args.first_day is None or args.end_day is None):
        raise UsageError("a custom period needs both --from and --to")


# -- JSON -------------------------------------------------------------------------------------


def _period_json(period: Any) -> dict[str, Any]:
    return {
        "kind": period.kind.value,
        "label": period.label().english(),
        "first_day": period.first_day.isoformat(),
        "last_day": period.last_day.isoformat(),
        "start": _instant(period.start),
        "end": _instant(period.end),
    }


def _instant(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def report_as_json(report: Any) -> dict[str, Any]:
    """The report as plain JSON data (see the module docstring)."""
    period = {
        **_period_json(report.period),
        "time_zone": report.period.tz.key,
        "as_of": _instant(report.as_of),
        "previous": _period_json(report.previous_period),
        "year_ago": _period_json(report.year_ago_period),
    }
    kpis: dict[str, Any] = {}
    for result in report:
        entry: dict[str, Any] = {
            "value": result.current.value,
            "unit": result.unit.value,
            "previous": result.previous.value,
            "year_ago": result.year_ago.value,
        }
        rate = result.current.rate
        if rate is not None:
            entry.update(
                numerator=rate.numerator,
                denominator=rate.denominator,
                low=rate.low,
                high=rate.high,
                low_confidence=rate.low_confidence,
            )
        if result.current.parts:
            entry["split"] = {part.key: part.value for part in result.current.parts}
        if result.objective is not None:
            entry["objective"] = {
                "target": result.objective.target,
                "progress": result.objective.progress,
                "pace": result.objective.pace.value if result.objective.pace else None,
            }
        kpis[result.key] = entry
    return {"period": period, "currency": report.currency, "kpis": kpis}


# -- text -------------------------------------------------------------------------------------


def format_value(unit: str, value: int | float | None, currency: str) -> str:
    """A value in words for the terminal (English); "—" when it does not exist."""
    if value is None:
        return "—"
    if unit == "count":
        return f"{value:,}" if value != int(value) else f"{int(value):,}"
    if unit in ("rate", "ratio"):
        return f"{value * 100:.1f} %"
    if unit == "money_cents":
        return f"{value / 100:,.2f} {currency}"
    if unit == "money_cents_per_day":
        return f"{value / 100:,.2f} {currency}/day"
    if unit == "days":
        return f"{value:.1f} days"
    return str(value)


def report_as_text(report: Any) -> str:
    """An aligned table in English, grouped as the page groups its tiles."""
    from kpidesk.domain.kpis import GROUP_LABELS, KpiGroup

    period = report.period
    running = (
        f" Still running: read at {report.as_of:%Y-%m-%d %H:%M} UTC." if report.is_partial else ""
    )
    lines = [
        f"My indicators: {period} ({period.first_day} to {period.last_day}, {period.tz.key})",
        f"Compared with {report.previous_period} and {report.year_ago_period}.{running}",
        "",
    ]
    with_objectives = any(r.objective is not None for r in report)
    header = ("Indicator", "This period", "n", "Previous", "Year ago")
    header += ("Objective",) if with_objectives else ()
    rows: list[tuple[str, ...] | str] = []
    low_confidence = False
    for group in KpiGroup:
        rows.append(GROUP_LABELS[group])
        for result in report.group(group):
            unit = result.unit.value
            rate = result.current.rate
            n = f"{rate.numerator} / {rate.denominator}" if rate is not None else ""
            if rate is not None and rate.low_confidence:
                n += " *"
                low_confidence = True
            row = (
                "  " + result.definition.label,
                format_value(unit, result.current.value, report.currency),
                n,
                format_value(unit, result.previous.value, report.currency),
                format_value(unit, result.year_ago.value, report.currency),
            )
            if with_objectives:
                row += (_objective(result, report.currency),)
            rows.append(row)
            for part in result.current.parts:
                rows.append(("    of which " + part.key, f"{part.value:,}", *[""] * (len(row) - 2)))
    widths = [len(h) for h in header]
    for row in rows:
        if isinstance(row, tuple):
            widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: tuple[str, ...]) -> str:
        first = cells[0].ljust(widths[0])
        rest = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    lines.append(line(header))
    for row in rows:
        lines.append(line(row) if isinstance(row, tuple) else "\n" + row)
    if low_confidence:
        lines += ["", "* fewer than 10 in the denominator: low confidence, no trend."]
    return "\n".join(lines) + "\n"


def _objective(result: Any, currency: str) -> str:
    objective = result.objective
    if objective is None:
        return ""
    target = format_value(result.unit.value, objective.target, currency)
    pace = objective.pace.value.replace("_", " ") if objective.pace else "no value"
    return f"{target} ({pace})"
