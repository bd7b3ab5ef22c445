"""The ``kpidesk-server`` command: set up the database, administer users, teams and devices,
purge old deletions, serve.

Every error a user can cause is one clear line on stderr and exit code 2, never a traceback.
Passwords are read from ``--password-file`` (automation) or asked twice on the terminal; they
are never accepted on the command line, where other users could see them in the process list.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import URL, Connection

    from kpidesk.server.db import Database
    from kpidesk.server.security import Passwords
    from kpidesk.server.settings import ServerSettings
    from kpidesk.server.sync.purge import HoldingDevice, PurgeReport
    from kpidesk.server.tables import Team

EXIT_USAGE = 2
ROLES = ("rep", "manager", "admin")
MAX_PURGE_DAYS = 36_500  # a hundred years: beyond it, the date arithmetic overflows
PURGE_HELP = """\
Delete for good the records deleted more than DAYS days ago that every device able to sync
has synced past, so the database does not keep every deletion forever. A device that has not
synced since holds them back: the report names it (revoke it if that laptop is lost). A laptop
that comes back later with an older copy pulls everything again; nothing unsent is lost.

Safe to run while the server serves (syncs wait a moment). Run it daily from cron, as the
server's user and with the server's KPIDESK_DATABASE_URL or KPIDESK_SERVER_DATA, e.g.:
  15 3 * * *  kpidesk-server purge
It prints a short report (cron mails it) and exits with 0, or 2 on an error.
"""


class UsageError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {text!r}")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to 64: {text!r}")
    return int(text)


def _days(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_PURGE_DAYS:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of days from 1 to {MAX_PURGE_DAYS}: {text!r}"
        )
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    # The database options work before or after the command; SUPPRESS keeps one from erasing
    # the other.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=argparse.SUPPRESS, metavar="DIR",
        help="the server's data folder (SQLite database); default: KPIDESK_SERVER_DATA or the"
        " user data folder",
    )  # fmt: skip
    common.add_argument(
        "--database-url", default=argparse.SUPPRESS, metavar="URL",
        help="e.g. postgresql+psycopg://USER:PASSWORD@HOST/DB; default: KPIDESK_DATABASE_URL,"
        " else SQLite in the data folder",
    )  # fmt: skip
    password = argparse.ArgumentParser(add_help=False)
    password.add_argument(
        "--password-file", type=Path, metavar="FILE",
        help="read the password from the first line of FILE instead of asking",
    )  # fmt: skip

    parser = _Parser(
        prog="kpidesk-server", description="The kpidesk team server.", parents=[common]
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )

    init = commands.add_parser(
        "init", parents=[common, password], help="create the database and the first admin"
    )
    init.add_argument("--admin", required=True, metavar="USERNAME", help="the first admin")
    commands.add_parser(
        "migrate", parents=[common], help="upgrade the database schema to this version's"
    )

    user = commands.add_parser("user", parents=[common], help="manage users").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    add = user.add_parser("add", parents=[common, password], help="add a user")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, required=True)
    user.add_parser("list", parents=[common], help="list users")
    for action, text in (("disable", "disable a user and sign out their devices"),
                         ("enable", "let a disabled user sign in again")):  # fmt: skip
        user.add_parser(action, parents=[common], help=text).add_argument("username")
    reset = user.add_parser(
        "reset-password", parents=[common, password],
        help="set a new password and sign out every device of the user",
    )  # fmt: skip
    reset.add_argument("username")
    set_role = user.add_parser("set-role", parents=[common], help="change a user's role")
    set_role.add_argument("username")
    set_role.add_argument("role", choices=ROLES)

    team = commands.add_parser("team", parents=[common], help="manage teams").add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    team_add = team.add_parser("add", parents=[common], help="create a team")
    team_add.add_argument("name")
    team_add.add_argument("--manager", required=True, metavar="USERNAME")
    for action, text in (
        ("assign", "add a user to a team"),
        ("remove", "remove a user from a team"),
        ("set-manager", "give a team another manager"),
    ):
        change = team.add_parser(action, parents=[common], help=text)
        change.add_argument("name")
        change.add_argument("username")
    team.add_parser("list", parents=[common], help="list teams and their members")

    device = commands.add_parser(
        "device", parents=[common], help="list and revoke devices"
    ).add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=_Parser)
    device.add_parser(
        "list", parents=[common], help="list devices, of everyone or of one user"
    ).add_argument("username", nargs="?", metavar="USERNAME")
    device.add_parser(
        "revoke", parents=[common], help="revoke a device (a lost laptop): it can no longer sync"
    ).add_argument("device_id", metavar="DEVICE_ID", help="as shown by 'device list'")

    purge = commands.add_parser(
        "purge", parents=[common], help="delete for good old deletions every device has synced",
        description=PURGE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    purge.add_argument(
        "--older-than", type=_days, default=90, metavar="DAYS",
        help="only records deleted more than DAYS days ago (default 90)",
    )  # fmt: skip
    purge.add_argument(
        "--dry-run", action="store_true", help="only report what would be purged; change nothing"
    )

    serve = commands.add_parser("serve", parents=[common], help="run the server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument(
        "--workers", type=_workers, default=1, help="worker processes (PostgreSQL only)"
    )
    serve.add_argument("--tls-cert", type=Path, metavar="FILE", help="PEM certificate chain")
    serve.add_argument("--tls-key", type=Path, metavar="FILE", help="PEM private key")
    serve.add_argument(
        "--forwarded-allow-ips", default=None, metavar="IPS",
        help="proxies trusted for X-Forwarded-For (comma-separated; default: none)",
    )  # fmt: skip
    return parser


# Shared plumbing


def _settings(args: argparse.Namespace) -> ServerSettings:
    from kpidesk.server.settings import settings_from_env

    return settings_from_env(
        data_dir=getattr(args, "data_dir", None), database_url=getattr(args, "database_url", None)
    )


@contextmanager
def _database(args: argparse.Namespace, *, check: bool = True) -> Iterator[Database]:
    from kpidesk.server.db import Database, check_schema, database_url, make_engine

    # Only init and migrate (check=False) may create the database.
    engine = make_engine(database_url(_settings(args)), create=not check)
    try:
        if check:
            check_schema(engine)
        yield Database(engine)
    finally:
        engine.dispose()


def _read_password(args: argparse.Namespace, whose: str) -> str:
    from kpidesk.server.directory import check_password

    source: Path | None = args.password_file
    if source is not None:
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"{source} is not UTF-8 text") from None
        password = lines[0] if lines else ""
        if not password:
            raise UsageError(f"{source} is empty: its first line must be the password")
    else:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to ask for the password: use --password-file FILE")
        import getpass

        password = getpass.getpass(f"Password for {whose}: ")
        if getpass.getpass("Same password again: ") != password:
            raise UsageError("the two passwords differ; nothing was changed")
    check_password(password)
    return password


def _passwords(args: argparse.Namespace) -> Passwords:
    from kpidesk.server.security import Passwords

    return Passwords(_settings(args).password_hashing)


# Commands


def _cmd_migrate(args: argparse.Namespace) -> int:
    from kpidesk.server.db import SCHEMA_HEAD, database_url, shown
    from kpidesk.server.serving import not_served

    url = database_url(_settings(args))
    served: Any = nullcontext()
    if url.get_backend_name() == "sqlite" and url.database:
        served = not_served(Path(url.database), UsageError)  # refused while a server serves it
    with served, _database(args, check=False) as db:
        _upgrade(db)
        print(f"The server database {shown(db.engine.url)} is at schema {SCHEMA_HEAD}.")
    return 0


def _upgrade(db: Database, then: Callable[[Connection], None] | None = None) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from kpidesk.server import migrations
    from kpidesk.server.db import KNOWN_REVISIONS, DatabaseError, schema_revision, shown

    try:
        with db.engine.connect() as conn:
            revision = schema_revision(conn)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseError(
                f"the server database {shown(db.engine.url)} has schema {revision}, made by a"
                " newer kpidesk-server: update kpidesk-server"
            )
        migrations.upgrade(db.engine, then=then)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(f"cannot upgrade {shown(db.engine.url)}: {detail}") from None


def _cmd_init(args: argparse.Namespace) -> int:
    """Check everything first, then create the schema and the admin in one transaction: a
    failed init leaves no database without an admin behind (nor a SQLite file it created)."""
    from sqlalchemy.orm import Session

    from kpidesk.protocol.auth import Role
    from kpidesk.server import directory
    from kpidesk.server.db import database_url, shown

    username = directory.check_username(args.admin)
    url = database_url(_settings(args))
    passwords = _passwords(args)

    def refuse_if_users(existing: int) -> None:
        if existing:
            raise UsageError(
                f"{shown(url)} already has {existing} user(s): add more with"
                " 'kpidesk-server user add'"
            )

    refuse_if_users(_existing_users(url))  # before asking for a password
    password = _read_password(args, username)

    def first_admin(conn: Connection) -> None:
        with Session(bind=conn) as session:  # joins the upgrade's transaction
            refuse_if_users(directory.count_users(session))  # another init got there first
            directory.create_user(session, passwords, username, Role.ADMIN, password)

    undo = _new_sqlite_file(url)
    try:
        with _database(args, check=False) as db:
            _upgrade(db, then=first_admin)
    except BaseException:
        undo()
        raise
    print(f"Created the server database {shown(url)} with admin {username!r}.")
    return 0


def _existing_users(url: URL) -> int:
    """How many users the server database has; 0 when it has no schema or does not exist yet
    (nothing is created here)."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    from kpidesk.server.db import DatabaseError, make_engine, schema_revision, shown
    from kpidesk.server.directory import count_users

    if url.get_backend_name() == "sqlite" and not Path(str(url.database)).exists():
        return 0
    engine = make_engine(url, create=False)
    try:
        with engine.connect() as conn:
            if schema_revision(conn) is None:
                return 0
            with Session(bind=conn) as session:
                return count_users(session)
    except SQLAlchemyError as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseError(f"cannot open the server database {shown(url)}: {detail}") from None
    finally:
        engine.dispose()


def _new_sqlite_file(url: URL) -> Callable[[], None]:
    """Create the empty SQLite file init is about to fill, and its missing folders; return what
    removes them should init fail. It removes nothing when the file already existed (not init's
    to remove), nor on PostgreSQL (the failed transaction leaves the database as it was)."""
    from kpidesk.server.db import DatabaseError

    if url.get_backend_name() != "sqlite":
        return lambda: None
    path = Path(str(url.database))
    folders = [folder for folder in path.parents if not folder.exists()]  # nearest first

    def remove_folders() -> None:
        for folder in folders:
            try:
                folder.rmdir()
            except OSError:
                return

    def remove() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        remove_folders()

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        return lambda: None
    except OSError as exc:
        remove_folders()
        raise DatabaseError(f"cannot use {path}: {exc.strerror or exc}") from None
    return remove


def _cmd_user(args: argparse.Namespace) -> int:
    from kpidesk.protocol.auth import Role
    from kpidesk.server import directory
    from kpidesk.server.errors import ServerOpError

    with _database(args) as db:
        if args.action == "list":
            with db.session() as session:
                rows = [
                    (
                        user.username,
                        user.role.value,
                        "disabled" if user.disabled else "active",
                        _teams_column(*directory.teams_around(session, user.id)),
                    )
                    for user in directory.list_users(session)
                ]
            _print_table(("USERNAME", "ROLE", "STATUS", "TEAMS"), rows)
            return 0
        if args.action == "add":
            username = directory.check_username(args.username)
            with db.session() as session:  # refuse before asking for a password
                try:
                    directory.user_by_name(session, username)
                except ServerOpError:
                    pass
                else:
                    raise UsageError(f"a user named {username!r} already exists")
            password = _read_password(args, username)
            with db.session(write=True) as session:
                directory.create_user(session, _passwords(args), username, args.role, password)
            print(f"Added {args.role} {username!r}.")
            return 0
        if args.action == "reset-password":
            with db.session() as session:
                directory.user_by_name(session, args.username)
            password = _read_password(args, args.username)
            with db.session(write=True) as session:
                user = directory.user_by_name(session, args.username)
                directory.reset_password(session, _passwords(args), user, password)
            print(f"New password set for {user.username!r}; their devices were signed out.")
            return 0
        with db.session(write=True) as session:
            user = directory.user_by_name(session, args.username)
            if args.action == "set-role":
                directory.set_role(session, user, Role(args.role))
                print(f"{user.username!r} is now {user.role.value}.")
            else:
                directory.set_disabled(session, user, args.action == "disable")
                print(f"{user.username!r} is {args.action}d.")
    return 0


def _teams_column(member_of: list[Team], leads: list[Team]) -> str:
    """The teams a user is in and those they lead, by name: "Lyon Nord (manager), Lyon Sud"."""
    led = {team.id for team in leads}
    teams = sorted({team.id: team for team in (*member_of, *leads)}.values(), key=lambda t: t.name)
    return ", ".join(f"{t.name} (manager)" if t.id in led else t.name for t in teams)


def _cmd_team(args: argparse.Namespace) -> int:
    from kpidesk.server import directory

    with _database(args) as db, db.session(write=args.action != "list") as session:
        if args.action == "list":
            rows = []
            for team in directory.list_teams(session):
                manager = directory.user_by_id(session, team.manager_id).username
                members = ", ".join(u.username for u in directory.members_of(session, team.id))
                rows.append((team.name, manager, members))
            _print_table(("TEAM", "MANAGER", "MEMBERS"), rows)
        elif args.action == "add":
            manager = directory.user_by_name(session, args.manager)
            team = directory.create_team(session, args.name, manager)
            print(f"Created team {team.name!r}, managed by {manager.username!r}.")
        else:  # the same functions as the admin API: they flag the devices to resync
            team = directory.team_by_name(session, args.name)
            user = directory.user_by_name(session, args.username)
            if args.action == "assign":
                directory.assign_member(session, team, user)
                print(f"{user.username!r} is a member of {team.name!r}.")
            elif args.action == "remove":
                directory.remove_member(session, team, user)
                print(f"{user.username!r} is no longer a member of {team.name!r}.")
            elif team.manager_id == user.id:  # nothing changes: no device needs a resync
                print(f"{user.username!r} already manages {team.name!r}.")
            else:
                directory.set_team_manager(session, team, user)
                print(f"{team.name!r} is now managed by {user.username!r}.")
    return 0


def _cmd_device(args: argparse.Namespace) -> int:
    from kpidesk.server import devices, directory
    from kpidesk.server.tables import Device

    with _database(args) as db, db.session(write=args.action != "list") as session:
        if args.action == "list":
            rows = [
                (device.id, username, device.name, _when(device.last_seen_at) or "never",
                 _when(device.revoked_at) or "no")
                for device, username in devices.list_devices(session, args.username)
            ]  # fmt: skip
            _print_table(("ID", "USER", "NAME", "LAST SEEN (UTC)", "REVOKED (UTC)"), rows)
            return 0
        already = session.get(Device, args.device_id)
        was_revoked = already is not None and already.revoked_at is not None
        device = devices.revoke(session, args.device_id)
        owner = directory.user_by_id(session, device.user_id).username
    if was_revoked:
        print(f"Device {device.name!r} of {owner!r} was already revoked.")
    else:  # signing in on it again (the password is needed) gives it a new token: say so
        print(
            f"Device {device.name!r} of {owner!r} is revoked: it can no longer sync until"
            " someone signs in on it again."
        )
    return 0


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M")


def _cmd_purge(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from kpidesk.domain.timeutil import utc_now
    from kpidesk.server.sync.purge import purge_tombstones

    with _database(args) as db, db.session(write=not args.dry_run) as session:
        report = purge_tombstones(
            session, now=utc_now(), older_than=timedelta(days=args.older_than),
            dry_run=args.dry_run,
        )  # fmt: skip
    for line in _purge_lines(report):
        print(line)
    return 0


def _purge_lines(report: PurgeReport) -> list[str]:
    days = report.older_than.days
    if report.total_purged:
        verb = "Would purge" if report.dry_run else "Purged"
        lines = [f"{verb} {_records(report.purged)}."]
    else:
        lines = [] if report.total_kept else [f"No deleted record is older than {days} days."]
    if report.total_kept:
        verb = "Would keep" if report.dry_run else "Kept"
        kept = f"{verb} {_records(report.kept)} older than {days} days"
        lines += _holders_lines(kept, report.holders)
    if report.dry_run:
        lines.append("Dry run: nothing was changed.")
    return lines


def _records(per_table: dict[str, int]) -> str:
    total = sum(per_table.values())
    tables = ", ".join(f"{table} {count}" for table, count in per_table.items() if count)
    return f"{total} deleted record{'' if total == 1 else 's'} ({tables})"


def _holders_lines(kept: str, holders: list[HoldingDevice]) -> list[str]:
    def who(device: HoldingDevice) -> str:
        seen = device.last_seen_at
        when = f"last seen {seen:%Y-%m-%d}" if seen else "never seen"
        return f"device {device.name!r} of {device.username} ({when})"

    if not holders:  # they changed while the purge ran (a sync at that moment)
        return [f"{kept}: they changed during the purge; the next purge will see them."]
    if len(holders) == 1:
        (device,) = holders
        return [
            f"{kept}: {who(device)} has not synced since they were deleted. If that laptop is"
            f" lost, revoke it: kpidesk-server device revoke {device.id}"
        ]
    return [
        f"{kept}: {len(holders)} devices have not synced since they were deleted:",
        *(f"  {who(device)}: kpidesk-server device revoke {device.id}" for device in holders),
        "If one of these laptops is lost, revoke it with the command shown.",
    ]


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in (header, *rows):
        print(
            "  ".join(
                str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
            ).rstrip()
        )


def _cmd_serve(args: argparse.Namespace) -> int:
    from kpidesk.server import serving

    serving.serve(
        _settings(args),
        host=args.host,
        port=args.port,
        workers=args.workers,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        forwarded_allow_ips=args.forwarded_allow_ips,
        usage_error=UsageError,
    )
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "init": _cmd_init,
    "migrate": _cmd_migrate,
    "user": _cmd_user,
    "team": _cmd_team,
    "device": _cmd_device,
    "purge": _cmd_purge,
    "serve": _cmd_serve,
}


# The server extra's modules: one missing means a desktop-only install, not a bug.
SERVER_EXTRA_MODULES = {"fastapi", "starlette", "uvicorn", "argon2", "psycopg", "pydantic_settings"}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _run(args)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in SERVER_EXTRA_MODULES:
            raise
        print(
            f"kpidesk-server: the team server is not installed here ({exc.name} is missing):"
            " pip install 'kpidesk[server]'",
            file=sys.stderr,
        )
        return EXIT_USAGE


def _run(args: argparse.Namespace) -> int:
    from kpidesk.server.db import DatabaseError
    from kpidesk.server.errors import ServerOpError
    from kpidesk.server.settings import SettingsError

    try:
        return COMMANDS[args.command](args)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] in SERVER_EXTRA_MODULES:
            raise  # said in main()
        return _unexpected(exc)
    except (UsageError, ServerOpError, DatabaseError, SettingsError) as exc:
        print(f"kpidesk-server: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("kpidesk-server: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line; the details only when asked for
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    if os.environ.get("KPIDESK_DEBUG"):
        raise exc
    print(
        f"kpidesk-server: unexpected error ({type(exc).__name__});"
        " run again with KPIDESK_DEBUG=1 for the details",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
