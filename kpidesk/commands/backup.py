"""``kpidesk backup`` and ``kpidesk restore``: the rep's own copies, from a terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from kpidesk.commands import UsageError
from kpidesk.presentation import _, ngettext


def back_up(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.backups import back_up as take

    target = args.output.expanduser() if args.output is not None else None
    if target is not None and target.exists():
        raise UsageError(
            _("{path} already exists: choose a new file for the backup").format(path=target)
        )
    made = take(path, target)
    print(_("Backed up {path} to {copy}.").format(path=path, copy=made))
    return 0


def restore(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.backups import check_backup, restore, signed_in_server

    backup = args.file.expanduser()
    check_backup(backup)  # a wrong file is refused before anything is asked or changed
    taken = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    question = _(
        "Replace {path} with the backup {backup} (taken {taken})? The current database is "
        "kept as a copy. [y/N] "
    ).format(path=path, backup=backup, taken=taken)
    if not args.yes and not _confirmed(question):
        print(_("Nothing was changed."))
        return 1
    restored = restore(path, backup)
    if restored.replaced:
        print(_("Restored {backup} to {path}; the database it replaced is kept at {kept}.").format(
            backup=backup, path=path, kept=restored.replaced
        ))  # fmt: skip
    else:
        print(_("Restored {backup} to {path}.").format(backup=backup, path=path))
    server = signed_in_server(path)
    if server:
        print(ngettext(
            "Sign in again with {command} before syncing: {n} change not sent when the backup "
            "was taken will be sent then.",
            "Sign in again with {command} before syncing: {n} changes not sent when the backup "
            "was taken will be sent then.",
            restored.waiting,
        ).format(command=f"'kpidesk login {server} USERNAME'", n=restored.waiting))  # fmt: skip
    return 0


def _confirmed(question: str) -> bool:
    if not sys.stdin.isatty():
        raise UsageError(_("no terminal to ask for confirmation: add --yes to restore"))
    return input(question).strip().casefold() in {"y", "yes", "o", "oui"}  # English or French
