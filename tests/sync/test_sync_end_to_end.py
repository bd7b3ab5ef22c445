"""The whole thing as a rep's IT would run it: a real `kpidesk-server serve` process, two
laptops signing in with `kpidesk login` (token in a real Secret Service), offline edits on
both, `kpidesk sync`, identical databases; and `kpidesk logout`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.services.workspace import open_workspace
from tests.server.conftest import PASSWORD
from tests.server.test_serve import serving

NOW = datetime.now(UTC)


def kpidesk(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "kpidesk.cli", *map(str, args)], env=env,
                          input=stdin, capture_output=True, text=True, timeout=120)  # fmt: skip


def dump(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: sorted(conn.execute(f"SELECT id, owner_id, cl, clocks IS NOT NULL FROM {t}"))
            for t in ("account", "contact", "activity", "offer")
        }
    finally:
        conn.close()


def files_under(*folders: Path) -> list[Path]:
    return [p for folder in folders if folder.exists() for p in folder.rglob("*") if p.is_file()]


@pytest.mark.keyring
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_two_laptops_sync_through_a_real_server(
    backend, server_db_url, people, secret_service, tmp_path
):
    env = {
        **secret_service,
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    laptops = [tmp_path / "a.sqlite", tmp_path / "b.sqlite"]
    for path in laptops:
        assert kpidesk(env, "init", "--db", path).returncode == 0
    with serving(server_db_url) as (base, _log):
        # Offline work first, on both laptops.
        a = open_workspace(laptops[0])
        garage = a.accounts.create({"name": "Garage Moreau"}).id
        a.offers.create({"account_id": garage, "amount_cents": 120_000,
                         "status": OfferStatus.SENT, "sent_at": NOW})  # fmt: skip
        a.close()
        b = open_workspace(laptops[1])
        hotel = b.accounts.create({"name": "Hôtel du Lac"}).id
        b.activities.create({"account_id": hotel, "kind": "visit", "done_at": NOW,
                             "private_note": "stays on b"})  # fmt: skip
        b.close()
        tokens = []
        for path in laptops:
            signed = kpidesk(env, "login", base, "rep", "--password-stdin", "--db", path,
                             stdin=PASSWORD + "\n")  # fmt: skip
            assert signed.returncode == 0, signed.stderr
            assert "kept in the system keyring" in signed.stdout
            tokens.append(kpidesk_token(env, base, path))
        for path in (*laptops, laptops[0]):
            synced = kpidesk(env, "sync", "--json", "--db", path)
            assert synced.returncode == 0, synced.stderr
        report = json.loads(synced.stdout)
        assert report["pending"] == 0
        assert dump(laptops[0]) == dump(laptops[1])
        assert {row[1] for row in dump(laptops[0])["account"]} == {people.rep.id}
        # The token is in the keyring and nowhere in the laptops' files.
        secrets = [t for t in tokens if t]
        assert secrets
        for path in files_under(tmp_path / "data", tmp_path / "config", tmp_path / "state",
                                *(p.parent for p in laptops)):  # fmt: skip
            content = path.read_bytes()
            assert not any(s.encode() in content for s in secrets), f"a token in {path}"
        # Logout revokes the token on the server and forgets it here.
        out = kpidesk(env, "logout", "--db", laptops[1])
        assert out.returncode == 0, out.stderr
        me = httpx.get(f"{base}/v1/me", headers={"Authorization": f"Bearer {tokens[-1]}"})
        assert me.status_code == 401
        assert kpidesk_token(env, base, laptops[1]) is None
        assert kpidesk_token(env, base, laptops[0]) == tokens[0]  # the other profile stays
        assert kpidesk(env, "sync", "--db", laptops[1]).returncode == 2  # signed out


def kpidesk_token(env, base: str, db: Path) -> str | None:
    """What the keyring holds for this database's sign-in (read like kpidesk does)."""
    conn = sqlite3.connect(db)
    device = conn.execute("SELECT value FROM local_meta WHERE key = 'device_id'").fetchone()[0]
    conn.close()
    probe = (
        "import keyring; from kpidesk.sync.credentials import _service;"
        "from kpidesk.sync.session import keyring_account;"
        f"print(keyring.get_password(_service({base!r}), keyring_account('rep', {device!r})) or '')"
    )
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                         text=True, timeout=60, check=True).stdout.strip()  # fmt: skip
    return out or None


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_without_a_keyring_kpidesk_login_refuses_before_signing_in(
    backend, server_db_url, people, tmp_path
):
    env = {**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    laptop = tmp_path / "laptop.sqlite"
    assert kpidesk(env, "init", "--db", laptop).returncode == 0
    engine = sa.create_engine(server_db_url)
    with engine.connect() as conn:
        devices_before = conn.exec_driver_sql("SELECT count(*) FROM device").scalar()
    with serving(server_db_url) as (base, _log):
        signed = kpidesk(env, "login", base, "rep", "--password-stdin", "--db", laptop,
                         stdin=PASSWORD + "\n")  # fmt: skip
        assert (signed.returncode, signed.stderr.count("\n")) == (1, 1), signed.stderr
        assert "no system keyring is available" in signed.stderr
        later = kpidesk(env, "sync", "--db", laptop)
        assert later.returncode == 2
        assert "run 'kpidesk login URL USERNAME' first" in later.stderr
    # A token that would die with the command was never issued: no new device on the server.
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM device").scalar() == devices_before
    engine.dispose()


@pytest.mark.keyring
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_sign_in_errors_are_one_clear_line_and_change_nothing(
    backend, server_db_url, people, secret_service, tmp_path
):
    env = {**secret_service, "XDG_DATA_HOME": str(tmp_path / "data")}
    laptop = tmp_path / "laptop.sqlite"
    assert kpidesk(env, "init", "--db", laptop).returncode == 0
    before = laptop.read_bytes()
    bad_url = kpidesk(env, "login", "kpidesk.example", "rep", "--password-stdin", "--db", laptop,
                      stdin="x\n")  # fmt: skip
    assert (bad_url.returncode, bad_url.stderr.count("\n")) == (2, 1)
    assert "not a server address" in bad_url.stderr
    with serving(server_db_url) as (base, _log):
        wrong = kpidesk(env, "login", base, "rep", "--password-stdin", "--db", laptop,
                        stdin="not the password\n")  # fmt: skip
        assert (wrong.returncode, wrong.stderr.count("\n")) == (2, 1), wrong.stderr
        assert "Wrong username or password" in wrong.stderr
        assert "Traceback" not in wrong.stderr
    offline = kpidesk(env, "login", base, "rep", "--password-stdin", "--db", laptop,
                      stdin=PASSWORD + "\n")  # the server has stopped  # fmt: skip
    assert offline.returncode == 1
    assert "cannot be reached" in offline.stderr
    conn = sqlite3.connect(laptop)
    signed = conn.execute("SELECT count(*) FROM local_meta WHERE key = 'server_url'").fetchone()
    conn.close()
    assert signed == (0,)  # nothing was kept from the failed attempts
    assert laptop.read_bytes() != b"" and before  # the database is still there
