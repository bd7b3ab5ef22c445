"""The desktop app on a laptop database, syncing with the in-process server app.

The GUI tests of sync drive the real window, pages and SyncController as a rep would; the
server is the real FastAPI app behind the same HTTP code as in production (TestClient), and the
network can be switched off. Time is a clock the test moves; timers are short only where a test
wants something automatic to happen.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import QSettings

from kpidesk.services.workspace import Workspace, open_workspace
from kpidesk.sync.session import SyncSession
from kpidesk.ui.app import create_application
from kpidesk.ui.desktop import DesktopApp, build_pages
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.sync_controller import SyncController
from kpidesk.ui.sync_state import SyncTimings
from kpidesk.ui.tasks import TaskRunner
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, MemoryCredentials

HOUR = 3_600_000
# Nothing happens by itself: a test shortens the timing it is about.
QUIET = SyncTimings(
    every=HOUR, after_change=HOUR, at_start=HOUR, first_retry=HOUR, max_retry=HOUR,
    refresh_text=HOUR,
)  # fmt: skip


class Network:
    """The laptop's connection: the in-process server, or nothing (connection refused).

    ``gate``: while offline, each request waits for it first (a slow network), so a test can
    look at the app while a sync is stuck on the network.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.online = True
        self.gate: threading.Event | None = None
        self.connections = 0

    def http(self, url: str, _ca_bundle: str | None) -> httpx.Client:
        self.connections += 1
        if self.online:
            return TestClient(self.app, base_url=url)

        def refuse(request: httpx.Request) -> httpx.Response:
            if self.gate is not None:
                self.gate.wait(10)
            raise httpx.ConnectError("connection refused", request=request)

        return httpx.Client(base_url=url, transport=httpx.MockTransport(refuse))


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class CountingSession(SyncSession):
    """Counts the database reads of the sync state (the status bar must not make any)."""

    status_reads = 0

    def status(self):
        self.status_reads += 1
        return super().status()


@dataclass
class DesktopLaptop:
    desktop: DesktopApp
    workspace: Workspace
    session: CountingSession
    credentials: MemoryCredentials
    network: Network
    clock: Clock
    tasks: TaskRunner

    @property
    def window(self) -> MainWindow:
        return self.desktop.window

    @property
    def sync(self) -> SyncController:
        return self.desktop.sync

    @property
    def status_text(self) -> str:
        return self.window.sync_label.text()

    def activate(self, qtbot) -> None:
        """Make this window the active one (keyboard focus moves only in the active window)."""
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)

    def stored_token(self, username: str = "rep") -> str | None:
        """The device token kept for ``username`` on this laptop (the keyring's entry)."""
        from kpidesk.store import meta
        from kpidesk.sync.session import keyring_account

        with self.workspace.db.read() as conn:
            device_id = meta.get(conn, meta.DEVICE_ID)
        return self.credentials.load(SERVER_URL, keyring_account(username, device_id))

    def sign_in(self, username: str = "rep") -> None:
        """Signed in beforehand (not through the form)."""
        self.session.sign_in(SERVER_URL, username, PASSWORD)
        self.sync.refresh()


@pytest.fixture
def open_desktop(qtbot, app, tmp_path) -> Iterator:
    """``open_desktop(name, timings=..., synchronous=True, signed_in_as=None)``."""
    opened: list[DesktopLaptop] = []
    create_application()

    def open_one(
        name: str = "laptop",
        *,
        timings: SyncTimings = QUIET,
        synchronous: bool = True,
        signed_in_as: str | None = None,
    ) -> DesktopLaptop:
        workspace = open_workspace(Path(tmp_path) / f"{name}.sqlite")
        network, clock, credentials = Network(app), Clock(), MemoryCredentials()
        session = CountingSession(workspace.db, credentials, network.http)
        if signed_in_as:
            session.sign_in(SERVER_URL, signed_in_as, PASSWORD)
        settings = QSettings(str(Path(tmp_path) / f"{name}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        tasks = TaskRunner(window, synchronous=synchronous)
        desktop = build_pages(
            window, workspace, tasks, sync_session=session, credentials=credentials,
            sync_timings=timings, sync_clock=clock,
        )  # fmt: skip
        laptop = DesktopLaptop(desktop, workspace, session, credentials, network, clock, tasks)
        opened.append(laptop)
        if not synchronous:
            qtbot.waitUntil(lambda: laptop.sync.state.username == signed_in_as, timeout=5000)
        return laptop

    yield open_one
    for laptop in opened:
        laptop.sync.shutdown()
        if laptop.network.gate is not None:
            laptop.network.gate.set()
        laptop.tasks.wait()
        laptop.window.close()
        laptop.workspace.close()
