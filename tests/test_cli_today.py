"""`kpidesk today`: the same list as the Today page, as text or JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.services.workspace import open_workspace

NOW = datetime.now(UTC)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "kpidesk.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_today_json_lists_due_work_suggestions_and_the_hot_list(db_path):
    ws = open_workspace(db_path)
    garage = ws.accounts.create({"name": "Garage Moreau", "temperature": "hot"}).id
    late = ws.activities.plan(garage, NOW - timedelta(days=2)).id
    offer = ws.offers.create({"account_id": garage, "amount_cents": 500_000,
                              "status": OfferStatus.SENT, "sent_at": NOW - timedelta(days=9),
                              "reference": "2026-042"}).id  # fmt: skip
    ws.close()
    # Worked out by hand: the call planned two days ago is overdue; the offer, 9 days old, has a
    # next step planned on its account (that call), so no "stale offer" suggestion; the account
    # is not a prospect (created without a status), so no "hot prospect gone quiet".
    expected = {("overdue_follow_up", f"activity:{late}")}

    proc = run_cli("today", "--json", "--db", db_path)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [a["id"] for a in data["due"]] == [late]
    assert data["due"][0]["overdue"] is True
    assert {(s["rule"], s["subject"]) for s in data["suggestions"]} == expected
    hot = data["hot_list"][0]
    assert (hot["offer_id"], hot["weighted_cents"]) == (offer, 300_000)  # 500,000 x 0.6 (hot)


def test_today_text_and_errors(db_path, tmp_path):
    open_workspace(db_path).close()
    proc = run_cli("--db", db_path, "today")
    assert proc.returncode == 0
    assert "nothing planned" in proc.stdout
    assert "no open offer" in proc.stdout
    missing = run_cli("today", "--db", tmp_path / "missing.sqlite")
    assert missing.returncode == 2
    assert "no kpidesk database" in missing.stderr
    bad_zone = run_cli("today", "--db", db_path, "--tz", "Mars/Olympus")
    assert bad_zone.returncode == 2
    assert "Mars/Olympus" in bad_zone.stderr
