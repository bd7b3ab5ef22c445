"""The ``kpidesk`` command: the desktop app by default, subcommands for headless use.

Every error a user can cause (a wrong argument, a missing or foreign database) is one clear line
on stderr and exit code 2; never a traceback. Heavy modules are imported only by the command
that needs them, so ``kpidesk --help`` and the app's first window stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn

from kpidesk import presentation
from kpidesk.commands import UsageError
from kpidesk.presentation import _

EXIT_USAGE = 2
DEMO_YEARS_FOR_APP = 2  # `kpidesk --demo`: enough history for every indicator, built in ~2 s

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


def _years(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("not a whole number: {text!r}").format(text=text)
        ) from None
    if not 1 <= value <= 20:
        raise argparse.ArgumentTypeError(_("must be between 1 and 20: {text}").format(text=text))
    return value


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
        "--years", type=_years, default=5, help=_("years of history, 1 to 20 (default 5)")
    )
    demo.add_argument("--seed", type=int, default=1, help=_("same seed, same data (default 1)"))
    demo.add_argument(
        "--end", type=_date, default=None, help=_("the day the history stops (default: today)")
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
    return parser


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
        choices=("week", "month", "quarter", "year", "last_30_days", "last_90_days"),
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
    summary = create_demo_database(args.db, args.years, args.seed, args.end or date.today())
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


def _cmd_app(args: argparse.Namespace) -> int:
    if args.self_test:  # headless; needs the desktop extra like the app itself
        from kpidesk.ui.self_test import run

        return run()
    if args.demo and getattr(args, "db", None) is not None:
        raise UsageError(_("--demo opens a temporary demo database; it cannot be used with --db"))
    if args.demo:
        from kpidesk.services.demo import create_demo_database

        folder = Path(tempfile.mkdtemp(prefix="kpidesk-demo-"))
        path = create_demo_database(
            folder / "demo.sqlite", DEMO_YEARS_FOR_APP, 1, date.today()
        ).path
    else:
        path = _database_path(args, must_exist=True)
    try:
        from kpidesk.ui.app import run_app
    except ImportError as exc:
        raise UsageError(
            _(
                "the desktop app is not installed ({module} is missing): "
                "pip install 'kpidesk[desktop]'"
            ).format(module=exc.name)
        ) from None
    return run_app(path, demo=args.demo)


def _cmd_today(args: argparse.Namespace) -> int:
    from kpidesk.commands import today

    return today.run(args, _existing_database(args))


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


COMMANDS = {
    "demo": _cmd_demo,
    "init": _cmd_init,
    "kpi": _cmd_kpi,
    "import": _cmd_import,
    "export": _cmd_export,
    "today": _cmd_today,
    "ics": _cmd_ics,
    "report": _cmd_report,
    "login": _sync_command("login"),
    "sync": _sync_command("sync"),
    "logout": _sync_command("logout"),
}


def main(argv: Sequence[str] | None = None) -> int:
    # The composition root of the commands: the language is chosen once, before the first text.
    presentation.install(presentation.system_language_tag())
    parser = build_parser()
    args = parser.parse_args(argv)
    from kpidesk.store.errors import StoreError

    try:
        handler = COMMANDS.get(args.command, _cmd_app)
        return handler(args)
    except UsageError as exc:
        print(f"kpidesk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        from kpidesk.presentation.errors import store_error_text

        print(f"kpidesk: {store_error_text(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kpidesk: " + _("interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`kpidesk kpi | head`): not an error; keep Python quiet at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: keep the details for the team, give the user one line
        log = _log_crash()
        text = _("unexpected error ({kind}); details in {log}")
        print("kpidesk: " + text.format(kind=type(exc).__name__, log=log), file=sys.stderr)
        return 1


def _log_crash() -> Path:
    import traceback

    import platformdirs

    folder = Path(platformdirs.user_log_dir("kpidesk", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "crash.log"
    with log.open("a", encoding="utf-8") as handle:
        handle.write(f"--- {date.today().isoformat()} kpidesk {' '.join(sys.argv[1:])}\n")
        handle.write(traceback.format_exc())
    return log


if __name__ == "__main__":
    sys.exit(main())
