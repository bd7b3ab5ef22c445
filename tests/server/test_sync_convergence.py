"""The randomised convergence suite of SYNC.md on SQLite and PostgreSQL (in-process server).

CI runs a few hundred examples per database; KPIDESK_SYNC_EXAMPLES sets another number for a
long run, e.g. (one line)::

    KPIDESK_SYNC_EXAMPLES=5000 .venv/bin/pytest tests/server/test_sync_convergence.py

"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from kpidesk.server.settings import ServerSettings
from tests.conftest import require
from tests.server.conftest import CHEAP_HASHING, _empty_postgres_tables
from tests.server.convergence import ConvergenceMachine, InProcessLink

DEFAULT_EXAMPLES = {"sqlite": 200, "postgresql": 100}


def _examples(backend: str) -> int:
    return int(os.environ.get("KPIDESK_SYNC_EXAMPLES", DEFAULT_EXAMPLES[backend]))


def test_laptops_and_server_converge(backend, sqlite_template, postgres):
    if backend == "postgresql":
        require(postgres.url is not None, postgres.reason)

    class Machine(ConvergenceMachine):
        def make_link(self, folder: Path) -> InProcessLink:
            if backend == "sqlite":
                target = folder / "server" / "kpidesk-server.sqlite"
                target.parent.mkdir(parents=True)
                shutil.copyfile(sqlite_template, target)
                url = f"sqlite:///{target}"
            else:
                _empty_postgres_tables(postgres.url)
                url = postgres.url.render_as_string(hide_password=False)
            return InProcessLink(
                ServerSettings(data_dir=folder / "server", database_url=url,
                               password_hashing=CHEAP_HASHING)
            )  # fmt: skip

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=_examples(backend),
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
