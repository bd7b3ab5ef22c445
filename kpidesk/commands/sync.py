"""``kpidesk login``, ``kpidesk sync`` and ``kpidesk logout``: the team server from a terminal.

The device token goes to the system keyring only. ``kpidesk sync --json`` prints::

    {"sent", "received", "steps", "cursor", "pending",
     "conflicts": [{"table", "id", "field", "yours", "theirs", "their_author", "kept"}],
     "rejected": [{"mid", "reason"}]}
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from kpidesk.commands import UsageError

EXIT_FAILED = 1  # the server could not be reached or refused: try again later


def _session(path: Path) -> tuple[Any, Any]:
    from kpidesk.store.database import open_database
    from kpidesk.sync.credentials import CredentialStore
    from kpidesk.sync.session import SyncSession

    db = open_database(path)  # an explicit --db must exist (checked by the CLI); yours is made
    return db, SyncSession(db, CredentialStore())


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass(f"Password for {args.username}: ")
    else:
        raise UsageError("no terminal to ask the password: pass it with --password-stdin")
    if not password:
        raise UsageError("the password is empty")
    return password


def _problem(problem: Any) -> int:
    from kpidesk.sync.errors import ProblemKind

    message = problem.message
    if problem.kind is ProblemKind.NOT_CONNECTED:
        message = "not signed in to a team server: run 'kpidesk login URL USERNAME' first."
    print(f"kpidesk: {message}", file=sys.stderr)
    usage = (
        ProblemKind.NOT_CONNECTED, ProblemKind.DEMO, ProblemKind.REFUSED, ProblemKind.WRONG_PASSWORD
    )  # fmt: skip
    return 2 if problem.kind in usage else EXIT_FAILED


NO_KEYRING = (
    "no system keyring is available, so a sign-in could not be kept for the next command "
    "(nothing was sent to the server). Install and unlock one (GNOME Keyring, KWallet), or "
    "sign in from the app, which keeps it while the app runs."
)


def login(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.sync.credentials import CredentialStore
    from kpidesk.sync.errors import SyncProblemError
    from kpidesk.sync.session import check_server_url

    if args.ca_bundle is not None and not Path(args.ca_bundle).is_file():
        raise UsageError(f"no certificate file at {args.ca_bundle}")
    try:
        check_server_url(args.url)
    except SyncProblemError as problem:
        return _problem(problem)
    if not CredentialStore().has_keyring():
        # The token would die with this process while the server kept it as a live device.
        print(f"kpidesk: {NO_KEYRING}", file=sys.stderr)
        return EXIT_FAILED
    password = _password(args)
    db, session = _session(path)
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
            print(f"kpidesk: signed out again: {NO_KEYRING}", file=sys.stderr)
            return EXIT_FAILED
    except SyncProblemError as problem:
        return _problem(problem)
    finally:
        db.close()
    print(f"Signed in as {result.username} ({result.role}) on {args.url}; sign-in kept in the "
          "system keyring.")  # fmt: skip
    if result.moved_records:
        print(f"{result.moved_records} record(s) made before signing in are now yours.")
    if result.notice:
        print(result.notice)
    return 0


def sync(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.sync.errors import SyncProblemError

    db, session = _session(path)
    try:
        report = session.sync()
    except SyncProblemError as problem:
        return _problem(problem)
    finally:
        db.close()
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
    }
    if args.json:
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(
        f"Sent {report.sent} change(s), received {report.received}, in {report.steps} "
        f"request(s); {report.pending} waiting."
    )
    for c in report.conflicts:
        kept = "yours" if c.kept == "yours" else f"{c.their_author}'s"
        print(f"  conflict on {c.table} {c.id}, {c.field}: yours {c.yours!r}, "
              f"{c.their_author} {c.theirs!r}; {kept} was kept (the later one)")  # fmt: skip
    for r in report.rejected:
        print(f"  refused by the server: {r.reason}")
    return 0


def logout(args: argparse.Namespace, path: Path) -> int:
    db, session = _session(path)
    try:
        status = session.status()
        notice = session.sign_out()
    finally:
        db.close()
    if not status.server_url:
        print("Not signed in to a team server.")
        return 0
    print(f"Signed out of {status.server_url}; this computer no longer holds the sign-in.")
    if notice:
        print(notice)
    return 0
