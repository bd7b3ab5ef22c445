"""Running the server with uvicorn: checks first (one clear line when something is wrong),
then one or several worker processes."""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from kpidesk.server.db import check_schema, database_url, make_engine
from kpidesk.server.settings import ENV_DATA_DIR, ENV_DATABASE_URL, ServerSettings

APP_FACTORY = "kpidesk.server.app:app_from_environment"
# Set for the workers of a multi-process server: the process id of their master.
ENV_MASTER_PID = "KPIDESK_SERVER_MASTER_PID"


def watch_master(env: Mapping[str, str] = os.environ) -> None:
    """In a worker, stop (SIGTERM: a graceful shutdown) once the master process is gone.

    Killed with SIGKILL, a master cannot stop its workers: they went on serving, holding the
    port, and the restarted server failed with "Address already in use". A thread, not
    PR_SET_PDEATHSIG: that is Linux-only, and it fires when the master's spawning *thread*
    ends, not the master."""
    text = env.get(ENV_MASTER_PID, "")
    if not text.isdigit():
        return
    master = int(text)

    def watch() -> None:
        while os.getppid() == master:  # once orphaned, the parent is another process
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="kpidesk-master-watch", daemon=True).start()


def _check_tls(cert: Path | None, key: Path | None, usage_error: type[Exception]) -> None:
    if (cert is None) != (key is None):
        raise usage_error("TLS needs both --tls-cert and --tls-key")
    for label, path in (("--tls-cert", cert), ("--tls-key", key)):
        if path is None:
            continue
        try:
            with path.open("rb") as handle:
                head = handle.read(64)
        except OSError as exc:
            raise usage_error(f"{label}: cannot read {path}: {exc.strerror or exc}") from None
        if b"-----BEGIN" not in head:
            raise usage_error(f"{label}: {path} is not a PEM file")


def _check_port_free(host: str, port: int, usage_error: type[Exception]) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise usage_error(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


# The lock file of the SQLite database this process serves, held open (and locked) until the
# process ends; the kernel releases the lock then, even after a crash.
_serve_lock: int | None = None


def _lock_sqlite(database: Path, usage_error: type[Exception]) -> None:
    """Refuse to serve a SQLite database another server process already serves.

    The lock is an exclusive flock on a separate file next to the database, never on the
    database itself: closing any handle on the database file would drop the POSIX locks
    SQLite holds on it. Where fcntl does not exist (Windows) there is no check."""
    global _serve_lock
    try:
        import fcntl
    except ImportError:
        return
    path = database.resolve()
    lock_path = path.with_name(path.name + ".serve.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise usage_error(f"cannot use {lock_path}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise usage_error(
            f"another kpidesk-server already serves {path}: SQLite serves one process only"
            " (stop the other, or use PostgreSQL with --database-url)"
        ) from None
    except OSError as exc:  # a file system without flock: serve, but say it went unchecked
        os.close(fd)
        print(
            f"kpidesk-server: cannot lock {lock_path} ({exc.strerror or exc}): make sure no"
            " other kpidesk-server serves this database",
            file=sys.stderr,
        )
        return
    _serve_lock = fd


@contextlib.contextmanager
def not_served(database: Path, usage_error: type[Exception]) -> Iterator[None]:
    """Hold the serve lock of a SQLite database while a maintenance command changes its schema:
    refuse when a kpidesk-server serves it (its workers would run on a schema they were not
    written for), and keep one from starting meanwhile."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    path = database.resolve()
    lock_path = path.with_name(path.name + ".serve.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # a folder it cannot write to: migrate itself will say so
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise usage_error(
                f"a kpidesk-server is serving {path} right now: stop it, run"
                " 'kpidesk-server migrate' again, then start it (nothing was changed)"
            ) from None
        except OSError:
            pass  # no flock on this file system: nothing to check with
        yield
    finally:
        os.close(fd)  # releases the lock


def _log_config() -> dict:
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    # The server's own events (logins, admin changes) next to uvicorn's. Never headers or
    # bodies: tokens and passwords stay out of the log.
    config["loggers"]["kpidesk"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve(
    settings: ServerSettings,
    *,
    host: str,
    port: int,
    workers: int,
    tls_cert: Path | None,
    tls_key: Path | None,
    forwarded_allow_ips: str | None,
    usage_error: type[Exception],
) -> None:
    url = database_url(settings)
    if url.get_backend_name() == "sqlite" and workers > 1:
        raise usage_error(
            "SQLite serves one process only: use PostgreSQL (--database-url) for --workers > 1"
        )
    _check_tls(tls_cert, tls_key, usage_error)
    engine = make_engine(url, create=False)
    try:
        check_schema(engine)  # refuse an outdated schema here, once, in one clear line
    finally:
        engine.dispose()
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        _lock_sqlite(Path(url.database), usage_error)
    _check_port_free(host, port, usage_error)

    # Every worker builds its app from the environment: hand it what the options chose.
    os.environ[ENV_DATA_DIR] = str(settings.data_dir)
    if settings.database_url:
        os.environ[ENV_DATABASE_URL] = settings.database_url
    if workers > 1:
        os.environ[ENV_MASTER_PID] = str(os.getpid())

    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        # No proxy is trusted unless the operator names it: uvicorn's default trusts
        # 127.0.0.1, so anything on this machine could claim any client address.
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips or "",
        server_header=False,
        log_config=_log_config(),
        timeout_graceful_shutdown=10,
    )
