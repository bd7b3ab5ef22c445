"""Device tokens live only in the OS keyring (Secret Service, Windows Credential Locker, macOS
Keychain). Without one, the token is kept in memory for this session only, and kpidesk says so.

Keyring calls may block (D-Bus): call these off the GUI thread.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)
SERVICE_PREFIX = "kpidesk"

NO_KEYRING_MESSAGE = (
    "No system keyring is available on this computer, so your sign-in is kept only until "
    "kpidesk closes; you will be asked for your password next time."
)


def _service(server_url: str) -> str:
    return f"{SERVICE_PREFIX}:{server_url.rstrip('/')}"


def _keyring() -> Any:
    # Imported on first use (the first sync or sign-in, on a worker thread), not when the app
    # builds its sync session at start-up.
    import keyring

    return keyring


def _errors() -> tuple[type[Exception], ...]:
    from keyring.errors import KeyringError, NoKeyringError

    return KeyringError, NoKeyringError


class CredentialStore:
    def __init__(self) -> None:
        self._session: dict[tuple[str, str], str] = {}

    def has_keyring(self) -> bool:
        backend = _keyring().get_keyring()
        priority = getattr(backend, "priority", 0)
        return priority > 0 and type(backend).__module__ not in (
            "keyring.backends.fail",
            "keyring.backends.null",
        )

    def save(self, server_url: str, username: str, token: str) -> bool:
        """Keep the token; True when it was stored in the keyring (it survives a restart)."""
        self._session[(server_url, username)] = token
        if not self.has_keyring():
            return False
        try:
            _keyring().set_password(_service(server_url), username, token)
        except _errors() as exc:
            log.warning("keyring refused to store the token: %s", type(exc).__name__)
            return False
        return True

    def load(self, server_url: str, username: str) -> str | None:
        token = self._session.get((server_url, username))
        if token is not None or not self.has_keyring():
            return token
        try:
            return _keyring().get_password(_service(server_url), username)
        except _errors() as exc:
            log.warning("keyring could not be read: %s", type(exc).__name__)
            return None

    def delete(self, server_url: str, username: str) -> None:
        self._session.pop((server_url, username), None)
        if not self.has_keyring():
            return
        from keyring.errors import PasswordDeleteError

        try:
            _keyring().delete_password(_service(server_url), username)
        except PasswordDeleteError:
            pass  # already gone
        except _errors() as exc:
            log.warning("keyring could not delete the token: %s", type(exc).__name__)
