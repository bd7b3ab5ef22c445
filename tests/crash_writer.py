"""A kpidesk writer for the crash test: logs activities and offers through the services, syncs
with a real server now and then, and prints one line after each commit (``saved KIND ID VALUE``)
so the test knows exactly what was reported as saved when it kills the process.

    python -m tests.crash_writer DB SERVER_URL SEED   (the device token in KPIDESK_CRASH_TOKEN)
"""

from __future__ import annotations

import os
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kpidesk.services.workspace import open_workspace
from kpidesk.sync.credentials import CredentialStore
from kpidesk.sync.errors import SyncProblemError
from kpidesk.sync.session import SyncSession

SYNC_EVERY = 4


class TokenFromEnvironment(CredentialStore):
    """The test signed the laptop in; the token comes with the process, never in a file."""

    def has_keyring(self) -> bool:
        return False

    def load(self, server_url: str, username: str) -> str | None:
        return os.environ["KPIDESK_CRASH_TOKEN"]


def main(db_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    workspace = open_workspace(db_path)
    session = SyncSession(workspace.db, TokenFromEnvironment())
    account = workspace.accounts.create({"name": f"Crash account {seed}"}).id
    print(f"saved account {account} Crash account {seed}", flush=True)
    now = datetime.now(UTC)
    for n in range(1, 10_000):
        if rng.random() < 0.6:
            note = f"visit {seed}-{n}"
            made = workspace.activities.create(
                {"account_id": account, "kind": "visit", "done_at": now - timedelta(minutes=n),
                 "outcome": note}
            )  # fmt: skip
            print(f"saved activity {made.id} {note}", flush=True)
        else:
            cents = rng.randrange(1_000, 1_000_000)
            made = workspace.offers.create(
                {"account_id": account, "amount_cents": cents, "status": "sent", "sent_at": now}
            )
            print(f"saved offer {made.id} {cents}", flush=True)
        if n % SYNC_EVERY == 0:
            try:
                session.sync()
            except SyncProblemError as problem:  # the server is busy: the next round sends it
                print(f"sync-problem {problem.kind.value}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[3]))
