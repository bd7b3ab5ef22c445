"""The sync state and conflicts in the rep's words; backoff; nothing heavy at start-up."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.vocabulary import ActivityKind, OfferStatus
from kpidesk.presentation import Formatter
from kpidesk.presentation.conflicts import conflict_sentence, keep_label
from kpidesk.presentation.sync import status_line
from kpidesk.services.conflicts import Choice, ConflictItem
from kpidesk.sync.errors import ProblemKind
from kpidesk.ui.app import create_application
from kpidesk.ui.sync_state import SyncPhase, SyncProgress, SyncState, SyncTimings, retry_delay

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def fmt(qapp):
    create_application()  # the locale the app uses (en_GB without one configured)
    return Formatter()


def _line(fmt, **state) -> str:
    return status_line(SyncState(**state), fmt, NOW)


def test_the_status_line_says_each_state_plainly(fmt):
    assert _line(fmt, phase=SyncPhase.DEMO) == "Demo data · never synced"
    assert _line(fmt, phase=SyncPhase.NOT_CONNECTED, pending=5) == (
        "Not connected to a team server · changes kept on this laptop: 5"
    )
    assert _line(fmt, phase=SyncPhase.NOT_CONNECTED) == "Not connected to a team server"
    signed_in = {"server_url": "https://kpidesk.example.com", "username": "rep"}
    assert _line(fmt, phase=SyncPhase.IDLE, **signed_in) == "Not synced yet"
    assert _line(fmt, phase=SyncPhase.IDLE, last_sync_at=NOW - timedelta(minutes=3)) == (
        "Synced 3 min ago"
    )
    assert _line(
        fmt, phase=SyncPhase.IDLE, last_sync_at=NOW - timedelta(seconds=20), pending=1
    ) == ("Synced just now · 1 change waiting")
    assert _line(
        fmt, phase=SyncPhase.OFFLINE, pending=12, next_try_at=NOW + timedelta(seconds=90)
    ) == ("Offline · 12 changes waiting · next try in 2 min")
    assert _line(fmt, phase=SyncPhase.SYNCING, progress=SyncProgress(3, 0, 1200)) == (
        "Syncing… 1,200 received"
    )
    assert _line(fmt, phase=SyncPhase.SYNCING, progress=SyncProgress(1, 4, 2)) == (
        "Syncing… 4 sent · 2 received"
    )
    assert _line(fmt, phase=SyncPhase.SYNCING, stopping=True) == "Stopping the sync…"
    assert _line(
        fmt, phase=SyncPhase.PROBLEM, problem=ProblemKind.CLOCK,
        next_try_at=NOW + timedelta(minutes=1),
    ) == "Sync stopped: this laptop's clock is wrong · next try in 1 min"  # fmt: skip
    assert _line(fmt, phase=SyncPhase.PROBLEM, problem=ProblemKind.SIGNED_OUT, pending=2) == (
        "Signed out · sign in again in Settings · 2 changes waiting"
    )


def test_retries_back_off_exponentially_up_to_a_cap():
    timings = SyncTimings()
    delays = [retry_delay(n, timings) // 1000 for n in range(1, 9)]
    assert delays == [30, 60, 120, 240, 480, 900, 900, 900]
    assert retry_delay(0, timings) == timings.every  # after a success: the usual pace
    assert retry_delay(10_000, timings) == 900_000


def _item(**fields) -> ConflictItem:
    base = {
        "id": 1, "table": "offer", "row_id": "o1", "field": "amount_cents",
        "yours": 1_240_000, "theirs": 1_190_000, "their_author": "office",
        "kept": Choice.THEIRS, "received_at": NOW,
        "record": {"reference": "2026-031", "title": "Pont", "currency": "EUR"},
        "account_name": "Garage Moreau",
    }  # fmt: skip
    return ConflictItem(**{**base, **fields})


def test_a_conflict_reads_as_the_rep_would_say_it(fmt):
    assert conflict_sentence(_item(), fmt, "rep") == (
        "Offer 2026-031 (Garage Moreau), amount: yours €12,400, office €11,900; office's was "
        "kept because it was later."
    )
    kept_mine = _item(field="status", yours=OfferStatus.WON, theirs=OfferStatus.LOST,
                      kept=Choice.YOURS)  # fmt: skip
    assert conflict_sentence(kept_mine, fmt, "rep") == (
        "Offer 2026-031 (Garage Moreau), status: yours Won, office Lost; yours was kept because "
        "it was later."
    )
    assert keep_label(kept_mine, Choice.THEIRS, "rep") == "Keep office's"


def test_an_activity_conflict_names_the_activity_and_shows_local_times(fmt):
    done = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    item = _item(
        table="activity", field="done_at", yours=done, theirs=done + timedelta(hours=2),
        their_author="rep",
        record={"kind": ActivityKind.VISIT, "done_at": done + timedelta(hours=2), "due_at": None},
        account_name="Hôtel du Lac",
    )  # fmt: skip
    sentence = conflict_sentence(item, fmt, "rep")
    assert sentence.startswith(f"Visit of {fmt.date(done)} with Hôtel du Lac, done on: yours ")
    assert f"yours {fmt.datetime(done)}, your other computer " in sentence
    assert fmt.datetime(done + timedelta(hours=2)) in sentence


def test_a_deleted_record_and_empty_values_are_said_so(fmt):
    item = _item(field="lost_reason", yours=None, theirs="Trop cher " * 10, record=None)
    sentence = conflict_sentence(item, fmt, "rep")
    assert sentence.startswith("A record deleted since, reason lost: yours (empty), office “Trop")
    assert "…”" in sentence  # a long note is cut short


def test_starting_the_app_imports_neither_httpx_nor_keyring(python_exe):
    """The first window paints before the sync stack is loaded (DESIGN: heavy imports wait)."""
    done = subprocess.run(
        [python_exe, "-X", "importtime", "-c", "import kpidesk.ui.app"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    assert imported  # the import-time report was read
    assert not {name for name in imported if name.split(".")[0] in ("httpx", "keyring")}
