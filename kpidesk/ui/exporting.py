"""The "Export…" button of every list and of the indicators: a list (or a period's indicators)
to .xlsx or .csv through ``kpidesk.services.exporting``, named after what it holds and when."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QPushButton, QWidget

from kpidesk.presentation import _
from kpidesk.services.exporting.sheets import file_name
from kpidesk.services.exporting.writers import Sheet, write_csv, write_xlsx
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words


class Exporter:
    """Asks where to save, then builds and writes the sheet off the GUI thread.

    ``what`` names the file ("accounts", "pipeline", "kpi"...). ``prepare`` runs on the GUI
    thread when the rep clicks and returns the function that builds the sheet on a worker
    thread (so what the page shows, such as its period, is read where it lives); ``period``
    is put in the name of an export of indicators."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget,
        what: str,
        prepare: Callable[[], Callable[[], Sheet]],
        period: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._ctx, self._parent, self.what = ctx, parent, what
        self._prepare, self._period = prepare, period
        self.last_path: Path | None = None  # the file written last (tests read it)

    def suggested_name(self) -> str:
        return file_name(self.what, date.today(), ".xlsx", self._period())

    def ask_path(self, suggested: str) -> Path | None:
        """Where to write; tests replace this to skip the native dialog."""
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            self._parent, _("Export"), str(Path.home() / suggested),
            _("Excel workbook (*.xlsx);;CSV file (*.csv)"),
        )  # fmt: skip
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            path = path.with_suffix(".csv" if "csv" in chosen_filter.lower() else ".xlsx")
        return path

    def run(self) -> None:
        build, tz = self._prepare(), self._ctx.workspace.tz
        path = self.ask_path(self.suggested_name())
        if path is None:
            return
        write = write_csv if path.suffix.lower() == ".csv" else write_xlsx

        def build_and_write() -> int:  # off the GUI thread: the queries and the file
            sheet = build()
            write(sheet, path, tz)
            return len(sheet.rows)

        def written(rows: int) -> None:
            self.last_path = path
            self._ctx.notifier.notify(
                _("Exported {n} rows to {path}.").format(n=self._ctx.fmt.number(rows), path=path)
            )

        def failed(exc: BaseException) -> None:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else plain_words(exc)
            self._ctx.notifier.error(
                _("Could not export to {path}: {reason}").format(path=path, reason=reason)
            )

        self._ctx.tasks.run(build_and_write, written, failed, key=f"export-{self.what}")


def export_button(exporter: Exporter) -> QPushButton:
    button = QPushButton(_("Export…"))
    button.setToolTip(_("Save this list as an Excel (.xlsx) or CSV file"))
    button.clicked.connect(exporter.run)
    return button
