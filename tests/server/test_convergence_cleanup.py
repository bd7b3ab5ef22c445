"""Each example of the convergence suite removes its temporary folder (912 MB were seen)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from kpidesk.server.settings import ServerSettings
from tests.server.conftest import CHEAP_HASHING
from tests.server.convergence import ConvergenceMachine, InProcessLink


def test_each_convergence_example_removes_its_folder(tmp_path, sqlite_template, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    class Machine(ConvergenceMachine):
        def make_link(self, folder: Path) -> InProcessLink:
            target = folder / "server" / "kpidesk-server.sqlite"
            target.parent.mkdir(parents=True)
            shutil.copyfile(sqlite_template, target)
            return InProcessLink(
                ServerSettings(data_dir=folder / "server", database_url=f"sqlite:///{target}",
                               password_hashing=CHEAP_HASHING)
            )  # fmt: skip

    run_state_machine_as_test(
        Machine, settings=settings(max_examples=3, stateful_step_count=5, deadline=None)
    )
    assert list(tmp_path.glob("kpidesk-convergence-*")) == []
