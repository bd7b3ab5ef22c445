"""``kpidesk kpi``: the rep's indicators for one period, as a table or as JSON.

The numbers are those of :class:`kpidesk.services.kpis.KpiService`, the same the page shows.
JSON (``--json``)::

    {"period": {"kind", "label", "first_day", "last_day", "start", "end", "time_zone", "as_of",
                "previous": {...}, "year_ago": {...}},
     "currency": "EUR",
     "kpis": {key: {"value", "unit", "previous", "year_ago",
                    rates also: "numerator", "denominator", "low", "high", "low_confidence",
                    visits also: "split": {"prospecting", "other"},
                    margins with some unknown: "coverage": {"known", "total"},
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
from kpidesk.domain.i18n import N_
from kpidesk.presentation import Formatter, _


def run(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.domain.periods import InvalidPeriodError
    from kpidesk.services.local_zone import machine_zone, zone_named
    from kpidesk.services.workspace import open_workspace

    _check_period_options(args)
    try:
        tz = zone_named(args.tz) if args.tz else machine_zone()
    except ValueError:  # the service's English reason is for logs; the user reads this
        raise UsageError(
            _("unknown time zone: {name!r} (use a name such as Europe/Paris)").format(name=args.tz)
        ) from None
    workspace = open_workspace(path, tz, create=False)
    try:
        service = workspace.kpis
        if args.first_day is not None:
            try:
                period = service.custom_period(args.first_day, args.end_day)
            except InvalidPeriodError:
                raise UsageError(
                    _(
                        "--from {first} must be before --to {end} (--to is the first day after "
                        "the period)"
                    ).format(first=args.first_day, end=args.end_day)
                ) from None
        else:
            period = service.period(args.period or "month", args.at or datetime.now(tz).date())
        report = service.compute(period)
    finally:
        workspace.close()
    if args.json:
        json.dump(report_as_json(report), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report_as_text(report))
    return 0


def _check_period_options(args: argparse.Namespace) -> None:
    custom = args.first_day is not None or args.end_day is not None
    if custom and (args.period is not None or args.at is not None):
        raise UsageError(_("give either --period (with --at) or --from and --to, not both"))
    if custom and (args.first_day is None or args.end_day is None):
        raise UsageError(_("a custom period needs both --from and --to"))


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
        coverage = result.current.coverage
        if coverage is not None:  # the value is on the offers with a margin entered
            entry["coverage"] = {"known": coverage.known, "total": coverage.total}
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

# The split of a part in words ("of which prospecting"), as the tiles name them.
PART_WORDS = {("visits", "prospecting"): N_("of which prospecting"),
              ("visits", "other"): N_("of which other visits")}  # fmt: skip
PACE_WORDS = {
    "ahead": N_("ahead of pace"),
    "on_pace": N_("on pace"),
    "behind": N_("behind pace"),
    "too_early": N_("too early to judge"),
    "reached": N_("reached"),
    "missed": N_("missed"),
}


def format_value(result: Any, value: int | float | None, currency: str) -> str:
    """A value as the Indicators page's tile writes it (same formatter, same rounding)."""
    from kpidesk.presentation.kpis import KpiDisplay

    return KpiDisplay(Formatter(), currency).value(result.definition, value)


def report_as_text(report: Any) -> str:
    """An aligned table in the rep's language, grouped as the page groups its tiles."""
    from kpidesk.domain.kpis import GROUP_LABELS, KpiGroup
    from kpidesk.presentation.kpis import KpiDisplay
    from kpidesk.presentation.periods import comparison_sentence, names_its_days, period_name

    fmt = Formatter()
    display = KpiDisplay(fmt, report.currency)
    period = report.period
    name = period_name(period, fmt)
    if names_its_days(period):
        title = _("My indicators: {period} ({zone})").format(period=name, zone=period.tz.key)
    else:
        title = _("My indicators: {period} ({days}, {zone})").format(
            period=name, days=fmt.day_range(period.first_day, period.last_day), zone=period.tz.key
        )
    compared = comparison_sentence(report.previous_period, report.year_ago_period, fmt)
    if report.is_partial:
        compared += " " + _("Still running: read at {time}.").format(
            time=fmt.datetime(report.as_of)
        )
    lines = [title, compared, ""]
    with_objectives = any(r.objective is not None for r in report)
    header = (_("Indicator"), _("This period"), "n", _("Previous"), _("Year ago"))
    header += (_("Objective"),) if with_objectives else ()
    rows: list[tuple[str, ...] | str] = []
    low_confidence = False
    for group in KpiGroup:
        rows.append(_(GROUP_LABELS[group]))
        for result in report.group(group):
            rate = result.current.rate
            n = f"{rate.numerator} / {rate.denominator}" if rate is not None else ""
            if rate is not None and rate.low_confidence:
                n += " *"
                low_confidence = True
            n = n or display.coverage(result.current)
            row = (
                "  " + _(result.definition.label),
                format_value(result, result.current.value, report.currency),
                n,
                format_value(result, result.previous.value, report.currency),
                format_value(result, result.year_ago.value, report.currency),
            )
            if with_objectives:
                row += (_objective(result, report.currency),)
            rows.append(row)
            for part in result.current.parts:
                words = PART_WORDS.get((result.key, part.key))
                label = _(words) if words else part.key
                rows.append(("    " + label, fmt.number(part.value), *[""] * (len(row) - 2)))
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
        lines += ["", _("* fewer than 10 in the denominator: low confidence, no trend.")]
    return "\n".join(lines) + "\n"


def _objective(result: Any, currency: str) -> str:
    objective = result.objective
    if objective is None:
        return ""
    target = format_value(result, objective.target, currency)
    words = PACE_WORDS.get(objective.pace.value) if objective.pace else None
    pace = _(words) if words else _("no value yet")
    return f"{target} ({pace})"
