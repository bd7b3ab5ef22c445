"""A real ``kpidesk-server serve`` process on a free port, used over HTTP(S)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import require
from tests.server.conftest import PASSWORD, People


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(
    url: str, *args: str, scheme: str = "http", verify=True, port: int | None = None,
    procs: list | None = None,
) -> Iterator[tuple[str, list]]:  # fmt: skip
    """Start the server, wait until it answers, stop it; yields its base URL and output.
    (``procs``, when given, receives the server process.)

    The output goes to a temporary file, not a pipe: nobody reads a pipe while the server
    runs, and once its 64 KiB are full of access-log lines the server blocks on its next
    write and every request times out."""
    port = port or free_port()
    env = {**os.environ, "KPIDESK_DATABASE_URL": url}
    log: list[str] = []
    with tempfile.TemporaryFile("w+") as output:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kpidesk.server.cli", "serve", "--port", str(port), *args],
            env=env, stdout=output, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        if procs is not None:
            procs.append(proc)
        base = f"{scheme}://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/v1/health", verify=verify, timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    proc.wait()
                    output.seek(0)
                    pytest.fail(f"the server did not start: {output.read()}")
                time.sleep(0.2)
            yield base, log
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            output.seek(0)
            log.append(output.read())


def _login_and_use(base: str, people: People, verify=True) -> str:
    with httpx.Client(base_url=base, verify=verify, timeout=30) as http:
        response = http.post(
            "/v1/auth/login",
            json={"username": "rep", "password": PASSWORD, "device_name": "test laptop"},
        )
        assert response.status_code == 200, response.text
        token = response.json()["token"]
        me = http.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["user"]["id"] == people.rep.id
        assert (
            http.post("/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}).status_code
            == 204
        )
        assert http.get("/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    return token


def test_serve_and_log_in_over_http(server_db_url, people: People):
    with serving(server_db_url) as (base, log):
        token = _login_and_use(base, people)
    output = log[0]
    assert "login: rep on device" in output  # the server logs the event...
    assert PASSWORD not in output  # ...but never the password
    assert token not in output  # ...nor the token


# Several workers need PostgreSQL (SQLite is refused, see test_cli).
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_serve_with_two_workers_on_postgresql(server_db_url, people: People):
    with serving(server_db_url, "--workers", "2") as (base, log):
        for _ in range(3):
            _login_and_use(base, people)
    assert log[0].count("Started server process") >= 2


def test_serve_over_tls(server_db_url, people: People, tmp_path: Path):
    openssl = shutil.which("openssl")
    require(openssl is not None, "openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    trust = ssl.create_default_context(cafile=str(cert))
    with serving(
        server_db_url, "--tls-cert", str(cert), "--tls-key", str(key),
        scheme="https", verify=trust,
    ) as (base, _log):  # fmt: skip
        _login_and_use(base, people, verify=trust)
        with pytest.raises(httpx.TransportError):  # plain HTTP is not answered as HTTP
            httpx.get(base.replace("https", "http") + "/v1/health", timeout=5)
