"""Server settings: read once from the environment (or given by the CLI and the tests).

Nothing secret is printed from here: the database URL is shown with its password hidden.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ENV_DATABASE_URL = "KPIDESK_DATABASE_URL"
ENV_DATA_DIR = "KPIDESK_SERVER_DATA"
ENV_MAX_BODY_BYTES = "KPIDESK_MAX_BODY_BYTES"
ENV_LOGIN_WINDOW = "KPIDESK_LOGIN_WINDOW_SECONDS"
ENV_LOGIN_MAX_PER_USER = "KPIDESK_LOGIN_MAX_FAILURES_PER_USER"
ENV_LOGIN_MAX_PER_ADDRESS = "KPIDESK_LOGIN_MAX_FAILURES_PER_ADDRESS"
ENV_CORS_ORIGINS = "KPIDESK_CORS_ORIGINS"

SQLITE_FILE_NAME = "kpidesk-server.sqlite"


class SettingsError(ValueError):
    """A setting the operator gave is unusable; the message names it."""


@dataclass(frozen=True)
class PasswordHashing:
    """argon2id cost. The default is RFC 9106's second recommendation (64 MiB, 3 passes);
    tests use a cheap profile so hundreds of users can be made quickly."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


@dataclass(frozen=True)
class ServerSettings:
    data_dir: Path
    database_url: str | None = None  # None: the SQLite file in data_dir
    # Large enough for a sync batch; a bigger body is refused with 413 before it is read whole.
    max_body_bytes: int = 4 * 1024 * 1024
    login_window_seconds: int = 15 * 60
    # Per username from one address: others cannot lock a user out from elsewhere.
    login_max_failures_per_user: int = 5
    # Higher than per user: one office behind one address holds many reps.
    login_max_failures_per_address: int = 20
    # Browser access is off unless the operator lists the origins allowed.
    cors_origins: tuple[str, ...] = ()
    password_hashing: PasswordHashing = field(default_factory=PasswordHashing)

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / SQLITE_FILE_NAME


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("kpidesk-server", appauthor=False))


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {text!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be greater than 0, not {value}")
    return value


def settings_from_env(
    env: Mapping[str, str] | None = None,
    *,
    data_dir: Path | None = None,
    database_url: str | None = None,
) -> ServerSettings:
    """Settings from the environment; explicit arguments (command-line options) win."""
    env = os.environ if env is None else env
    folder = data_dir or (Path(env[ENV_DATA_DIR]) if env.get(ENV_DATA_DIR) else None)
    url = database_url or env.get(ENV_DATABASE_URL) or None
    origins = tuple(o.strip() for o in env.get(ENV_CORS_ORIGINS, "").split(",") if o.strip())
    return ServerSettings(
        data_dir=(folder or default_data_dir()).expanduser(),
        database_url=url,
        max_body_bytes=_positive_int(env, ENV_MAX_BODY_BYTES, ServerSettings.max_body_bytes),
        login_window_seconds=_positive_int(
            env, ENV_LOGIN_WINDOW, ServerSettings.login_window_seconds
        ),
        login_max_failures_per_user=_positive_int(
            env, ENV_LOGIN_MAX_PER_USER, ServerSettings.login_max_failures_per_user
        ),
        login_max_failures_per_address=_positive_int(
            env, ENV_LOGIN_MAX_PER_ADDRESS, ServerSettings.login_max_failures_per_address
        ),
        cors_origins=origins,
    )
