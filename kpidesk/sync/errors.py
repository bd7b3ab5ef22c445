"""What can go wrong while syncing, in words a rep understands. Nothing is lost in any case:
local changes stay in the outbox until the server has acknowledged them."""

from __future__ import annotations

from enum import StrEnum


class ProblemKind(StrEnum):
    OFFLINE = "offline"  # no connection: try again later, quietly
    SIGNED_OUT = "signed_out"  # the token was revoked or expired
    CLOCK = "clock"  # the laptop's clock is too far ahead
    SERVER = "server"  # the server failed (5xx) or refused the request
    GARBLED = "garbled"  # the reply could not be understood
    TLS = "tls"  # the server's certificate is not trusted
    NOT_CONNECTED = "not_connected"  # never signed in
    DEMO = "demo"  # a demo database never syncs
    WRONG_PASSWORD = "wrong_password"  # sign-in: unknown username, wrong password or disabled
    REFUSED = "refused"  # sign-in refused for another reason (another user's data, throttled...)


class SyncProblemError(Exception):
    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
