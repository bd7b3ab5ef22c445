"""The sync state and its problems in words: the status bar, Settings and toasts, and the
terminal (``kpidesk sync``), each telling what to do in its own terms.

Plain values in: a problem's kind (``kpidesk.domain.sync_problems``) and the engine's English
message, and for the status line any object with the fields of the desktop's ``SyncState``
(the phase compared by its value), so this module imports neither the engine nor Qt.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from kpidesk.domain.sync_problems import ProblemKind
from kpidesk.presentation.formats import Formatter
from kpidesk.presentation.translation import N_, _, ngettext


class Audience(Enum):
    """Where the sentence is read: what to do differs ("in Settings" / "run kpidesk login")."""

    GUI = "gui"
    CLI = "cli"


class SyncStateLike(Protocol):
    phase: Any  # an Enum whose value is "demo", "not_connected", "idle", "syncing"...
    pending: int
    last_sync_at: datetime | None
    progress: Any  # with .sent and .received, or None
    stopping: bool
    next_try_at: datetime | None
    problem: ProblemKind | None


# The engine's NO_KEYRING_MESSAGE, translatable (a test keeps the two identical in English).
NO_KEYRING = N_(
    "No system keyring is available on this computer, so your sign-in is kept only until "
    "kpidesk closes; you will be asked for your password next time.",
)


def no_keyring_text() -> str:
    return _(NO_KEYRING)


def changes_waiting(n: int, fmt: Formatter) -> str:
    return ngettext("{n} change waiting", "{n} changes waiting", n).format(n=fmt.number(n))


def minutes_ago(when: datetime, now: datetime) -> str:
    minutes = int((now - when).total_seconds() // 60)
    if minutes < 1:
        return _("just now")
    if minutes < 60:
        return _("{n} min ago").format(n=minutes)
    hours = minutes // 60
    if hours < 24:
        return _("{n} h ago").format(n=hours)
    days = hours // 24
    return (
        _("yesterday")
        if days == 1
        else ngettext("{n} day ago", "{n} days ago", days).format(n=days)
    )


def minutes_ahead(when: datetime, now: datetime) -> str:
    seconds = max(0, int((when - now).total_seconds()))
    if seconds < 60:
        return _("{n} s").format(n=max(seconds, 1))
    return _("{n} min").format(n=-(-seconds // 60))  # rounded up: "in 2 min" is never early


def problem_text(
    kind: ProblemKind | str | None, message: str, audience: Audience = Audience.GUI
) -> str:
    """A problem in full, for Settings, toasts and the terminal: what happened and what to do."""
    kind = ProblemKind(kind) if kind else None
    if kind is ProblemKind.OFFLINE:
        return _("The team server cannot be reached. Your changes are kept here and sent later.")
    if kind in (ProblemKind.SIGNED_OUT, ProblemKind.NOT_CONNECTED, ProblemKind.TLS):
        return _(_SIGN_IN_AGAIN[audience, kind])
    if kind is ProblemKind.CLOCK:
        return _("This laptop's clock is wrong, so syncing stopped: set the right date and time.")
    if kind is ProblemKind.DEMO:
        return _("Demo data is never synced.")
    if kind is ProblemKind.WRONG_PASSWORD:
        return _("Wrong username or password (or the account is disabled).")
    if kind is ProblemKind.SERVER:
        return _(
            "The team server could not do the sync; your changes are kept here and sent later. "
            "Details: {detail}"
        ).format(detail=message)
    if kind is ProblemKind.GARBLED:
        return _(
            "The team server's reply made no sense, so nothing was changed here; your changes "
            "are kept and sent later. Details: {detail}"
        ).format(detail=message)
    return message  # refused: the server's own explanation (throttled, another user's data...)


# What to do where the rep must act, in the app's terms and in the terminal's.
_SIGN_IN_AGAIN = {
    (Audience.GUI, ProblemKind.SIGNED_OUT): N_(
        "The team server no longer accepts this laptop's sign-in. Sign in again in Settings; "
        "your changes are kept here meanwhile."
    ),
    (Audience.CLI, ProblemKind.SIGNED_OUT): N_(
        "The team server no longer accepts this computer's sign-in. Sign in again with "
        "'kpidesk login URL USERNAME'; your changes are kept here meanwhile."
    ),
    (Audience.GUI, ProblemKind.NOT_CONNECTED): N_(
        "This computer is no longer signed in to the team server. Sign in again in Settings; "
        "your changes are kept here meanwhile."
    ),
    (Audience.CLI, ProblemKind.NOT_CONNECTED): N_(
        "This computer is not signed in to a team server: run 'kpidesk login URL USERNAME' "
        "first; your changes are kept here meanwhile."
    ),
    (Audience.GUI, ProblemKind.TLS): N_(
        "The team server's certificate is not trusted. If your company uses its own "
        "certificate, choose its file in Settings."
    ),
    (Audience.CLI, ProblemKind.TLS): N_(
        "The team server's certificate is not trusted. If your company uses its own "
        "certificate, sign in again with 'kpidesk login --ca-bundle FILE URL USERNAME'."
    ),
}


def _short_problem(state: SyncStateLike) -> str:
    kind = state.problem
    if kind in (ProblemKind.SIGNED_OUT, ProblemKind.NOT_CONNECTED):
        return _("Signed out · sign in again in Settings")
    if kind is ProblemKind.CLOCK:
        return _("Sync stopped: this laptop's clock is wrong")
    if kind is ProblemKind.TLS:
        return _("Sync stopped: the server's certificate is not trusted")
    if kind is ProblemKind.SERVER:
        return _("Sync problem on the team server")
    if kind is ProblemKind.GARBLED:
        return _("Sync problem: the server's reply made no sense")
    return _("Sync problem")


def status_line(state: SyncStateLike, fmt: Formatter, now: datetime) -> str:
    """One line for the status bar, e.g. "Offline · 12 changes waiting · next try in 2 min"."""
    phase = state.phase.value
    if phase == "demo":
        return _("Demo data · never synced")
    if phase == "not_connected":
        if not state.pending:
            return _("Not connected to a team server")
        return _("Not connected to a team server · changes kept on this laptop: {n}").format(
            n=fmt.number(state.pending)
        )
    if phase == "syncing":
        return _syncing_line(state, fmt)
    parts: list[str] = []
    if phase == "offline":
        parts.append(_("Offline"))
    elif phase == "problem":
        parts.append(_short_problem(state))
    elif state.last_sync_at is None:
        parts.append(_("Not synced yet"))
    else:
        parts.append(_("Synced {ago}").format(ago=minutes_ago(state.last_sync_at, now)))
    if state.pending:
        parts.append(changes_waiting(state.pending, fmt))
    if phase in ("offline", "problem") and state.next_try_at is not None:
        parts.append(_("next try in {delay}").format(delay=minutes_ahead(state.next_try_at, now)))
    return " · ".join(parts)


def _syncing_line(state: SyncStateLike, fmt: Formatter) -> str:
    if state.stopping:
        return _("Stopping the sync…")
    progress = state.progress
    details = []
    if progress is not None and progress.sent:
        details.append(_("{n} sent").format(n=fmt.number(progress.sent)))
    if progress is not None and progress.received:
        details.append(_("{n} received").format(n=fmt.number(progress.received)))
    return " ".join([_("Syncing…"), " · ".join(details)]).strip()


def conflicts_link(n: int) -> str:
    return ngettext("{n} conflict to review", "{n} conflicts to review", n).format(n=n)


def sign_in_problems(kind: ProblemKind | None, message: str) -> list[tuple[str, str]]:
    """Why a sign-in failed: (field, text) pairs; the field "" means said plainly below the form.

    ``kind`` None: not a sync problem, ``message`` is already in words. The engine's own
    explanations (throttled, another user's unsent changes...) are shown as they are; the
    common cases get words of their own, next to the field to fix.
    """
    if kind in (ProblemKind.WRONG_PASSWORD, ProblemKind.SIGNED_OUT):
        return [("password", _("Wrong username or password (or the account is disabled)."))]
    if kind is ProblemKind.OFFLINE:
        return [
            (
                "server",
                _(
                    "No team server answers at this address. Check the address and that this "
                    "laptop is online."
                ),
            )
        ]
    if kind is ProblemKind.TLS:
        return [("certificate", problem_text(kind, message))]
    if kind is ProblemKind.DEMO:
        return [("", problem_text(kind, message))]
    return [("", message)]


def conflicts_arrived() -> str:
    return _("Some of your changes crossed someone else's: review them from the status bar.")


def refused(n: int, reason: str) -> str:
    return ngettext(
        "The team server refused {n} of your changes: {reason}",
        "The team server refused {n} of your changes: {reason}",
        n,
    ).format(n=n, reason=reason)


def left_out(n: int, detail: str) -> str:
    """Rows from the server that did not hold up: left out, the rest synced."""
    return ngettext(
        "The team server sent {n} record that does not hold up; it was left out and the rest"
        " was synced ({detail}). Tell whoever runs the server.",
        "The team server sent {n} records that do not hold up; they were left out and the rest"
        " was synced (the first: {detail}). Tell whoever runs the server.",
        n,
    ).format(n=n, detail=detail)


def signed_in(username: str, moved_records: int) -> str:
    text = _("Signed in as {user}.").format(user=username)
    if moved_records:
        text += " " + _(
            "Records made before signing in are now yours and go to the team server: {n}."
        ).format(n=moved_records)
    return text


def signed_out(*, server_told: bool, pending: int) -> str:
    if server_told:
        text = _("Signed out. Your data stays on this laptop.")
    else:
        text = _(
            "Signed out of this laptop, but the team server could not be told (it cannot be "
            "reached): ask an administrator to revoke this laptop if it was lost."
        )
    if pending:
        text += " " + _("Changes not sent yet stay here until you sign in again.")
    return text
