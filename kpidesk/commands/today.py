"""``kpidesk today``: what is due, what is worth doing and why, and the deals closest to closing.

The same content as the app's Today page (``kpidesk.services.today``). JSON (``--json``)::

    {"date": "2026-11-27", "time_zone": "Europe/Paris",
     "due": [{"id", "account_id", "account", "kind", "purpose", "due_at", "overdue"}],
     "upcoming": [... the same, for the next 7 days],
     "suggestions": [{"rule", "subject", "priority", "title", "why", "general_advice",
                      "action": {"kind", "label", "account_id", "offer_id", "activity_id",
                                 "kpi_key"},
                      "records": [{"table", "id"}]}],
     "hot_list": [{"account_id", "account", "temperature", "offer_id", "reference",
                   "amount_cents", "currency", "weighted_cents"}]}
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from kpidesk.commands import UsageError
from kpidesk.presentation import _


def run(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.local_zone import machine_zone, zone_named
    from kpidesk.services.today import today_view
    from kpidesk.services.workspace import open_workspace

    try:
        tz = zone_named(args.tz) if args.tz else machine_zone()
    except ValueError:  # the service's English reason is for logs; the user reads this
        raise UsageError(
            _("unknown time zone: {name!r} (use a name such as Europe/Paris)").format(name=args.tz)
        ) from None
    workspace = open_workspace(path, tz, create=False)
    try:
        now = datetime.now(tz)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        view = today_view(workspace, midnight.astimezone(UTC))
    finally:
        workspace.close()
    if args.json:
        json.dump(as_json(view, now, str(tz)), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(as_text(view, now, tz))
    return 0


def _activity(row: Any, now: datetime) -> dict[str, Any]:
    return {
        "id": row.id,
        "account_id": row.account_id,
        "account": row.account_name,
        "kind": row.kind.value,
        "purpose": row.purpose.value,
        "due_at": row.due_at.isoformat(),
        "overdue": row.due_at < now,
    }


def as_json(view: Any, now: datetime, zone: str) -> dict[str, Any]:
    return {
        "date": now.date().isoformat(),
        "time_zone": zone,
        "due": [_activity(r, now) for r in view.due],
        "upcoming": [_activity(r, now) for r in view.upcoming],
        "suggestions": [
            {
                "rule": s.rule,
                "subject": s.subject_key,
                "priority": s.priority,
                "title": s.title.english(),
                "why": s.why.english(),
                "general_advice": s.general_advice,
                "action": {
                    "kind": s.action.kind.value,
                    "label": s.action.label.english(),
                    "account_id": s.action.account_id,
                    "offer_id": s.action.offer_id,
                    "activity_id": s.action.activity_id,
                    "kpi_key": s.action.kpi_key,
                },
                "records": [{"table": t, "id": i} for t, i in s.records],
            }
            for s in view.suggestions
        ],
        "hot_list": [
            {
                "account_id": h.account_id,
                "account": h.account_name,
                "temperature": h.temperature.value,
                "offer_id": h.offer.id if h.offer else None,
                "reference": h.offer.reference if h.offer else None,
                "amount_cents": h.offer.amount_cents if h.offer else None,
                "currency": h.offer.currency if h.offer else None,
                "weighted_cents": h.weighted_cents,
            }
            for h in view.hot
        ],
    }


def as_text(view: Any, now: datetime, tz: Any) -> str:
    """The Today page in the terminal, in the same words and formats as the app."""
    from kpidesk.presentation import Formatter
    from kpidesk.presentation.labels import label, message_text

    fmt = Formatter(tz=tz)
    lines = [_("Today, {date}").format(date=fmt.day(now.date(), "full")), ""]
    lines.append(_("Due today and overdue ({n})").format(n=len(view.due)))
    for a in view.due:
        state = _("overdue") if a.due_at < now else _("today")
        lines.append(f"  {fmt.datetime(a.due_at)}  {state:<9} {label(a.kind):<8} "
                     f"{a.account_name or ''}")  # fmt: skip
    if not view.due:
        lines.append("  " + _("nothing planned"))
    lines += ["", _("Worth doing ({n})").format(n=len(view.suggestions))]
    for n, s in enumerate(view.suggestions, 1):
        lines += [
            f"  {n}. {message_text(s.title, fmt)}",
            f"     {message_text(s.why, fmt)}",
            f"     -> {message_text(s.action.label, fmt)}",
        ]
    if not view.suggestions:
        lines.append("  " + _("nothing to suggest"))
    lines += ["", _("Closest to closing")]
    for h in view.hot:
        offer, weighted = _("no offer yet"), ""
        if h.offer is not None:
            amount = fmt.money(h.offer.amount_cents, h.offer.currency)
            offer = f"{h.offer.reference or ''}  {amount}"
            weighted = fmt.money(h.weighted_cents, h.offer.currency)
        lines.append(f"  {h.account_name:<30} {offer:<24} {weighted:>12}  {label(h.temperature)}")
    if not view.hot:
        lines.append("  " + _("no open offer"))
    return "\n".join(lines) + "\n"
