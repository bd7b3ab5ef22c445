"""What can go wrong while syncing, as kinds: the engine raises them with the kind, and
``kpidesk.presentation.sync`` says each one in words (and what to do, in the GUI's or the
terminal's terms). Defined here, low, so the words need not import the sync engine."""

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
