"""Running the server with uvicorn: checks first (one clear line when something is wrong),
then one or several worker processes."""

from __future__ import annotations

import copy
import os
import socket
from pathlib import Path

from kpidesk.server.db import check_schema, database_url, make_engine
from kpidesk.server.settings import ENV_DATA_DIR, ENV_DATABASE_URL, ServerSettings

APP_FACTORY = "kpidesk.server.app:app_from_environment"


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
    _check_port_free(host, port, usage_error)

    # Every worker builds its app from the environment: hand it what the options chose.
    os.environ[ENV_DATA_DIR] = str(settings.data_dir)
    if settings.database_url:
        os.environ[ENV_DATABASE_URL] = settings.database_url

    import uvicorn

    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        ssl_certfile=str(tls_cert) if tls_cert else None,
        ssl_keyfile=str(tls_key) if tls_key else None,
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
        server_header=False,
        log_config=_log_config(),
        timeout_graceful_shutdown=10,
    )
