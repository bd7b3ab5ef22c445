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

from kpidesk import presentation
from kpidesk.commands import PERIOD_CHOICES, UsageError, whole_number
from kpidesk.presentation import _, ngettext

EXIT_USAGE = 2

__all__ = ["EXIT_USAGE", "UsageError", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        hint = _("see '{prog} --help'").format(prog=self.prog)
        self.exit(EXIT_USAGE, f"{self.prog}: {message} ({hint})\n")


def default_database_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("kpidesk", appauthor=False)) / "kpidesk.sqlite"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a date (YYYY-MM-DD): {text!r}").format(text=text)
        ) from None


def build_parser() -> argparse.ArgumentParser:
    # --db is accepted before or after the subcommand; SUPPRESS keeps one from erasing the other.
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument(
        "--db",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help=_("use the kpidesk database at PATH instead of your own"),
    )
    parser = _Parser(
        prog="kpidesk",
        description=_("Your own sales indicators, offline first. Without a command: the app."),
        parents=[db_option],
    )
    parser.add_argument(
        "--demo", action="store_true", help=_("open the app on a fresh demo database (temporary)")
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check this installation (database, languages, charts, keyring) and exit"),
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser(
        "demo", parents=[db_option], help=_("build a demo database (a believable rep's history)")
    )
    demo.add_argument(
        "--years",
        type=whole_number(1, 20),
        default=5,
        help=_("years of history, 1 to 20 (default 5)"),
    )
    demo.add_argument("--seed", type=int, default=1, help=_("same seed, same data (default 1)"))
    demo.add_argument(
        "--end", type=_date, default=None, help=_("the day the history stops (default: today)")
    )
    demo.add_argument(
        "--json", action="store_true", help=_("print what was built as JSON instead of text")
    )

    commands.add_parser(
        "init", parents=[db_option], help=_("create your empty kpidesk database (or at --db PATH)")
    )
    _add_kpi_parser(commands, db_option)
    from kpidesk.commands import importing  # light: argparse only until it runs

    importing.add_parser(commands, db_option)
    from kpidesk.commands import exporting

    exporting.add_parser(commands, db_option)
    from kpidesk.commands import ics, report  # light: heavy imports are inside their functions

    ics.add_parser(commands, db_option, _date)
    report.add_parser(commands, db_option, _date)
    from kpidesk.commands import team

    team.add_parser(commands, db_option)
    today = commands.add_parser(
        "today",
        parents=[db_option],
        help=_("print what is due and worth doing today"),
        description=_(
            "What is due today and overdue, the suggestions with their reasons, and"
            " the deals closest to closing: the app's Today page."
        ),
    )
    today.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    today.add_argument(
        "--tz", default=None, metavar="ZONE", help=_("your time zone (default: this computer's)")
    )
    login = commands.add_parser(
        "login", parents=[db_option], help=_("sign this computer in to your team server")
    )
    login.add_argument("url", help=_("the team server, e.g. https://kpidesk.example.com"))
    login.add_argument("username")
    login.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input")
    )
    login.add_argument(
        "--ca-bundle", type=Path, default=None, metavar="FILE",
        help=_("your company's certificate (PEM) when the server uses its own"),
    )  # fmt: skip
    login.add_argument(
        "--device-name", default=None, help=_("how this computer is listed (default: its name)")
    )
    sync = commands.add_parser(
        "sync", parents=[db_option], help=_("send your changes and receive the team's, now")
    )
    sync.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    commands.add_parser(
        "logout", parents=[db_option], help=_("sign out: the server revokes this computer's token")
    )
    _add_backup_parsers(commands, db_option)
    return parser


def _add_backup_parsers(
    commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser
) -> None:
    backup = commands.add_parser(
        "backup",
        parents=[db_option],
        help=_("copy your database now (to the backups folder, or to FILE)"),
    )
    backup.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE", help=_("where to write the copy")
    )
    restore = commands.add_parser(
        "restore",
        parents=[db_option],
        help=_("put a backup back in place of your database (the current one is kept as a copy)"),
    )
    restore.add_argument("file", type=Path, metavar="FILE", help=_("a kpidesk backup"))
    restore.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))


def _add_kpi_parser(
    commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser
) -> None:
    kpi = commands.add_parser(
        "kpi",
        parents=[db_option],
        help=_("print your indicators for a period"),
        description=_(
            "Your indicators for one period, compared with the previous period and the"
            " same period a year earlier. Periods are whole days in your time zone."
        ),
    )
    kpi.add_argument(
        "--period",
        choices=PERIOD_CHOICES,
        default=None,
        help=_("the kind of period (default: month)"),
    )
    kpi.add_argument(
        "--at",
        type=_date,
        default=None,
        metavar="DATE",
        help=_("a day inside the period (default: today)"),
    )
    kpi.add_argument(
        "--from",
        dest="first_day",
        type=_date,
        default=None,
        metavar="DATE",
        help=_("a custom period's first day"),
    )
    kpi.add_argument(
        "--to",
        dest="end_day",
        type=_date,
        default=None,
        metavar="DATE",
        help=_(
            "the day after a custom period (excluded: --from 2026-03-01 --to 2026-04-01 is March)"
        ),
    )
    kpi.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    kpi.add_argument(
        "--tz",
        default=None,
        metavar="ZONE",
        help=_("your time zone, e.g. Europe/Paris (default: this computer's)"),
    )


def app_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """What :func:`build_parser` would make of ``argv`` when it only starts the app (no
    command, only ``--db PATH``, ``--demo``, ``--self-test``); else ``None``, and the full
    parser decides, with its help, its errors and its abbreviations. Building every
    command's parser took ~12 ms before the window, for nothing, on every start."""
    args = argparse.Namespace(demo=False, self_test=False, command=None)
    tokens = iter(argv)
    for token in tokens:
        if token in ("--demo", "--self-test"):
            setattr(args, token[2:].replace("-", "_"), True)
        elif token.startswith("--db="):
            args.db = Path(token.removeprefix("--db="))
        elif token == "--db":
            value = next(tokens, None)
            if value is None or value.startswith("-"):  # argparse's error, or its reading
                return None
            args.db = Path(value)
        else:
            return None
    return args


def _version() -> str:
    from kpidesk import __version__

    return f"kpidesk {__version__}"


def _database_path(args: argparse.Namespace, *, must_exist: bool) -> Path:
    """The database to use: --db, or yours (made by the app or ``kpidesk init`` when missing).

    ``must_exist``: a missing --db is an error; with a command that only reads
    (:func:`_existing_database`), so is a missing database of yours.
    """
    from kpidesk.store.files import inspect_file  # light: no SQLAlchemy before the window

    explicit = getattr(args, "db", None)
    path = explicit or default_database_path()
    state = inspect_file(path)  # raises a StoreError naming the file when it is not usable
    if explicit is not None and must_exist and not state.exists:
        raise UsageError(
            _("no kpidesk database at {path} (create one with 'kpidesk init --db {path}')").format(
                path=path
            )
        )
    return path


def _existing_database(args: argparse.Namespace) -> Path:
    """For commands that read the rep's data: say how to make a database rather than fail."""
    path = _database_path(args, must_exist=True)
    if not path.exists():
        raise UsageError(
            _(
                "no kpidesk database yet at {path}: create yours with 'kpidesk init', or try "
                "kpidesk on made-up data with 'kpidesk demo --db demo.sqlite'"
            ).format(path=path)
        )
    return path


def _cmd_demo(args: argparse.Namespace) -> int:
    from kpidesk.services.demo import create_demo_database

    if getattr(args, "db", None) is None:
        raise UsageError(_("say where to build the demo with --db PATH (it must be a new file)"))
    from kpidesk.commands.progress import TerminalProgress

    # Seconds of work (about four for five years): a bar on a terminal's stderr; stdout
    # keeps the result.
    progress = TerminalProgress(
        ngettext(
            "Building {n} year of demo history", "Building {n} years of demo history", args.years
        ).format(n=args.years)
    )
    try:
        summary = create_demo_database(
            args.db, args.years, args.seed, args.end or date.today(), progress
        )
    finally:
        progress.abandon()  # a refusal or a full disk: its one line starts a line of its own
    if args.json:
        import json

        counts = ("accounts", "contacts", "activities", "offers")
        shown = {"path": str(summary.path), **{k: getattr(summary, k) for k in counts}}
        print(json.dumps(shown, indent=2))
        return 0
    print(
        _(
            "Demo database {path}: {accounts} accounts, {contacts} contacts, {activities} "
            "activities, {offers} offers."
        ).format(
            path=summary.path,
            accounts=summary.accounts,
            contacts=summary.contacts,
            activities=summary.activities,
            offers=summary.offers,
        )
    )
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from kpidesk.services.workspace import open_workspace
    from kpidesk.store.database import inspect_file

    path = getattr(args, "db", None) or default_database_path()  # yours unless --db says
    if inspect_file(path).revision is not None:
        raise UsageError(_("{path} is already a kpidesk database").format(path=path))
    path.parent.mkdir(parents=True, exist_ok=True)
    open_workspace(path).close()
    print(_("Created an empty kpidesk database at {path}.").format(path=path))
    return 0


def _cmd_kpi(args: argparse.Namespace) -> int:
    from kpidesk.commands import kpi

    return kpi.run(args, _existing_database(args))


def _cmd_import(args: argparse.Namespace) -> int:
    from kpidesk.commands import importing

    return importing.run(args, _existing_database(args))


def _cmd_export(args: argparse.Namespace) -> int:
    from kpidesk.commands import exporting

    return exporting.run(args, _existing_database(args))


def _check_display() -> None:
    """Without a display Qt aborts with a hint about a missing libxcb package: say what is
    really missing instead, before anything is created."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return  # another system, or a platform chosen on purpose (offscreen, wayland, vnc...)
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return
    raise UsageError(
        _(
            "no display to show the app on (neither DISPLAY nor WAYLAND_DISPLAY is set): start "
            "kpidesk in a desktop session, or use its commands here (kpidesk --help)"
        )
    )


def _cmd_app(args: argparse.Namespace) -> int:
    if args.self_test:  # headless; needs the desktop extra like the app itself
        from kpidesk.ui.self_test import run

        return run()
    if args.demo and getattr(args, "db", None) is not None:
        raise UsageError(_("--demo opens a temporary demo database; it cannot be used with --db"))
    _check_display()
    try:
        from kpidesk.ui.app import run_app
    except ImportError as exc:
        raise UsageError(
            _(
                "the desktop app is not installed ({module} is missing): "
                "pip install 'kpidesk[desktop]'"
            ).format(module=exc.name)
        ) from None
    own = _database_path(args, must_exist=True)
    if not args.demo:
        return run_app(own)
    # A demo thrown away with the app: built by the window (a progress bar, never a still
    # black screen) in a temporary folder; "Back to my data" opens the rep's own database.
    folder = Path(tempfile.mkdtemp(prefix="kpidesk-demo-"))
    try:
        return run_app(own, demo_path=folder / "demo.sqlite", open_demo=True, build_demo=True)
    finally:  # nothing left in the temp folder
        shutil.rmtree(folder, ignore_errors=True)


def _cmd_today(args: argparse.Namespace) -> int:
    from kpidesk.commands import today

    return today.run(args, _existing_database(args))


def _cmd_team(args: argparse.Namespace) -> int:
    from kpidesk.commands import team

    return team.run(args, _existing_database(args))


def _cmd_ics(args: argparse.Namespace) -> int:
    from kpidesk.commands import ics

    return ics.run(args, _existing_database(args))


def _cmd_report(args: argparse.Namespace) -> int:
    from kpidesk.commands import report

    path = _existing_database(args)
    try:
        from kpidesk.ui.report.offscreen import write_review_pdf_offscreen
    except ImportError as exc:
        raise UsageError(
            _(
                "the PDF report needs the desktop app ({module} is missing): "
                "pip install 'kpidesk[desktop]'"
            ).format(module=exc.name)
        ) from None
    return report.run(args, path, write_review_pdf_offscreen)


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
    "import": _cmd_import,
    "export": _cmd_export,
    "today": _cmd_today,
    "ics": _cmd_ics,
    "team": _cmd_team,
    "report": _cmd_report,
    "login": _sync_command("login"),
    "sync": _sync_command("sync"),
    "logout": _sync_command("logout"),
    "backup": _cmd_backup,
    "restore": _cmd_restore,
}


def main(argv: Sequence[str] | None = None) -> int:
    # The composition root of the commands: the language is chosen once, before the first text.
    from kpidesk.services.preferences import chosen_language  # light: json and a path

    presentation.install(presentation.system_language_tag(chosen=chosen_language()))
    args = app_options(sys.argv[1:] if argv is None else argv)
    if args is None:
        args = build_parser().parse_args(argv)
    from kpidesk.store.errors import StoreError

    try:
        handler = COMMANDS.get(args.command, _cmd_app)
        return handler(args)
    except UsageError as exc:
        print(f"kpidesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        from kpidesk.presentation.errors import store_error_text

        print(f"kpidesk: {store_error_text(exc)}{_restore_hint(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kpidesk: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`kpidesk kpi | head`): not an error; keep Python quiet at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: keep the details for the team, give the user one line
        log = _log_crash(sys.argv[1:] if argv is None else list(argv))
        text = _("unexpected error ({kind}); details in {log}")
        print("kpidesk: " + text.format(kind=type(exc).__name__, log=log), file=sys.stderr)
        return 1


def _restore_hint(exc: Exception) -> str:
    from kpidesk.store.errors import DamagedDatabaseError

    if not isinstance(exc, DamagedDatabaseError):
        return ""
    from kpidesk.store.backups import latest_good_backup

    latest = latest_good_backup(Path(str(exc.path)))
    if latest is None:
        return _("; no backup of it was found")
    return _("; restore the latest good backup with: {command}").format(
        command=f"kpidesk restore --db {exc.path} {latest.path}"
    )


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
