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


def run(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.local_zone import machine_zone, zone_named
    from kpidesk.services.today import today_view
    from kpidesk.services.workspace import open_workspace

    try:
        tz = zone_named(args.tz) if args.tz else machine_zone()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    workspace = open_workspace(path, tz, create=False)
    try:
        now = datetime.now(tz)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        view = today_view(workspace, midnight.astimezone(UTC))
    finally:
        workspace.close()
    data = as_json(view, now, str(tz))
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(as_text(data, tz))
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


def _money(cents: int | None, currency: str | None) -> str:
    return "" if cents is None else f"{cents / 100:,.0f} {currency or 'EUR'}"


def as_text(data: dict[str, Any], tz: Any) -> str:
    lines = [f"Today, {data['date']}", ""]

    def when(text: str) -> str:
        return datetime.fromisoformat(text).astimezone(tz).strftime("%d/%m %H:%M")

    lines.append(f"Due today and overdue ({len(data['due'])})")
    for a in data["due"]:
        state = "OVERDUE" if a["overdue"] else "today  "
        lines.append(f"  {when(a['due_at'])}  {state}  {a['kind']:<6} {a['account'] or ''}")
    if not data["due"]:
        lines.append("  nothing planned")
    lines += ["", f"Worth doing ({len(data['suggestions'])})"]
    for n, s in enumerate(data["suggestions"], 1):
        lines += [f"  {n}. {s['title']}", f"     {s['why']}", f"     -> {s['action']['label']}"]
    if not data["suggestions"]:
        lines.append("  nothing to suggest")
    lines += ["", "Closest to closing"]
    for h in data["hot_list"]:
        offer = (
            f"{h['reference']}  {_money(h['amount_cents'], h['currency'])}"
            if h["reference"]
            else "no offer yet"
        )
        weighted = _money(h["weighted_cents"], h["currency"]) if h["reference"] else ""
        lines.append(f"  {h['account']:<30} {offer:<24} {weighted:>12}  {h['temperature']}")
    if not data["hot_list"]:
        lines.append("  no open offer")
    return "\n".join(lines) + "\n"
