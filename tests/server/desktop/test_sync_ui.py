"""Syncing from the desktop: sign in and out in Settings, the status bar, "Sync now", automatic
sync after local changes, and offline backoff, against the real server app."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kpidesk.domain.changes import Changes
from kpidesk.presentation.sync import no_keyring_text
from kpidesk.store import meta
from kpidesk.store.changes import changes
from kpidesk.sync.credentials import NO_KEYRING_MESSAGE
from kpidesk.sync.errors import ProblemKind
from kpidesk.ui.sync_state import SyncPhase
from tests.server.conftest import PASSWORD
from tests.server.desktop.conftest import HOUR, QUIET
from tests.sync.helpers import SERVER_URL, laptop, table_rows

# The sync UI does not depend on the server's database: SQLite is enough here.
pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _type_into_focus(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def _tab(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def _meta(workspace, key: str) -> str | None:
    with workspace.db.read() as conn:
        return meta.get(conn, key)


def test_signing_in_from_settings_with_the_keyboard_then_synced(
    qtbot, open_desktop, people, app, tmp_path
):
    rep = open_desktop()
    garage = rep.workspace.accounts.create({"name": "Garage Moreau"}).id  # before signing in
    rep.desktop.ctx.events.announce(Changes.of(["account"]))
    assert rep.status_text == ("Not connected to a team server · changes kept on this laptop: 1")
    rep.window.show_page("settings")
    form = rep.desktop.settings.server.form
    assert form.isVisible()
    assert not rep.desktop.settings.server.connected.isVisible()
    rep.activate(qtbot)
    form.server.setFocus()
    _type_into_focus(qtbot, SERVER_URL)
    _tab(qtbot)
    assert QApplication.focusWidget() is form.username
    _type_into_focus(qtbot, "rep")
    _tab(qtbot)
    assert QApplication.focusWidget() is form.password
    _type_into_focus(qtbot, PASSWORD)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    # http:// to another computer: warned first, nothing sent; Enter again goes ahead.
    assert form.clear_text_warning.isVisible() and rep.network.connections == 0
    assert form.sign_in_button.text() == "Sign in anyway"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)

    # Signed in, then synced at once: the record made before signing in reached the server.
    assert rep.status_text == "Synced just now"
    assert rep.sync.state.pending == 0
    assert rep.stored_token() is not None
    assert _meta(rep.workspace, meta.SERVER_URL) == SERVER_URL
    connected = rep.desktop.settings.server.connected
    assert connected.isVisible() and not form.isVisible()
    assert (connected.server.text(), connected.user.text()) == (SERVER_URL, "rep")
    assert rep.desktop.settings.pending.text() == "0"  # "Your data: changes not yet synced"
    assert form.password.text() == ""  # not kept in the form
    other = laptop(app, tmp_path / "other.sqlite")
    other.session.sign_in(SERVER_URL, "rep", PASSWORD)
    other.sync()
    assert table_rows(other.db, "account", "id, name, owner_id") == [
        (garage, "Garage Moreau", people.rep.id)
    ]
    other.close()


def test_a_wrong_password_shows_the_reason_and_stores_nothing(qtbot, open_desktop, people):
    rep = open_desktop()
    rep.window.show_page("settings")
    form = rep.desktop.settings.server.form
    qtbot.keyClicks(form.server, SERVER_URL)
    qtbot.keyClicks(form.username, "rep")
    qtbot.keyClicks(form.password, "not the password")
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)  # past the plain-http warning

    assert (
        form.errors.text_for("password")
        == "Wrong username or password (or the account is disabled)."
    )
    assert form.errors.text_for("server") == ""
    assert form.sign_in_button.isEnabled()  # no longer busy: the rep can try again
    assert _meta(rep.workspace, meta.SERVER_URL) is None
    assert _meta(rep.workspace, meta.USER_ID) is None
    assert rep.stored_token() is None
    assert rep.sync.state.phase is SyncPhase.NOT_CONNECTED
    assert rep.status_text.startswith("Not connected to a team server")


def test_a_bad_address_is_refused_next_to_the_field_without_a_request(qtbot, open_desktop):
    rep = open_desktop()
    rep.window.show_page("settings")
    form = rep.desktop.settings.server.form
    rep.activate(qtbot)
    qtbot.keyClicks(form.server, "kpidesk.example.com")  # no https://
    qtbot.keyClicks(form.username, "rep")
    qtbot.keyClick(form.username, Qt.Key.Key_Return)
    assert "https://" in form.errors.text_for("server")
    assert form.errors.text_for("password") == "Enter your password."
    assert QApplication.focusWidget() is form.server
    assert rep.network.connections == 0


def test_without_a_keyring_settings_says_the_sign_in_lasts_this_session(open_desktop):
    rep = open_desktop()
    assert no_keyring_text() == NO_KEYRING_MESSAGE  # the same words as the engine's
    rep.window.show_page("settings")
    note = rep.desktop.settings.server.form.keyring_note
    assert note.isVisible()
    assert note.text() == NO_KEYRING_MESSAGE


def test_the_sync_now_shortcut_syncs_at_once(qtbot, open_desktop, people, app, tmp_path):
    rep = open_desktop(signed_in_as="rep")
    rep.workspace.accounts.create({"name": "Hôtel du Lac"})
    rep.desktop.ctx.events.announce(Changes.of(["account"]))
    assert rep.status_text == "Not synced yet · 1 change waiting"
    rep.activate(qtbot)
    qtbot.keyClick(
        rep.window, Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )  # fmt: skip
    assert rep.status_text == "Synced just now"
    other = laptop(app, tmp_path / "other.sqlite")
    other.session.sign_in(SERVER_URL, "rep", PASSWORD)
    other.sync()
    assert table_rows(other.db, "account", "name") == [("Hôtel du Lac",)]
    other.close()


def test_the_status_text_stays_fresh_without_reading_the_database(qtbot, open_desktop, people):
    rep = open_desktop(signed_in_as="rep", timings=replace(QUIET, refresh_text=20))
    rep.sync.sync_now()
    assert rep.status_text == "Synced just now"
    reads = rep.session.status_reads
    rep.clock.advance(minutes=3)
    qtbot.waitUntil(lambda: rep.status_text == "Synced 3 min ago", timeout=2000)
    rep.clock.advance(hours=2)
    qtbot.waitUntil(lambda: rep.status_text == "Synced 2 h ago", timeout=2000)
    assert rep.session.status_reads == reads


def test_local_changes_are_sent_after_the_debounce_in_one_sync(qtbot, open_desktop, people):
    rep = open_desktop(signed_in_as="rep", timings=replace(QUIET, after_change=60))
    finished = []
    rep.sync.sig_sync_finished.connect(finished.append)
    actions = rep.desktop.actions
    account = rep.workspace.accounts.create({"name": "Serrurerie Dumas"}).id
    rep.desktop.ctx.events.announce(Changes.of(["account"]))
    actions.set_temperature(account, "warm")
    actions.set_temperature(account, "hot")  # three changes in a burst
    assert rep.sync.state.pending == 3
    assert finished == []  # not at once: a few moments after the last change
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=3000)
    assert finished[0].sent == 3
    assert rep.sync.state.pending == 0
    assert rep.status_text == "Synced just now"
    qtbot.wait(150)
    assert len(finished) == 1  # the sync's own refresh of the pages does not sync again


def test_offline_backs_off_and_never_blocks_the_window(qtbot, open_desktop, people):
    timings = replace(QUIET, first_retry=50, max_retry=200, every=HOUR)
    rep = open_desktop(signed_in_as="rep", timings=timings, synchronous=False)
    rep.network.online = False
    rep.network.gate = gate = threading.Event()
    rep.workspace.accounts.create({"name": "Boulangerie Héloïse"})
    rep.desktop.ctx.events.announce(Changes.of(["account"]))
    rep.sync.sync_now()
    # The sync waits on the network in the background; the window goes on working.
    assert rep.sync.state.phase is SyncPhase.SYNCING
    qtbot.wait(100)
    assert rep.status_text == "Syncing…"
    rep.workspace.accounts.create({"name": "Written while the sync waits"})
    rep.desktop.ctx.events.announce(Changes.of(["account"]))
    rep.window.show_page("accounts")
    qtbot.waitUntil(lambda: rep.desktop.accounts.model.rowCount() == 2)
    assert rep.sync.state.phase is SyncPhase.SYNCING

    delays = []
    rep.sync.sig_sync_finished.connect(
        lambda _report: delays.append(rep.sync.state.next_try_at - rep.clock())
    )
    gate.set()
    qtbot.waitUntil(lambda: len(delays) >= 5, timeout=5000)
    # 50 ms, then doubled each time the server cannot be reached, never more than 200 ms.
    assert [round(d.total_seconds() * 1000) for d in delays[:5]] == [50, 100, 200, 200, 200]
    qtbot.waitUntil(lambda: rep.sync.state.phase is SyncPhase.OFFLINE)
    assert rep.status_text.startswith("Offline · 2 changes waiting · next try in ")

    rep.network.online = True  # back: the next try sends everything, and the backoff resets
    qtbot.waitUntil(lambda: rep.sync.state.phase is SyncPhase.IDLE, timeout=5000)
    assert rep.sync.state.pending == 0
    assert rep.status_text == "Synced just now"
    assert rep.sync.state.next_try_at - rep.clock() == timedelta(milliseconds=HOUR)


def test_sign_out_forgets_the_token_here_and_on_the_server(qtbot, open_desktop, people, app):
    rep = open_desktop(signed_in_as="rep")
    rep.sync.sync_now()
    token = rep.stored_token()
    rep.window.show_page("settings")
    connected = rep.desktop.settings.server.connected
    assert connected.isVisible()
    qtbot.mouseClick(connected.sign_out_button, Qt.MouseButton.LeftButton)

    assert rep.stored_token() is None
    assert rep.sync.state.phase is SyncPhase.NOT_CONNECTED
    assert rep.status_text == "Not connected to a team server"
    assert rep.desktop.settings.server.form.isVisible()
    with TestClient(app) as client:  # the server revoked the token too
        assert client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_signing_out_offline_says_the_server_could_not_be_told(qtbot, open_desktop, people):
    rep = open_desktop(signed_in_as="rep")
    rep.network.online = False
    rep.sync.sign_out()
    assert rep.stored_token() is None
    assert rep.sync.state.phase is SyncPhase.NOT_CONNECTED
    assert rep.window.toast.text().startswith(
        "Signed out of this laptop, but the team server could not be told"
    )


def test_a_revoked_sign_in_asks_to_sign_in_again_and_nothing_is_lost(
    qtbot, open_desktop, people, app
):
    rep = open_desktop(signed_in_as="rep")
    token = rep.stored_token()
    with TestClient(app) as client:  # an administrator (or another device) revoked it
        client.post("/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    rep.workspace.accounts.create({"name": "Kept meanwhile"})
    rep.desktop.ctx.events.announce(Changes.of(["account"]))
    rep.sync.sync_now()

    assert rep.sync.state.needs_sign_in
    assert rep.status_text == "Signed out · sign in again in Settings · 1 change waiting"
    assert rep.window.toast.isVisible() and "Sign in again" in rep.window.toast.text()
    assert rep.sync.state.next_try_at is None or rep.sync.state.phase is not SyncPhase.OFFLINE
    rep.window.show_page("settings")
    form = rep.desktop.settings.server.form
    assert form.isVisible()
    assert (form.server.text(), form.username.text()) == (SERVER_URL, "rep")
    qtbot.keyClicks(form.password, PASSWORD)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)
    assert rep.status_text == "Synced just now"
    assert rep.sync.state.pending == 0


def test_a_click_on_the_status_stops_a_running_sync_after_its_step(qtbot, open_desktop, people):
    rep = open_desktop(signed_in_as="rep")
    with changes(rep.workspace.db) as change_set:  # more than one request's worth (500)
        for n in range(600):
            rep.workspace.accounts.create_in(change_set, {"name": f"Prospect {n}"})
    rep.sync.refresh()
    seen = []

    def stop_after_the_first_step(state):
        if state.progress and state.progress.steps == 1 and not state.stopping:
            seen.append(rep.status_text)
            qtbot.mouseClick(rep.window.sync_label, Qt.MouseButton.LeftButton)
            seen.append(rep.status_text)

    rep.sync.sig_state_changed.connect(stop_after_the_first_step)
    rep.sync.sync_now()
    # (What the server took comes back in the next sync, not in this round trip's reply.)
    assert seen == ["Syncing… 500 sent", "Stopping the sync…"]
    assert rep.sync.state.phase is SyncPhase.IDLE
    assert rep.sync.state.pending == 100  # the rest waits for the next sync
    assert rep.status_text == "Not synced yet · 100 changes waiting"
    rep.sync.sig_state_changed.disconnect(stop_after_the_first_step)
    rep.sync.sync_now()
    assert rep.status_text == "Synced just now"


def test_a_clock_far_ahead_stops_the_sync_with_a_toast_and_retries_later(open_desktop, people):
    rep = open_desktop(signed_in_as="rep", timings=replace(QUIET, first_retry=60_000))
    ahead = int((datetime.now(UTC) + timedelta(minutes=20)).timestamp() * 1000)
    with changes(rep.workspace.db, now_ms=lambda: ahead) as change_set:
        rep.workspace.accounts.create_in(change_set, {"name": "Written with a wrong clock"})
    rep.sync.refresh()
    rep.sync.sync_now()
    assert rep.sync.state.problem is ProblemKind.CLOCK
    assert rep.status_text == (
        "Sync stopped: this laptop's clock is wrong · 1 change waiting · next try in 1 min"
    )
    assert rep.window.toast.isVisible()
    assert rep.window.toast.text().startswith("This laptop's clock is wrong")
    assert rep.sync.state.next_try_at is not None  # retried: the clock may be set right
