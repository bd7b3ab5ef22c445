"""``kpidesk import FILE``: the team's spreadsheet into kpidesk, headless.

It prints what the file holds (new, changed, unchanged per kind of record) and writes it in one
transaction; ``--dry-run`` only prints. When any row is refused, every refused row is listed with
its row number, column and reason, nothing is written, and the exit code is 2. ``--json`` prints::

    {"file", "sheet", "encoding", "delimiter", "header_row", "kind", "rows", "written": bool,
     "columns": {column name: field key},
     "counts": {"account"|"contact"|"offer"|"activity": {"new", "changed", "unchanged"}},
     "refused": [{"row", "column", "reason"}],
     "preview": [{"row", "values": {column name: value as text}}]}  (the first rows)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kpidesk.presentation import Formatter, _

EXIT_REFUSED = 2
_ORDERS = {"day-first": "day_first", "month-first": "month_first"}


def add_parser(commands: argparse._SubParsersAction, db_option: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "import",
        parents=[db_option],
        help=_("import your team's spreadsheet (.xlsx or .csv)"),
        description=_(
            "Import accounts, contacts, offers or activities from an Excel or CSV file. The same"
            " file imported again updates what changed and creates no duplicates. Nothing is"
            " written when a row is refused."
        ),
    )
    parser.add_argument("file", type=Path, metavar="FILE")
    parser.add_argument("--sheet", default=None, metavar="NAME", help=_("the sheet to read"))
    parser.add_argument(
        "--mapping", type=Path, default=None, metavar="FILE.json",
        help=_("which column fills which field (a file saved with --save-mapping)"),
    )  # fmt: skip
    parser.add_argument(
        "--save-mapping", type=Path, default=None, metavar="FILE.json",
        help=_("save the mapping used, to change it or use it again"),
    )  # fmt: skip
    parser.add_argument("--encoding", default=None, help=_("a CSV file's encoding, e.g. cp1252"))
    parser.add_argument(
        "--delimiter", default=None, choices=(",", ";", "tab", "|"),
        help=_("a CSV file's delimiter"),
    )  # fmt: skip
    parser.add_argument(
        "--date-order", default=None, choices=tuple(_ORDERS),
        help=_("how dates such as 03/04/2026 are written, when the file cannot tell"),
    )  # fmt: skip
    parser.add_argument(
        "--dry-run", action="store_true", help=_("show what would be imported; write nothing")
    )
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of text"))


def run(args: argparse.Namespace, path: Path) -> int:
    from kpidesk.presentation.importing import refusal_text
    from kpidesk.services.importing import mapping as mappings
    from kpidesk.services.importing.errors import ImportFileError, RowsRefusedError
    from kpidesk.services.workspace import open_workspace

    workspace = open_workspace(path, create=False)
    fmt = Formatter()
    try:
        importer = workspace.importer
        try:
            source = importer.open(
                args.file,
                sheet=args.sheet,
                encoding=args.encoding,
                delimiter="\t" if args.delimiter == "tab" else args.delimiter,
                mapping_file=args.mapping,
                date_order=_ORDERS.get(args.date_order or ""),
            )
            if args.save_mapping is not None:
                mappings.save(source.mapping, args.save_mapping)
            plan = importer.preview(source)
            written = False
            if not plan.refusals and not args.dry_run:
                _written, plan = importer.run(source, preview=plan)
                written = True
        except ImportFileError as exc:
            text = refusal_text(exc.path.name, None, exc.column, exc.message, fmt)
            if args.json:
                _print_json({"file": str(args.file), "written": False,
                             "error": text})  # fmt: skip
            else:
                print(f"kpidesk: {text}", file=sys.stderr)
            return EXIT_REFUSED
        except RowsRefusedError as exc:  # the database changed between preview and write
            plan.refusals = exc.refusals
            written = False
        report = _report(args.file, source, plan, written, fmt)
        if args.json:
            _print_json(report)
        else:
            _print_text(report, plan, args, fmt)
        return EXIT_REFUSED if plan.refusals else 0
    finally:
        workspace.close()


def _report(file: Path, source: Any, plan: Any, written: bool, fmt: Formatter) -> dict[str, Any]:
    from kpidesk.presentation.importing import column_text, shown_value
    from kpidesk.presentation.labels import message_text

    table, mapping = source.table, source.mapping
    return {
        "file": str(file),
        "sheet": table.sheet,
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "header_row": mapping.header_row,
        "kind": str(plan.kind),
        "rows": plan.rows,
        "written": written,
        "columns": {mapping.column_name(i): key for i, key in sorted(mapping.columns.items())},
        "counts": {
            name: vars(plan.counts(name)) for name in ("account", "contact", "offer", "activity")
        },
        "preview": [
            {
                "row": row.number,
                "values": {
                    mapping.column_name(i): shown_value(key, row.values.get(key), fmt)
                    for i, key in sorted(mapping.columns.items())
                },
            }
            for row in plan.preview
        ],
        "refused": [
            {
                "row": r.row,
                "column": column_text(r.column, fmt),
                "reason": message_text(r.message, fmt),
            }
            for r in plan.refusals
        ],
    }


def _print_json(report: dict[str, Any]) -> None:
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


_KIND_NAMES = {
    "account": lambda: _("Accounts"),
    "contact": lambda: _("Contacts"),
    "offer": lambda: _("Offers"),
    "activity": lambda: _("Activities"),
}


def _print_text(
    report: dict[str, Any], plan: Any, args: argparse.Namespace, fmt: Formatter
) -> None:
    from kpidesk.presentation.importing import counts_text, refusal_text

    name = args.file.name
    where = name if report["sheet"] is None else f"{name} [{report['sheet']}]"
    print(
        _("{file}: {rows} rows, column names on row {header}.").format(
            file=where, rows=fmt.number(report["rows"]), header=fmt.number(report["header_row"])
        )
    )
    for kind, counts in report["counts"].items():
        if any(counts.values()):
            print(f"  {_KIND_NAMES[kind]()}: " + counts_text(**counts, fmt=fmt))
    if report["preview"] and args.dry_run:
        print(_("First rows:"))
        for row in report["preview"][:5]:
            cells = "; ".join(f"{k}: {v}" for k, v in row["values"].items() if v is not None)
            print(f"  {fmt.number(row['row'])}: {cells}")
    if plan.refusals:
        print(_("Nothing was imported: fix these rows and import the file again."), file=sys.stderr)
        for refusal in plan.refusals:
            print("  " + refusal_text(name, refusal.row, refusal.column, refusal.message, fmt),
                  file=sys.stderr)  # fmt: skip
    elif report["written"]:
        print(_("Imported."))
    else:
        print(_("Nothing written (--dry-run)."))
