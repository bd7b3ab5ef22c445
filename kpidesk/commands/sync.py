"""``kpidesk login``, ``kpidesk sync`` and ``kpidesk logout``: the team server from a terminal.

The device token goes to the system keyring only. ``kpidesk sync --json`` prints::

    {"sent", "received", "steps", "cursor", "pending",
     "conflicts": [{"table", "id", "field", "yours", "theirs", "their_author", "kept"}],
     "rejected": [{"mid", "reason"}],
     "left_out": ["what was wrong in each server row left out"]}

or, when the sync cannot happen, ``{"error": {"kind", "message"}}`` (on stdout too, with the
same exit code as the text form). Problems and conflicts are said in the same words as in the
app (``kpidesk.presentation``), with what to do in terminal terms.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from pathlib import Path
from typing import Any

from kpidesk.commands import UsageError
from kpidesk.presentation import _, ngettext
from kpidesk.presentation import sync as words

log = logging.getLogger(__name__)

EXIT_FAILED = 1  # the server could not be reached or refused: try again later


def _session(path: Path) -> tuple[Any, Any]:
    """The workspace (closed by the caller) and a sync session over its database."""
    from kpidesk.services.workspace import open_workspace
    from kpidesk.sync.credentials import CredentialStore
    from kpidesk.sync.session import SyncSession

    # An explicit --db must exist (checked by the CLI); yours is made.
    workspace = open_workspace(path)
    return workspace, SyncSession(workspace.db, CredentialStore())


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(_("Password for {user}: ").format(user=args.username))
    else:
        raise UsageError(_("no terminal to ask the password: pass it with --password-stdin"))
    if not password:
        raise UsageError(_("the password is empty"))
    return password


def _problem(problem: Any, *, as_json: bool = False) -> int:
    """Say why the command could not work (stderr, or JSON on stdout); the exit code."""
    from kpidesk.presentation.sync import Audience, problem_text
    from kpidesk.sync.errors import ProblemKind

    message = problem_text(problem.kind, problem.message, Audience.CLI)
    if as_json:
        error = {"kind": problem.kind.value, "message": message}
        json.dump({"error": error}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(f"kpidesk: {message}", file=sys.stderr)
    usage = (
        ProblemKind.NOT_CONNECTED, ProblemKind.DEMO, ProblemKind.REFUSED, ProblemKind.WRONG_PASSWORD
    )  # fmt: skip
    return 2 if problem.kind in usage else EXIT_FAILED


def _no_keyring() -> str:
    return _(
        "no system keyring is available, so a sign-in could not be kept for the next command "
        "(nothing was sent to the server). Install and unlock one (GNOME Keyring, KWallet), or "
        "sign in from the app, which keeps it while the app runs."
    )


def login(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.sync.credentials import CredentialStore
    from kpidesk.sync.errors import SyncProblemError
    from kpidesk.sync.session import check_server_url

    if args.ca_bundle is not None and not Path(args.ca_bundle).is_file():
        raise UsageError(_("no certificate file at {path}").format(path=args.ca_bundle))
    try:
        check_server_url(args.url)
    except SyncProblemError as problem:
        return _problem(problem)
    if not CredentialStore().has_keyring():
        # The token would die with this process while the server kept it as a live device.
        print(f"kpidesk: {_no_keyring()}", file=sys.stderr)
        return EXIT_FAILED
    password = _password(args)
    workspace, session = _session(path)
    try:
        result = session.sign_in(
            args.url,
            args.username,
            password,
            ca_bundle=str(args.ca_bundle) if args.ca_bundle else None,
            device_name=args.device_name,
        )
        if not result.token_kept:  # the keyring refused to store it after all
            session.sign_out()
            print(_("kpidesk: signed out again: {reason}").format(reason=_no_keyring()),
                  file=sys.stderr)  # fmt: skip
            return EXIT_FAILED
    except SyncProblemError as problem:
        return _problem(problem)
    finally:
        workspace.close()
    print(_("Signed in as {user} ({role}) on {url}; sign-in kept in the system keyring.").format(
        user=result.username, role=result.role, url=args.url
    ))  # fmt: skip
    if result.moved_records:
        n = result.moved_records
        moved = ngettext(
            "{n} record made before signing in is now yours.",
            "{n} records made before signing in are now yours.",
            n,
        )
        print(moved.format(n=n))
    if result.notice:
        print(result.notice)
    return 0


def sync(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.sync.errors import SyncProblemError

    workspace, session = _session(path)
    try:
        report = session.sync()
        _follow_sync(workspace, session)
        sentences = _conflict_sentences(workspace, report.conflicts, session.status().username)
    except SyncProblemError as problem:
        return _problem(problem, as_json=args.json)
    finally:
        workspace.close()
    data = {
        "sent": report.sent,
        "received": report.received,
        "steps": report.steps,
        "cursor": report.cursor,
        "pending": report.pending,
        "conflicts": [
            c.model_dump(mode="json", exclude={"server_version"}) for c in report.conflicts
        ],
        "rejected": [r.model_dump(mode="json") for r in report.rejected],
        "left_out": report.bad_rows,
    }
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(_summary(report))
    for sentence in sentences:
        print("  " + sentence)
    for r in report.rejected:
        print("  " + _("refused by the server: {reason}").format(reason=r.reason))
    if report.bad_rows:
        print("  " + words.left_out(len(report.bad_rows), report.bad_rows[0]))
    return 0


def _follow_sync(workspace: Any, session: Any) -> None:
    """The team view after the sync, and any objective agreed since (as the app does). Its
    failure is not the sync's: the next sync tries again."""
    from kpidesk.sync.coaching import CoachingLink
    from kpidesk.sync.errors import SyncProblemError

    try:
        CoachingLink(session, workspace.db, workspace.tz).refresh()
        if workspace.coaching.apply_agreed():
            session.sync()  # the agreed objective goes out now, not at the next sync
    except SyncProblemError as problem:
        log.info("team view not fetched after the sync: %s", problem.kind)


def _summary(report: Any) -> str:
    from kpidesk.presentation import Formatter

    fmt = Formatter()
    parts = [
        ngettext("Sent {n} change", "Sent {n} changes", report.sent).format(
            n=fmt.number(report.sent)
        ),
        ngettext("received {n}", "received {n}", report.received).format(
            n=fmt.number(report.received)
        ),
        ngettext("in {n} request", "in {n} requests", report.steps).format(n=report.steps),
    ]
    waiting = ngettext("{n} waiting", "{n} waiting", report.pending).format(n=report.pending)
    return _("{sent}, {received}, {steps}; {waiting}.").format(
        sent=parts[0], received=parts[1], steps=parts[2], waiting=waiting
    )


def _conflict_sentences(workspace: Any, conflicts: list[Any], my_username: str | None) -> list[str]:
    """The sync's conflicts as the Conflicts view says them: the record by its business name,
    the field by its label, values formatted (not ids and cents)."""
    if not conflicts:
        return []
    from kpidesk.presentation import Formatter
    from kpidesk.presentation.conflicts import conflict_sentence

    reported = {(c.table, c.id, c.field) for c in conflicts}
    items = workspace.conflicts.list_open()
    fmt = Formatter()
    return [
        conflict_sentence(item, fmt, my_username)
        for item in items
        if (item.table, item.row_id, item.field) in reported
    ]


def logout(args: argparse.Namespace, path: Path) -> int:
    workspace, session = _session(path)
    try:
        status = session.status()
        notice = session.sign_out()
    finally:
        workspace.close()
    if not status.server_url:
        print(_("Not signed in to a team server."))
        return 0
    print(_("Signed out of {url}; this computer no longer holds the sign-in.").format(
        url=status.server_url
    ))  # fmt: skip
    if notice:
        print(notice)
    return 0
