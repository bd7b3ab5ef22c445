"""``kpidesk ics``: my planned activities out to a calendar, and the debrief inbox back in.

``kpidesk ics export [-o FILE] [--from DATE] [--to DATE] [--offer-reminders]`` writes an .ics
file (standard output without -o). ``kpidesk ics import FILE [--days N]`` lists the past
appointments of a calendar export that no logged activity covers; ``--log N --kind visit
--outcome KEY`` logs entry N, ``--dismiss N`` hides it for good. Nothing is written without
--log or --dismiss.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from kpidesk.commands import UsageError, whole_number
from kpidesk.presentation import _, ngettext

LOG_KINDS = ("visit", "call", "email", "other")
# The stable keys of the structured outcomes (kpidesk.domain.outcomes), spelled out here so
# the parser needs no import of the domain at start.
OUTCOMES = ("reached", "voicemail", "no_answer", "meeting_set", "meeting_held",
            "offer_requested", "not_interested", "replied", "no_reply", "done")  # fmt: skip


def add_parser(commands: Any, db_option: argparse.ArgumentParser, day: Any) -> None:
    ics = commands.add_parser(
        "ics",
        parents=[db_option],
        help=_("your calendar: export planned activities, import appointments to debrief"),
    )
    actions = ics.add_subparsers(dest="ics_action", metavar="ACTION", required=True,
                                 parser_class=type(ics))  # fmt: skip
    out = actions.add_parser(
        "export", parents=[db_option], help=_("write your planned activities as an .ics file")
    )
    out.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE",
        help=_("the file to write (default: standard output)"),
    )  # fmt: skip
    out.add_argument("--from", dest="first_day", type=day, default=None, metavar="DATE",
                     help=_("only activities due on or after this day"))  # fmt: skip
    out.add_argument("--to", dest="end_day", type=day, default=None, metavar="DATE",
                     help=_("only activities due before this day (excluded)"))  # fmt: skip
    out.add_argument("--tz", default=None, metavar="ZONE",
                     help=_("your time zone (default: this computer's)"))  # fmt: skip
    out.add_argument(
        "--offer-reminders", action="store_true",
        help=_("also a follow-up reminder for each open offer (cancelled once it is decided)"),
    )  # fmt: skip
    inbox = actions.add_parser(
        "import",
        parents=[db_option],
        help=_("list the past appointments of a calendar file that you have not logged"),
    )
    inbox.add_argument("file", type=Path, help=_("an .ics file exported from your calendar"))
    inbox.add_argument("--days", type=whole_number(1, 366), default=14,
                       help=_("how many past days to look at (default 14)"))  # fmt: skip
    inbox.add_argument("--log", type=int, default=None, metavar="N",
                       help=_("log entry N of the list as done"))  # fmt: skip
    inbox.add_argument("--kind", choices=LOG_KINDS, default="visit",
                       help=_("what entry N was (default: visit)"))  # fmt: skip
    inbox.add_argument(
        "--outcome", default=None, choices=OUTCOMES, metavar="OUTCOME",
        help=_("how it went: one of {choices}").format(choices=", ".join(OUTCOMES)),
    )  # fmt: skip
    inbox.add_argument(
        "--account", default=None, metavar="NAME",
        help=_("the account of entry N, when the calendar does not say"),
    )  # fmt: skip
    inbox.add_argument("--dismiss", type=int, default=None, metavar="N",
                       help=_("never list entry N again"))  # fmt: skip
    inbox.add_argument("--tz", default=None, metavar="ZONE",
                       help=_("your time zone (default: this computer's)"))  # fmt: skip


def _zone(name: str | None) -> Any:
    from kpidesk.services.local_zone import machine_zone, zone_named

    try:
        return zone_named(name) if name else machine_zone()
    except ValueError:
        raise UsageError(
            _("unknown time zone: {name!r} (use a name such as Europe/Paris)").format(name=name)
        ) from None


def _midnight(day: date | None, tz: Any) -> datetime | None:
    return None if day is None else datetime.combine(day, time(), tz).astimezone(UTC)


def run(args: argparse.Namespace, path: Path) -> int:
    if args.ics_action == "export":
        return _export(args, path)
    return _import(args, path)


def _export(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.calendar_export import write_calendar
    from kpidesk.services.workspace import open_workspace

    tz = _zone(args.tz)
    if args.first_day and args.end_day and args.first_day >= args.end_day:
        raise UsageError(
            _("--from {first} must be before --to {end} (--to is excluded)").format(
                first=args.first_day, end=args.end_day
            )
        )
    if args.output is not None and not args.output.parent.is_dir():
        raise UsageError(_("no folder {folder} to write into").format(folder=args.output.parent))
    workspace = open_workspace(path, tz, create=False)
    try:
        export = workspace.export_calendar(
            _midnight(args.first_day, tz), _midnight(args.end_day, tz), args.offer_reminders
        )
    finally:
        workspace.close()
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(export.ics)
        return 0
    try:
        write_calendar(export, args.output)
    except OSError as exc:
        raise UsageError(
            _("cannot write {path}: {reason}").format(path=args.output, reason=exc.strerror)
        ) from None
    activities = export.events - export.reminders
    written = ngettext(
        "{path}: {n} activity ({cancelled} cancelled).",
        "{path}: {n} activities ({cancelled} cancelled).",
        activities,
    )
    if args.offer_reminders:
        written = _("{path}: {activities} and {reminders} ({cancelled} cancelled).").format(
            path="{path}", cancelled="{cancelled}",
            activities=ngettext("{n} activity", "{n} activities", activities),
            reminders=ngettext("{m} offer follow-up", "{m} offer follow-ups", export.reminders),
        )  # fmt: skip
    print(written.format(path=args.output, n=activities, m=export.reminders,
                         cancelled=export.cancelled))  # fmt: skip
    return 0


def _import(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.presentation import Formatter
    from kpidesk.presentation.labels import message_text
    from kpidesk.services.calendar_read import CalendarFileError
    from kpidesk.services.workspace import open_workspace

    if args.log is not None and args.dismiss is not None:
        raise UsageError(_("--log and --dismiss cannot be used together"))
    tz = _zone(args.tz)
    fmt = Formatter(tz=tz)
    workspace = open_workspace(path, tz, create=False)
    try:
        try:
            inbox = workspace.debrief.inbox(args.file, args.days)
        except CalendarFileError as exc:
            raise UsageError(
                _("cannot read {path}: {reason}").format(
                    path=exc.path, reason=message_text(exc.reason, fmt)
                )
            ) from None
        chosen = args.log if args.log is not None else args.dismiss
        if chosen is None:
            count = len(inbox.entries)
            heading = ngettext("{n} appointment to debrief in {path}",
                               "{n} appointments to debrief in {path}", count)  # fmt: skip
            print(heading.format(n=count, path=args.file))
            for n, entry in enumerate(inbox.entries, 1):
                print(entry_line(n, entry, fmt))
            for note in inbox.left_out:
                print("  " + message_text(note, fmt))
            return 0
        if not 1 <= chosen <= len(inbox.entries):
            raise UsageError(
                _("no entry {n}: the list has {count} (run without --log to see it)").format(
                    n=chosen, count=len(inbox.entries)
                )
            )
        entry = inbox.entries[chosen - 1]
        if args.dismiss is not None:
            workspace.debrief.dismiss(entry)
            print(_("Dismissed: {line}").format(line=entry_line(chosen, entry, fmt).strip()))
            return 0
        account_id = _account(workspace, args.account) if args.account else entry.account_id
        if account_id is None:
            raise UsageError(
                _("entry {n} matches none of your accounts: say which with --account NAME").format(
                    n=chosen
                )
            )
        from kpidesk.domain.outcomes import OUTCOMES_BY_KIND, Outcome
        from kpidesk.domain.vocabulary import ActivityKind

        kind = ActivityKind(args.kind)
        outcome = Outcome(args.outcome) if args.outcome else None
        if outcome is not None and outcome not in OUTCOMES_BY_KIND[kind]:
            raise UsageError(
                _("--outcome {outcome} does not apply to a {kind}: use one of {choices}").format(
                    outcome=outcome.value, kind=args.kind,
                    choices=", ".join(o.value for o in OUTCOMES_BY_KIND[kind]),
                )
            )  # fmt: skip
        result = workspace.debrief.log(entry, kind, outcome, account_id)
        print(_("Logged: {line} ({account})").format(
            line=entry_line(chosen, entry, fmt).strip(), account=result.account_name))  # fmt: skip
        return 0
    finally:
        workspace.close()


def entry_line(n: int, entry: Any, fmt: Any) -> str:
    """ "  2. 24/11/2026 10:00  Visite ACME  ->  ACME": one entry of the list."""
    appointment = entry.appointment
    when = (
        fmt.day(fmt.local(appointment.start).date())
        if appointment.all_day
        else fmt.datetime(appointment.start)
    )
    what = appointment.summary or appointment.location or _("(no title)")
    account = entry.account_name or _("no account found")
    return f"  {n:>2}. {when}  {what}  -> {account}"


def _account(workspace: Any, name: str) -> str:
    wanted = name.strip().casefold()
    found = [a for a in workspace.accounts.list(mine=True) if a.name.casefold() == wanted]
    if not found:
        raise UsageError(_("none of your accounts is called {name!r}").format(name=name))
    if len(found) > 1:  # never a guess between two accounts of the same name
        raise UsageError(
            _("{n} of your accounts are called {name!r} ({cities}): rename one to tell them"
              " apart, or log this entry in the app").format(
                n=len(found), name=name, cities=", ".join(a.city or "?" for a in found)
            )
        )  # fmt: skip
    return found[0].id
