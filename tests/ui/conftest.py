"""GUI tests: the real window and pages on a temporary database, tasks run synchronously."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QSettings

from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, Temperature
from kpidesk.ui.app import create_application
from kpidesk.ui.desktop import build_pages
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.tasks import TaskRunner

NOW = datetime.now(UTC)
# The reminders' clock in the pages' tests: a Sunday night, outside any working hours, so that no
# reminder comes in the middle of a test about something else (tests/ui/test_reminders.py
# drives them with its own clock).
NO_REMINDERS_NOW = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)


@pytest.fixture
def desktop(qapp, qtbot, workspace, tmp_path):
    create_application()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    app = build_pages(
        window,
        workspace,
        TaskRunner(window, synchronous=True),
        reminder_clock=lambda: NO_REMINDERS_NOW,
    )
    return app


@pytest.fixture
def seeded(workspace):
    """A few accounts, activities and offers a rep would have after a week."""
    accounts = workspace.accounts
    ids = {
        "boulangerie": accounts.create(
            {"name": "Boulangerie Héloïse", "city": "Lyon", "status": AccountStatus.CLIENT,
             "temperature": Temperature.WARM}
        ).id,
        "garage": accounts.create(
            {"name": "Garage Moreau", "city": "Annecy", "status": AccountStatus.PROSPECT,
             "temperature": Temperature.HOT}
        ).id,
        "hotel": accounts.create(
            {"name": "Hôtel du Lac", "city": "Annecy", "status": AccountStatus.FORMER,
             "temperature": Temperature.COLD}
        ).id,
    }  # fmt: skip
    activities = workspace.activities
    activities.create({"account_id": ids["boulangerie"], "kind": "visit",
                       "purpose": "account_management",
                       "done_at": NOW - timedelta(days=2)})  # fmt: skip
    activities.create({"account_id": ids["garage"], "kind": "call", "purpose": "prospecting",
                       "done_at": NOW - timedelta(days=9), "outcome": "RDV fixé"})  # fmt: skip
    activities.create({"account_id": ids["hotel"], "kind": "email", "purpose": "follow_up",
                       "done_at": NOW - timedelta(days=40)})  # fmt: skip
    ids["planned"] = activities.plan(ids["garage"], NOW - timedelta(hours=3)).id
    ids["offer"] = workspace.offers.create(
        {"account_id": ids["garage"], "amount_cents": 480_000, "margin_cents": 120_000,
         "status": OfferStatus.SENT, "sent_at": NOW - timedelta(days=12), "title": "Pont élévateur"}
    ).id  # fmt: skip
    return ids


def outbox_count(workspace) -> int:
    return workspace.pending_changes()
