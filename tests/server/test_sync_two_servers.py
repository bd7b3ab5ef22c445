"""The convergence suite against two real server processes behind one PostgreSQL (SYNC.md):
server_version assignment must stay serialised across processes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from tests.conftest import require
from tests.server.convergence import ConvergenceMachine, ProcessLink
from tests.server.test_serve import serving

EXAMPLES = int(os.environ.get("KPIDESK_SYNC_EXAMPLES_PROCESSES", 60))


class ServerProcesses:
    """Two ``kpidesk-server serve`` processes; a restart stops one and starts a new one (the
    old one must go: each holds a pool of PostgreSQL connections)."""

    def __init__(self, url: str, count: int = 2) -> None:
        self._url = url
        self._running: list[Any] = [None] * count
        self.bases = [self.restart(k) for k in range(count)]

    def restart(self, k: int) -> str:
        if self._running[k] is not None:
            self._running[k].__exit__(None, None, None)
        self._running[k] = serving(self._url)
        base, _log = self._running[k].__enter__()
        return base

    def stop(self) -> None:
        for context in self._running:
            if context is not None:
                context.__exit__(None, None, None)


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_server_processes_on_one_postgresql_converge(backend, server_db_url, postgres):
    require(postgres.url is not None, postgres.reason)
    servers = ServerProcesses(server_db_url)

    class Machine(ConvergenceMachine):
        max_restarts = 1

        def make_link(self, folder: Path) -> ProcessLink:
            return ProcessLink(server_db_url, list(servers.bases), self._restart)

        def _restart(self, k: int) -> str:
            servers.bases[k] = servers.restart(k)
            return servers.bases[k]

    try:
        run_state_machine_as_test(
            Machine,
            settings=settings(
                max_examples=EXAMPLES, stateful_step_count=30, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            ),
        )  # fmt: skip
    finally:
        servers.stop()
