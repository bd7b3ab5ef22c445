"""``kpidesk backup`` and ``kpidesk restore``: the rep's own copies, from a terminal."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from kpidesk.commands import UsageError


def back_up(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.backups import back_up as take

    target = args.output.expanduser() if args.output is not None else None
    if target is not None and target.exists():
        raise UsageError(f"{target} already exists: choose a new file for the backup")
    made = take(path, target)
    print(f"Backed up {path} to {made}.")
    return 0


def restore(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.backups import check_backup, restore, signed_in_server

    backup = args.file.expanduser()
    check_backup(backup)  # a wrong file is refused before anything is asked or changed
    taken = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
    if not args.yes and not _confirmed(
        f"Replace {path} with the backup {backup} (taken {taken})? The current database is "
        "kept as a copy. [y/N] "
    ):
        print("Nothing was changed.")
        return 1
    restored = restore(path, backup)
    kept = f"; the database it replaced is kept at {restored.replaced}" if restored.replaced else ""
    print(f"Restored {backup} to {path}{kept}.")
    server = signed_in_server(path)
    if server:
        print(
            f"Sign in again with 'kpidesk login {server} USERNAME' before syncing: "
            f"{restored.waiting} change(s) not sent when the backup was taken will be sent then."
        )
    return 0


def _confirmed(question: str) -> bool:
    if not sys.stdin.isatty():
        raise UsageError("no terminal to ask for confirmation: add --yes to restore")
    return input(question).strip().casefold() in {"y", "yes"}
