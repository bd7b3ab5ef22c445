"""The ``kpidesk`` command: the desktop app by default, subcommands for headless use.

Every error a user can cause (a wrong argument, a missing or foreign database) is one clear line
on stderr and exit code 2; never a traceback. Heavy modules are imported only by the command
that needs them, so ``kpidesk --help`` and the app's first window stay fast.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from kpidesk.commands import UsageError

EXIT_USAGE = 2
DEMO_YEARS_FOR_APP = 2  # `kpidesk --demo`: enough history for every indicator, built in ~2 s

__all__ = ["EXIT_USAGE", "UsageError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def default_database_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("kpidesk", appauthor=False)) / "kpidesk.sqlite"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _years(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= 20:
        raise argparse.ArgumentTypeError(f"must be between 1 and 20: {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the subcommand; SUPPRESS keeps one from erasing the other.
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="use the kpidesk database at PATH instead of your own",
    )
    parser = _Parser(
        prog="kpidesk",
        description="Your own sales indicators, offline first. Without a command: the app.",
        parents=[db_option],
    )
    parser.add_argument(
        "--demo", action="store_true", help="open the app on a fresh demo database (temporary)"
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser(
        "demo", parents=[db_option], help="build a demo database (a believable rep's history)"
    )
    demo.add_argument(
        "--years", type=_years, default=5, help="years of history, 1 to 20 (default 5)"
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    demo.add_argument(
        "--end", type=_date, default=None, help="the day the history stops (default: today)"
    )

    commands.add_parser(
        "init", parents=[db_option], help="create an empty kpidesk database at --db PATH"
    )
    _add_kpi_parser(commands, db_option)
    today = commands.add_parser(
        "today",
        parents=[db_option],
        help="print what is due and worth doing today",
        description="What is due today and overdue, the suggestions with their reasons, and"
        " the deals closest to closing: the app's Today page.",
    )
    today.add_argument("--json", action="store_true", help="print JSON instead of text")
    today.add_argument(
        "--tz", default=None, metavar="ZONE", help="your time zone (default: this computer's)"
    )
    login = commands.add_parser(
        "login", parents=[db_option], help="sign this computer in to your team server"
    )
    login.add_argument("url", help="the team server, e.g. https://kpidesk.example.com")
    login.add_argument("username")
    login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    login.add_argument(
        "--ca-bundle", type=Path, default=None, metavar="FILE",
        help="your company's certificate (PEM) when the server uses its own",
    )  # fmt: skip
    login.add_argument(
        "--device-name", default=None, help="how this computer is listed (default: its name)"
    )
    sync = commands.add_parser(
        "sync", parents=[db_option], help="send your changes and receive the team's, now"
    )
    sync.add_argument("--json", action="store_true", help="print JSON instead of text")
    commands.add_parser(
        "logout", parents=[db_option], help="sign out: the server revokes this computer's token"
    )
    _add_backup_parsers(commands, db_option)
    return parser


def _add_backup_parsers(
    commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser
) -> None:
    backup = commands.add_parser(
        "backup",
        parents=[db_option],
        help="copy your database now (to the backups folder, or to FILE)",
    )
    backup.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE", help="where to write the copy"
    )
    restore = commands.add_parser(
        "restore",
        parents=[db_option],
        help="put a backup back in place of your database (the current one is kept as a copy)",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="a kpidesk backup")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")


def _add_kpi_parser(
    commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser
) -> None:
    kpi = commands.add_parser(
        "kpi",
        parents=[db_option],
        help="print your indicators for a period",
        description="Your indicators for one period, compared with the previous period and the"
        " same period a year earlier. Periods are whole days in your time zone.",
    )
    kpi.add_argument(
        "--period",
        choices=("week", "month", "quarter", "year", "last_30_days", "last_90_days"),
        default=None,
        help="the kind of period (default: month)",
    )
    kpi.add_argument(
        "--at",
        type=_date,
        default=None,
        metavar="DATE",
        help="a day inside the period (default: today)",
    )
    kpi.add_argument(
        "--from",
        dest="first_day",
        type=_date,
        default=None,
        metavar="DATE",
        help="a custom period's first day",
    )
    kpi.add_argument(
        "--to",
        dest="end_day",
        type=_date,
        default=None,
        metavar="DATE",
        help="the day after a custom period (excluded: --from 2026-03-01 --to 2026-04-01 is March)",
    )
    kpi.add_argument("--json", action="store_true", help="print JSON instead of a table")
    kpi.add_argument(
        "--tz",
        default=None,
        metavar="ZONE",
        help="your time zone, e.g. Europe/Paris (default: this computer's)",
    )


def _version() -> str:
    from kpidesk import __version__

    return f"kpidesk {__version__}"


def _database_path(args: argparse.Namespace, *, must_exist: bool) -> Path:
    from kpidesk.store.files import inspect_file  # light: no SQLAlchemy before the window

    explicit = getattr(args, "db", None)
    path = explicit or default_database_path()
    state = inspect_file(path)  # raises a StoreError naming the file when it is not usable
    if explicit is not None and must_exist and not state.exists:
        raise UsageError(f"no kpidesk database at {path} (create one with 'kpidesk init --db')")
    return path


def _cmd_demo(args: argparse.Namespace) -> int:
    from kpidesk.services.demo import create_demo_database

    if getattr(args, "db", None) is None:
        raise UsageError("say where to build the demo with --db PATH (it must be a new file)")
    summary = create_demo_database(args.db, args.years, args.seed, args.end or date.today())
    print(
        f"Demo database {summary.path}: {summary.accounts} accounts, {summary.contacts} contacts,"
        f" {summary.activities} activities, {summary.offers} offers."
    )
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from kpidesk.store.database import inspect_file, open_database

    if getattr(args, "db", None) is None:
        raise UsageError("say where to create the database with --db PATH")
    if inspect_file(args.db).revision is not None:
        raise UsageError(f"{args.db} is already a kpidesk database")
    open_database(args.db).close()
    print(f"Created an empty kpidesk database at {args.db}.")
    return 0


def _cmd_kpi(args: argparse.Namespace) -> int:
    from kpidesk.commands import kpi

    return kpi.run(args, _database_path(args, must_exist=True))


def _check_display() -> None:
    """Without a display Qt aborts with a hint about a missing libxcb package: say what is
    really missing instead, before anything is created."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return  # another system, or a platform chosen on purpose (offscreen, wayland, vnc...)
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    raise UsageError(
        "no display to show the app on (neither DISPLAY nor WAYLAND_DISPLAY is set): start "
        "kpidesk in a desktop session, or use its commands here (kpidesk --help)"
    )


def _cmd_app(args: argparse.Namespace) -> int:
    if args.demo and getattr(args, "db", None) is not None:
        raise UsageError("--demo opens a temporary demo database; it cannot be used with --db")
    _check_display()
    try:
        from kpidesk.ui.app import run_app
    except ImportError as exc:
        raise UsageError(
            f"the desktop app is not installed ({exc.name} is missing): "
            "pip install 'kpidesk[desktop]'"
        ) from None
    if not args.demo:
        return run_app(_database_path(args, must_exist=True))
    from kpidesk.services.demo import create_demo_database

    folder = Path(tempfile.mkdtemp(prefix="kpidesk-demo-"))
    try:
        path = create_demo_database(folder / "demo.sqlite", DEMO_YEARS_FOR_APP, 1, date.today())
        return run_app(path.path, demo=True)
    finally:  # the demo is thrown away with the window: nothing left in the temp folder
        shutil.rmtree(folder, ignore_errors=True)


def _cmd_today(args: argparse.Namespace) -> int:
    from kpidesk.commands import today

    return today.run(args, _database_path(args, must_exist=True))


def _sync_command(name: str) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        from kpidesk.commands import sync

        return getattr(sync, name)(args, _database_path(args, must_exist=True))

    return run


def _cmd_backup(args: argparse.Namespace) -> int:
    from kpidesk.commands import backup

    return backup.back_up(args, _database_path(args, must_exist=True))


def _cmd_restore(args: argparse.Namespace) -> int:
    from kpidesk.commands import backup

    # The database being replaced may be damaged or gone: that is why one restores.
    return backup.restore(args, getattr(args, "db", None) or default_database_path())


COMMANDS = {
    "demo": _cmd_demo,
    "init": _cmd_init,
    "kpi": _cmd_kpi,
    "today": _cmd_today,
    "login": _sync_command("login"),
    "sync": _sync_command("sync"),
    "logout": _sync_command("logout"),
    "backup": _cmd_backup,
    "restore": _cmd_restore,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from kpidesk.store.errors import StoreError

    try:
        handler = COMMANDS.get(args.command, _cmd_app)
        return handler(args)
    except (UsageError, StoreError) as exc:
        print(f"kpidesk: {exc}{_restore_hint(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kpidesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`kpidesk kpi | head`): not an error; keep Python quiet at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: keep the details for the team, give the user one line
        log = _log_crash(sys.argv[1:] if argv is None else list(argv))
        print(
            f"kpidesk: unexpected error ({type(exc).__name__}); details in {log}", file=sys.stderr
        )
        return 1


def _restore_hint(exc: Exception) -> str:
    from kpidesk.store.errors import DamagedDatabaseError

    if not isinstance(exc, DamagedDatabaseError):
        return ""
    from kpidesk.store.backups import latest_good_backup

    latest = latest_good_backup(Path(str(exc.path)))
    if latest is None:
        return "; no backup of it was found"
    return f"; restore the latest good backup with: kpidesk restore --db {exc.path} {latest.path}"


def _log_crash(argv: Sequence[str]) -> Path:
    """The failure by its shape only (types and frames: no values, parameters or secrets)."""
    from kpidesk.services.logfile import log_failure, setup_logging

    path = setup_logging()
    error = sys.exc_info()[1]
    if error is not None:
        log_failure(f"kpidesk {args_shape(argv)} failed", error)
    return path


def args_shape(argv: Sequence[str]) -> str:
    """The command and its options, without their values (a path names the user)."""
    return " ".join(a for a in argv if a.startswith("-") or a in COMMANDS)


if __name__ == "__main__":
    sys.exit(main())
