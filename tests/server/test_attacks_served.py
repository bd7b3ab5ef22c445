"""Attacks on a real ``kpidesk-server serve`` process: real sockets, real concurrency, and on
PostgreSQL two worker processes."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import PASSWORD, People
from tests.server.test_serve import free_port, serving

# Each case is one attack of issue 16 against a real server: the README counts them.
pytestmark = pytest.mark.proof("attacks")


def _workers(backend: str) -> tuple[str, ...]:
    return ("--workers", "2") if backend == "postgresql" else ()


def _parallel_logins(base: str, passwords: list[str]) -> list[int]:
    """One login per password, all released at once; the statuses in the same order."""
    start = threading.Barrier(len(passwords))

    def attempt(password: str) -> int:
        with httpx.Client(base_url=base, timeout=60) as http:
            start.wait()
            body = {"username": "rep", "password": password, "device_name": "guess"}
            return http.post("/v1/auth/login", json=body).status_code

    with ThreadPoolExecutor(len(passwords)) as pool:
        return list(pool.map(attempt, passwords))


def test_parallel_wrong_passwords_are_each_counted(server_db_url, backend, people: People):
    with serving(server_db_url, *_workers(backend)) as (base, _log):
        statuses = Counter(_parallel_logins(base, ["wrong wrong"] * 30))
    assert statuses == {401: 5, 429: 25}  # 26 of 30 were checked when counted afterwards


def test_parallel_guesses_with_the_right_one_last_are_throttled(
    server_db_url, backend, people: People
):
    with serving(server_db_url, *_workers(backend)) as (base, _log):
        statuses = Counter(_parallel_logins(base, ["wrong wrong"] * 15 + [PASSWORD]))
    # At most 5 guesses are checked before one is right; a right one forgets the failures
    # (its sender knows the password), so at most 5 more may follow it. Counted after the
    # check, all 16 were checked and the last got in.
    checked = statuses[401] + statuses[200]
    assert checked <= 5 + 5 * statuses[200], statuses
    assert statuses[429] >= 6, statuses


def _wrong_login(http: httpx.Client, username: str, forwarded_for: str) -> int:
    body = {"username": username, "password": "wrong wrong", "device_name": "x"}
    headers = {"X-Forwarded-For": forwarded_for}
    return http.post("/v1/auth/login", json=body, headers=headers).status_code


def test_no_proxy_is_trusted_unless_named(server_db_url, people: People):
    # From loopback, claiming a new address for each guess used to dodge the per-address
    # throttle (uvicorn trusts 127.0.0.1 by default).
    with serving(server_db_url) as (base, _log), httpx.Client(base_url=base) as http:
        for n in range(20):
            assert _wrong_login(http, f"u{n}", f"203.0.113.{n}") == 401
        assert _wrong_login(http, "u99", "198.51.100.1") == 429
    with (
        serving(server_db_url, "--forwarded-allow-ips", "127.0.0.1") as (base, _log),
        httpx.Client(base_url=base) as http,
    ):
        # Named, the proxy is trusted: this is a new client address, not yet throttled.
        assert _wrong_login(http, "u99", "198.51.100.1") == 401


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has stopped: it only waits to be reaped


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_workers_stop_when_their_master_is_killed(server_db_url, people: People):
    port = free_port()
    procs: list = []
    with serving(server_db_url, "--workers", "2", port=port, procs=procs) as (base, _log):
        master = procs[0]
        workers = [pid for pid in _children(master.pid) if _alive(pid)]
        assert len(workers) >= 2, workers
        os.kill(master.pid, signal.SIGKILL)
        master.wait()
        deadline = time.monotonic() + 20
        try:
            while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.2)
            survivors = [pid for pid in workers if _alive(pid)]
        finally:  # a failing run leaves no server behind
            for pid in workers:
                if _alive(pid):
                    os.kill(pid, signal.SIGKILL)
        assert not survivors, "workers outlived their master"
    # The port is free again: a restarted server starts.
    with serving(server_db_url, port=port) as (base, _log):
        assert httpx.get(f"{base}/v1/health").status_code == 200
