"""The sync state and its problems in the rep's words (status bar, Settings, toasts)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from kpidesk.domain.i18n import QT_TRANSLATE_NOOP
from kpidesk.sync.errors import ProblemKind, SyncProblemError
from kpidesk.ui.formatting import Formatter
from kpidesk.ui.sync_state import SyncPhase, SyncState

CTX = "SyncWords"

# The engine's NO_KEYRING_MESSAGE, translatable (a test keeps the two identical in English).
NO_KEYRING = QT_TRANSLATE_NOOP(
    "SyncWords",
    "No system keyring is available on this computer, so your sign-in is kept only until "
    "kpidesk closes; you will be asked for your password next time.",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def no_keyring_text() -> str:
    return _tr(NO_KEYRING)


def changes_waiting(n: int, fmt: Formatter) -> str:
    if n == 1:
        return _tr("1 change waiting")
    return _tr("{n} changes waiting").format(n=fmt.number(n))


def minutes_ago(when: datetime, now: datetime) -> str:
    minutes = int((now - when).total_seconds() // 60)
    if minutes < 1:
        return _tr("just now")
    if minutes < 60:
        return _tr("{n} min ago").format(n=minutes)
    hours = minutes // 60
    if hours < 24:
        return _tr("{n} h ago").format(n=hours)
    days = hours // 24
    return _tr("yesterday") if days == 1 else _tr("{n} days ago").format(n=days)


def minutes_ahead(when: datetime, now: datetime) -> str:
    seconds = max(0, int((when - now).total_seconds()))
    if seconds < 60:
        return _tr("{n} s").format(n=max(seconds, 1))
    return _tr("{n} min").format(n=-(-seconds // 60))  # rounded up: "in 2 min" is never early


def problem_text(kind: ProblemKind | None, message: str) -> str:
    """A problem in full, for Settings and toasts: what happened and what to do."""
    if kind is ProblemKind.OFFLINE:
        return _tr("The team server cannot be reached. Your changes are kept here and sent later.")
    if kind is ProblemKind.SIGNED_OUT:
        return _tr(
            "The team server no longer accepts this laptop's sign-in. Sign in again in Settings; "
            "your changes are kept here meanwhile."
        )
    if kind is ProblemKind.NOT_CONNECTED:
        return _tr(
            "This computer is no longer signed in to the team server. Sign in again in Settings; "
            "your changes are kept here meanwhile."
        )
    if kind is ProblemKind.CLOCK:
        return _tr("This laptop's clock is wrong, so syncing stopped: set the right date and time.")
    if kind is ProblemKind.TLS:
        return _tr(
            "The team server's certificate is not trusted. If your company uses its own "
            "certificate, choose its file in Settings."
        )
    if kind is ProblemKind.DEMO:
        return _tr("Demo data is never synced.")
    return message  # the server's or the engine's own explanation


def _short_problem(state: SyncState) -> str:
    kind = state.problem
    if kind in (ProblemKind.SIGNED_OUT, ProblemKind.NOT_CONNECTED):
        return _tr("Signed out · sign in again in Settings")
    if kind is ProblemKind.CLOCK:
        return _tr("Sync stopped: this laptop's clock is wrong")
    if kind is ProblemKind.TLS:
        return _tr("Sync stopped: the server's certificate is not trusted")
    if kind is ProblemKind.SERVER:
        return _tr("Sync problem on the team server")
    if kind is ProblemKind.GARBLED:
        return _tr("Sync problem: the server's reply made no sense")
    return _tr("Sync problem")


def status_line(state: SyncState, fmt: Formatter, now: datetime) -> str:
    """One line for the status bar, e.g. "Offline · 12 changes waiting · next try in 2 min"."""
    phase = state.phase
    if phase is SyncPhase.DEMO:
        return _tr("Demo data · never synced")
    if phase is SyncPhase.NOT_CONNECTED:
        if not state.pending:
            return _tr("Not connected to a team server")
        return _tr("Not connected to a team server · changes kept on this laptop: {n}").format(
            n=fmt.number(state.pending)
        )
    if phase is SyncPhase.SYNCING:
        return _syncing_line(state, fmt)
    parts: list[str] = []
    if phase is SyncPhase.OFFLINE:
        parts.append(_tr("Offline"))
    elif phase is SyncPhase.PROBLEM:
        parts.append(_short_problem(state))
    elif state.last_sync_at is None:
        parts.append(_tr("Not synced yet"))
    else:
        parts.append(_tr("Synced {ago}").format(ago=minutes_ago(state.last_sync_at, now)))
    if state.pending:
        parts.append(changes_waiting(state.pending, fmt))
    if phase in (SyncPhase.OFFLINE, SyncPhase.PROBLEM) and state.next_try_at is not None:
        parts.append(_tr("next try in {delay}").format(delay=minutes_ahead(state.next_try_at, now)))
    return " · ".join(parts)


def _syncing_line(state: SyncState, fmt: Formatter) -> str:
    if state.stopping:
        return _tr("Stopping the sync…")
    progress = state.progress
    details = []
    if progress is not None and progress.sent:
        details.append(_tr("{n} sent").format(n=fmt.number(progress.sent)))
    if progress is not None and progress.received:
        details.append(_tr("{n} received").format(n=fmt.number(progress.received)))
    return " ".join([_tr("Syncing…"), " · ".join(details)]).strip()


def conflicts_link(n: int) -> str:
    if n == 1:
        return _tr("1 conflict to review")
    return _tr("{n} conflicts to review").format(n=n)


def sign_in_problems(error: BaseException) -> list[tuple[str, str]]:
    """Why a sign-in failed: (field, text) pairs; the field "" means said plainly below the form.

    The engine's own explanations (throttled, another user's unsent changes...) are shown as
    they are; the common cases get words of their own, next to the field to fix.
    """
    if not isinstance(error, SyncProblemError):
        from kpidesk.ui.errors import plain_words

        return [("", plain_words(error))]
    kind = error.kind
    if kind in (ProblemKind.WRONG_PASSWORD, ProblemKind.SIGNED_OUT):
        return [("password", _tr("Wrong username or password (or the account is disabled)."))]
    if kind is ProblemKind.OFFLINE:
        return [
            (
                "server",
                _tr(
                    "No team server answers at this address. Check the address and that this "
                    "laptop is online."
                ),
            )
        ]
    if kind is ProblemKind.TLS:
        return [("certificate", problem_text(kind, error.message))]
    if kind is ProblemKind.DEMO:
        return [("", problem_text(kind, error.message))]
    return [("", error.message)]


def conflicts_arrived() -> str:
    return _tr("Some of your changes crossed someone else's: review them from the status bar.")


def refused(n: int, reason: str) -> str:
    return _tr("The team server refused {n} of your changes: {reason}").format(n=n, reason=reason)


def signed_in(username: str, moved_records: int) -> str:
    text = _tr("Signed in as {user}.").format(user=username)
    if moved_records:
        text += " " + _tr(
            "Records made before signing in are now yours and go to the team server: {n}."
        ).format(n=moved_records)
    return text


def signed_out(*, server_told: bool, pending: int) -> str:
    if server_told:
        text = _tr("Signed out. Your data stays on this laptop.")
    else:
        text = _tr(
            "Signed out of this laptop, but the team server could not be told (it cannot be "
            "reached): ask an administrator to revoke this laptop if it was lost."
        )
    if pending:
        text += " " + _tr("Changes not sent yet stay here until you sign in again.")
    return text
