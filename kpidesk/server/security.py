"""Passwords (argon2id) and device tokens (256 random bits, stored only as SHA-256)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from kpidesk.server.settings import PasswordHashing

MIN_PASSWORD_LENGTH = 10
# argon2 would take any length; a bound keeps a hostile request from making us hash megabytes.
MAX_PASSWORD_LENGTH = 1024


class Passwords:
    """Hashes and checks passwords with argon2id at the configured cost."""

    def __init__(self, cost: PasswordHashing) -> None:
        self._hasher = PasswordHasher(
            time_cost=cost.time_cost,
            memory_cost=cost.memory_kib,
            parallelism=cost.parallelism,
            type=Type.ID,
        )
        # Checked when the user does not exist, so "no such user" takes as long as "wrong
        # password" and timing does not tell which usernames exist.
        self._decoy_hash = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when ``password`` matches; always does the full argon2 work."""
        try:
            return self._hasher.verify(password_hash or self._decoy_hash, password) and (
                password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """True when the hash was made with another cost (upgrade it at the next login)."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"the password must have at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"the password must have at most {MAX_PASSWORD_LENGTH} characters"
    if not password.strip():
        return "the password cannot be only spaces"
    return None


def new_token() -> str:
    """A new device token: 32 random bytes (256 bits), URL-safe text of 43 characters."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database stores and looks up: the token's SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))
