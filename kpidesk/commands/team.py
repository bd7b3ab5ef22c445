"""``kpidesk team``: the manager's team page, or with ``--what-my-manager-sees`` the rep's own
part of it, as the app's Team page shows them (the same value: the team view the server
computed from what each rep shares).

The team view is fetched from the team server first when this laptop is signed in; offline,
the one kept since the last sync is printed with the time the server computed it. JSON
(``--json``) is the page itself: ``{"made_at", "time_zone", "period_kind", "team": {...}}`` or
``{"made_at", "time_zone", "period_kind", "rep": {...}}``, every field as the page has it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kpidesk.commands import UsageError
from kpidesk.presentation import _

EXIT_NOTHING = 1  # no team view here: not in a team, or never synced


def add_parser(commands: Any, db_option: argparse.ArgumentParser) -> None:
    team = commands.add_parser(
        "team",
        parents=[db_option],
        help=_("print your team's pipeline quality (managers), or what your manager sees"),
    )
    team.add_argument("--team", default=None, metavar="NAME",
                      help=_("the team, for a manager who leads several"))  # fmt: skip
    team.add_argument("--what-my-manager-sees", action="store_true",
                      help=_("print exactly your part of your manager's team page"))  # fmt: skip
    team.add_argument("--period", choices=("month", "quarter", "year"), default="month",
                      help=_("the running period (default: month)"))  # fmt: skip
    team.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    team.add_argument("--tz", default=None, metavar="ZONE",
                      help=_("your time zone (default: this computer's)"))  # fmt: skip


def run(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.commands.ics import _zone
    from kpidesk.domain.vocabulary import PeriodKind
    from kpidesk.services.workspace import open_workspace

    tz = _zone(args.tz)
    workspace = open_workspace(path, tz, create=False)
    try:
        notice, signed_in = _refresh(workspace)
        coaching = workspace.coaching.view(PeriodKind(args.period))
        profile = workspace.profile()
    finally:
        workspace.close()
    if notice:
        print(notice, file=sys.stderr)
    if coaching is None:
        if signed_in and not (profile.teams or profile.teams_led):
            print(_("You are in no team on your team server: nobody sees your pipeline, and "
                    "there is no team page to show."), file=sys.stderr)  # fmt: skip
        else:
            print(_("No team view here yet: sign in to your team server (kpidesk login) and "
                    "sync."), file=sys.stderr)  # fmt: skip
        return EXIT_NOTHING
    if args.what_my_manager_sees:
        return _print_mine(coaching, args)
    return _print_team(coaching, args)


def _refresh(workspace: Any) -> tuple[str | None, bool]:
    """Fetch the team view when signed in: (the words of why not when it could not be,
    whether this laptop is signed in)."""
    from kpidesk.presentation.coaching import needs_server_text
    from kpidesk.presentation.sync import Audience
    from kpidesk.sync.coaching import CoachingLink
    from kpidesk.sync.credentials import CredentialStore
    from kpidesk.sync.errors import SyncProblemError
    from kpidesk.sync.session import SyncSession

    session = SyncSession(workspace.db, CredentialStore())
    if not session.status().signed_in:
        return None, False
    try:
        CoachingLink(session, workspace.db, workspace.tz).refresh()
        workspace.coaching.apply_agreed()
    except SyncProblemError as problem:
        words = needs_server_text(problem.kind, problem.message, Audience.CLI)
        return _("Shown as of the last sync. {problem}").format(problem=words), True
    return None, True


def _dump(value: Any) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(type(value)).dump_python(value, mode="json")


def _header(coaching: Any, args: argparse.Namespace) -> dict[str, Any]:
    return {
        "made_at": coaching.reply.made_at.isoformat(),
        "time_zone": coaching.reply.time_zone,
        "period_kind": args.period,
    }


def _print_mine(coaching: Any, args: argparse.Namespace) -> int:
    mine = coaching.mine
    if mine is None:
        print(_("You have no manager on the team server: nobody sees your pipeline."),
              file=sys.stderr)  # fmt: skip
        return EXIT_NOTHING
    if args.json:
        _write_json({**_header(coaching, args), "rep": _dump(mine)})
        return 0
    print(_("What your manager sees of you, {period} ({when}):").format(
        period=_period(mine), when=_when(coaching)))  # fmt: skip
    _print_rep(mine)
    return 0


def _print_team(coaching: Any, args: argparse.Namespace) -> int:
    teams = coaching.teams
    if not teams:
        raise UsageError(_("you lead no team: try --what-my-manager-sees"))
    page = teams[0]
    if args.team is not None:
        wanted = [t for t in teams if t.team_name.casefold() == args.team.strip().casefold()]
        if not wanted:
            names = ", ".join(t.team_name for t in teams)
            raise UsageError(
                _("no team named {name!r}; yours: {names}").format(name=args.team, names=names)
            )
        page = wanted[0]
    elif len(teams) > 1:
        print(_("You lead several teams; showing {team} (choose with --team).").format(
            team=page.team_name), file=sys.stderr)  # fmt: skip
    if args.json:
        _write_json({**_header(coaching, args), "team": _dump(page)})
        return 0
    period = _period(page.reps[0]) if page.reps else args.period
    print(_("Team {team}, {period} ({when}):").format(
        team=page.team_name, period=period, when=_when(coaching)))  # fmt: skip
    for rep in page.reps:  # by name: never ranked
        print()
        print(rep.rep_name)
        _print_rep(rep)
    return 0


def _print_rep(rep: Any) -> None:
    from kpidesk.presentation.coaching import CoachingWords

    words = CoachingWords()
    for line in words.lines(rep) + words.objective_lines(rep):
        detail = f"  ({line.detail})" if line.detail else ""
        print(f"  {line.label}: {line.value}{detail}")


def _period(rep: Any) -> str:
    """ "Month · 1–31 December 2026": the running period the numbers are of."""
    from datetime import timedelta

    from kpidesk.presentation import Formatter
    from kpidesk.presentation.periods import kind_label

    span = rep.period
    last = span.end_day - timedelta(days=1)
    return f"{kind_label(span.kind)} · {Formatter().day_range(span.first_day, last)}"


def _when(coaching: Any) -> str:
    from kpidesk.presentation import Formatter

    return Formatter().datetime(coaching.reply.made_at)


def _write_json(data: dict[str, Any]) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
