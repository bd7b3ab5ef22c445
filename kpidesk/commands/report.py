"""``kpidesk report --period quarter [--at DATE] -o FILE.pdf``: the review report as a PDF.

The content is built without Qt (``kpidesk.services.report``); the PDF needs Qt's writer, so
this command imports the renderer only when run and makes an offscreen QGuiApplication there.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from kpidesk.commands import PERIOD_CHOICES, UsageError
from kpidesk.presentation import _, ngettext


def add_parser(commands: Any, db_option: argparse.ArgumentParser, day: Any) -> None:
    report = commands.add_parser(
        "report",
        parents=[db_option],
        help=_("write your review report (indicators, charts, offers) as a PDF"),
    )
    report.add_argument("--period", choices=PERIOD_CHOICES, default="quarter",
                        help=_("the kind of period (default: quarter)"))  # fmt: skip
    report.add_argument("--at", type=day, default=None, metavar="DATE",
                        help=_("a day inside the period (default: today)"))  # fmt: skip
    report.add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                        help=_("the PDF file to write"))  # fmt: skip
    report.add_argument("--tz", default=None, metavar="ZONE",
                        help=_("your time zone (default: this computer's)"))  # fmt: skip


def run(args: argparse.Namespace, path: Path, render: Callable[[Any, Path], int]) -> int:
    """``render`` writes the PDF and returns its page count: Qt's, handed in by ``kpidesk.cli``
    (the one package that may reach the UI)."""
    from kpidesk.commands.ics import _zone
    from kpidesk.services.report import build_review
    from kpidesk.services.workspace import open_workspace

    tz = _zone(args.tz)
    if not args.output.parent.is_dir():
        raise UsageError(_("no folder {folder} to write into").format(folder=args.output.parent))
    workspace = open_workspace(path, tz, create=False)
    try:
        period = workspace.kpis.period(args.period, args.at or datetime.now(tz).date())
        review = build_review(workspace, period)
    finally:
        workspace.close()
    try:
        pages = render(review, args.output)
    except OSError as exc:
        raise UsageError(
            _("cannot write {path}: {reason}").format(path=args.output, reason=exc.strerror or exc)
        ) from None
    written = ngettext("{path}: {n} page.", "{path}: {n} pages.", pages)
    print(written.format(path=args.output, n=pages))
    return 0
