"""``kpidesk export accounts|journal|pipeline|kpi [-o FILE] [--period ...]``: a list or a
period's indicators as .xlsx or .csv (chosen by the file's suffix; .xlsx by default), named
after what it holds and when when no file is given."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from kpidesk.commands import PERIOD_CHOICES, UsageError
from kpidesk.presentation import _

WHAT = ("accounts", "journal", "pipeline", "kpi")


def add_parser(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "export",
        parents=[db_option],
        help=_("export a list or your indicators to .xlsx or .csv"),
        description=_(
            "Write your accounts, journal, pipeline or a period's indicators to a spreadsheet"
            " (.xlsx, or .csv by the file's suffix), with the columns you see in the app."
        ),
    )
    parser.add_argument("what", choices=WHAT)
    parser.add_argument(
        "-o", "--output", type=Path, default=None, metavar="FILE",
        help=_("the file to write (default: kpidesk-WHAT-DATE.xlsx here)"),
    )  # fmt: skip
    parser.add_argument(
        "--period", choices=PERIOD_CHOICES, default="month", help=_("kpi: the kind of period")
    )
    parser.add_argument("--tz", default=None, metavar="ZONE", help=_("your time zone"))


def run(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.services.exporting import sheets
    from kpidesk.services.exporting.writers import write_csv, write_xlsx
    from kpidesk.services.local_zone import machine_zone, zone_named
    from kpidesk.services.workspace import open_workspace

    try:
        tz = zone_named(args.tz) if args.tz else machine_zone()
    except ValueError:
        raise UsageError(
            _("unknown time zone: {name!r} (use a name such as Europe/Paris)").format(name=args.tz)
        ) from None
    output = args.output
    if output is not None and output.suffix.lower() not in (".xlsx", ".csv"):
        raise UsageError(_("the file must end in .xlsx or .csv: {path}").format(path=output))
    workspace = open_workspace(path, tz, create=False)
    try:
        period_label = None
        if args.what == "kpi":
            period = workspace.kpis.period(args.period)
            sheet = sheets.kpi_sheet(workspace.kpis.compute(period))
            period_label = f"{args.period}-{period.first_day.isoformat()}"
        else:
            build = {"accounts": sheets.accounts_sheet, "journal": sheets.journal_sheet,
                     "pipeline": sheets.pipeline_sheet}[args.what]  # fmt: skip
            sheet = build(workspace)
        if output is None:
            output = Path(sheets.file_name(args.what, date.today(), ".xlsx", period_label))
        try:
            (write_csv if output.suffix.lower() == ".csv" else write_xlsx)(sheet, output, tz)
        except OSError as exc:
            raise UsageError(
                _("cannot write {path}: {reason}").format(path=output, reason=exc.strerror)
            ) from None
        print(_("Wrote {path} ({rows} rows).").format(path=output, rows=len(sheet.rows)))
        return 0
    finally:
        workspace.close()
