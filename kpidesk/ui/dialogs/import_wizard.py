"""File > Import…: the team's spreadsheet into kpidesk in four pages.

1. the file (for a CSV file its encoding, delimiter and quoting as detected, changeable; for a
   workbook its sheet); 2. which column fills which field (changeable, and saved for the next
   file laid out the same way); 3. the preview: what is new, changed or unchanged, the first
   rows, and every refused row with its row number, column and reason; 4. the import, in one
   transaction, with a progress bar and Cancel (which leaves the database as it was).

Reading, previewing and writing run through the one background helper (``ui/tasks.py``): the
window never freezes. What the import changed is announced like any other write.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from kpidesk.domain.changes import Written
from kpidesk.domain.i18n import N_
from kpidesk.domain.import_columns import FIELDS, Kind
from kpidesk.domain.import_values import AMBIGUOUS, DAY_FIRST, MONTH_FIRST, text_of
from kpidesk.presentation import _, ngettext
from kpidesk.presentation.importing import column_text, counts_text, refusal_text, shown_value
from kpidesk.presentation.labels import message_text
from kpidesk.services.importing.errors import (
    ImportCancelledError,
    ImportFileError,
    RowsRefusedError,
)
from kpidesk.services.importing.mapping import ColumnMapping
from kpidesk.services.importing.plan import TABLES, ImportPlan
from kpidesk.services.importing.reading import ENCODINGS
from kpidesk.services.importing.service import ImportSource
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words

KIND_NAMES = {"account": N_("Accounts"), "contact": N_("Contacts"), "offer": N_("Offers"),
              "activity": N_("Activities")}  # fmt: skip
ROW_KINDS = {
    Kind.ACCOUNT: N_("Each row is an account."),
    Kind.CONTACT: N_("Each row is a contact (and the account it works for)."),
    Kind.OFFER: N_("Each row is an offer (and the account it was sent to)."),
    Kind.ACTIVITY: N_("Each row is a call, visit or e-mail (and its account)."),
}
DELIMITER_CHOICES = ((";", N_("Semicolon ( ; )")), (",", N_("Comma ( , )")),
                     ("\t", N_("Tab")), ("|", N_("Vertical bar ( | )")))  # fmt: skip
QUOTE_CHOICES = (('"', N_('Double quotes ( " )')), ("'", N_("Single quotes ( ' )")),
                 ("", N_("None")))  # fmt: skip
EXAMPLES = 3  # sample values shown beside each column


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ImportFileError):
        return refusal_text(exc.path.name, None, exc.column, exc.message)
    return plain_words(exc)


def _is_ambiguous_dates(exc: BaseException) -> bool:
    return isinstance(exc, ImportFileError) and exc.message.params.get("reason") == AMBIGUOUS


class _ProgressRelay(QObject):
    """Carries the import's progress from the worker thread to the progress bar."""

    sig_progress = Signal(int, int)  # (written so far, total)


class ImportWizard(QWizard):
    """Signals:
    sig_imported: the import was written (its :class:`Written`), after it was announced.
    """

    sig_imported = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.importer = ctx.workspace.importer
        self.path: Path | None = None
        self.source: ImportSource | None = None
        self.plan: ImportPlan | None = None
        self.setWindowTitle(_("Import a spreadsheet"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)  # its own Cancel
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.CommitButton, _("Import"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Close"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = ImportPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.import_page):
            self.addPage(page)
        self.resize(860, 600)

    def ask_path(self) -> Path | None:
        """Which file to import; tests replace this to skip the native dialog."""
        chosen, _chosen_filter = QFileDialog.getOpenFileName(
            self, _("Import a spreadsheet"), str(Path.home()),
            _("Spreadsheets (*.xlsx *.xlsm *.csv *.txt *.tsv);;All files (*)"),
        )  # fmt: skip
        return Path(chosen) if chosen else None

    def reject(self) -> None:
        if self.import_page.running:  # Cancel while writing: roll back, then close
            self.import_page.cancel()
            return
        super().reject()


# --- 1. the file ----------------------------------------------------------------------------


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._loading = False
        self.setTitle(_("Which file?"))
        self.setSubTitle(_("An Excel workbook (.xlsx) or a CSV file of accounts, contacts,"
                           " offers or calls and visits."))  # fmt: skip
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(_("No file chosen"))
        self.path_edit.setAccessibleName(_("The file to import"))
        self.browse = QPushButton(_("Choose a file…"))
        self.browse.clicked.connect(self._on_browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse)

        self.sheet = QComboBox()
        self.sheet_box = QGroupBox(_("Workbook"))
        sheet_form = QFormLayout(self.sheet_box)
        sheet_form.addRow(_("Sheet:"), self.sheet)
        self.encoding = QComboBox()
        for name in ENCODINGS:
            self.encoding.addItem(name, name)
        self.delimiter = QComboBox()
        for value, text in DELIMITER_CHOICES:
            self.delimiter.addItem(_(text), value)
        self.quoting = QComboBox()
        for value, text in QUOTE_CHOICES:
            self.quoting.addItem(_(text), value)
        self.csv_box = QGroupBox(_("How the CSV file is written (detected; change it if the"
                                   " columns look wrong)"))  # fmt: skip
        csv_form = QFormLayout(self.csv_box)
        csv_form.addRow(_("Encoding:"), self.encoding)
        csv_form.addRow(_("Delimiter:"), self.delimiter)
        csv_form.addRow(_("Quotes around cells:"), self.quoting)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addWidget(self.sheet_box)
        layout.addWidget(self.csv_box)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.sheet_box.hide()
        self.csv_box.hide()
        for combo in (self.sheet, self.encoding, self.delimiter, self.quoting):
            combo.activated.connect(lambda _index: self._reopen())

    def _on_browse(self) -> None:
        path = self._wizard.ask_path()
        if path is not None:
            self.open_file(path)

    def open_file(self, path: Path) -> None:
        """Read ``path`` with everything detected (what the rep picks with Choose a file…)."""
        self._wizard.path = path
        self.path_edit.setText(str(path))
        self._open({})

    def _reopen(self) -> None:
        source = self._wizard.source
        if self._wizard.path is None:
            return
        if source is not None and source.table.sheet is not None:
            self._open({"sheet": self.sheet.currentText() or None})
        else:
            self._open({"encoding": self.encoding.currentData(),
                        "delimiter": self.delimiter.currentData(),
                        "quotechar": self.quoting.currentData()})  # fmt: skip

    def _open(self, options: dict[str, Any]) -> None:
        path, importer = self._wizard.path, self._wizard.importer
        assert path is not None
        self._wizard.source = None
        self._loading = True
        self.status.setText(_("Reading {file}…").format(file=path.name))
        self.completeChanged.emit()
        self._wizard.ctx.tasks.run(
            lambda: importer.open(path, use_saved=True, **options),
            self._on_opened,
            self._on_failed,
            key="import-open",
        )

    def _on_opened(self, source: ImportSource) -> None:
        self._loading = False
        self._wizard.source = source
        table = source.table
        is_csv = table.sheet is None
        self.csv_box.setVisible(is_csv)
        self.sheet_box.setVisible(not is_csv)
        if is_csv:
            for combo, value in ((self.encoding, table.encoding),
                                 (self.delimiter, table.delimiter),
                                 (self.quoting, table.quotechar)):  # fmt: skip
                index = combo.findData(value)
                if index < 0 and combo is self.encoding:
                    combo.addItem(str(value), value)
                    index = combo.count() - 1
                combo.setCurrentIndex(index)
        else:
            self.sheet.clear()
            self.sheet.addItems(list(table.sheets))
            self.sheet.setCurrentText(table.sheet or "")
        rows = max(0, len(table.rows) - source.mapping.header_row)
        self.status.setText(
            ngettext("Column names found on row {header}; {n} row below them.",
                     "Column names found on row {header}; {n} rows below them.", rows
                     ).format(header=self._wizard.ctx.fmt.number(source.mapping.header_row),
                              n=self._wizard.ctx.fmt.number(rows))
        )  # fmt: skip
        self.completeChanged.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        self._wizard.source = None
        self.status.setText(_error_text(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self._loading and self._wizard.source is not None


# --- 2. the columns -------------------------------------------------------------------------


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(_("Which column fills which field?"))
        self.setSubTitle(_("kpidesk guessed from the column names; change any line."))
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [_("Column in the file"), _("Examples"), _("kpidesk field")]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.combos: list[QComboBox] = []
        self.kind_label = QLabel()
        self.kind_label.setWordWrap(True)
        self.saved_note = QLabel(_("This is the mapping you saved for files with these columns."))
        self.saved_note.setObjectName("hint")
        self.date_order = QComboBox()
        self.date_order.addItem(_("read from the file"), None)
        self.date_order.addItem(_("day first (31/12/2026)"), DAY_FIRST)
        self.date_order.addItem(_("month first (12/31/2026)"), MONTH_FIRST)
        self.save = QCheckBox(_("Save this mapping for next time"))
        self.problem = QLabel()
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(_("Dates such as 03/04/2026 are written:")))
        dates.addWidget(self.date_order)
        dates.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kind_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(dates)
        layout.addWidget(self.save)
        layout.addWidget(self.saved_note)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:
        source = self._wizard.source
        assert source is not None
        mapping = source.mapping
        data = source.table.rows[mapping.header_row :]
        self.table.setRowCount(len(mapping.headers))
        self.combos = []
        for index in range(len(mapping.headers)):
            name = QTableWidgetItem(mapping.column_name(index))
            examples = [text_of(row[index]) for row in data if index < len(row)]
            shown = [e for e in examples if e][:EXAMPLES]
            sample = QTableWidgetItem(" · ".join(s[:40] for s in shown))
            combo = QComboBox()
            combo.addItem(_("— not imported —"), None)
            for field in FIELDS:
                combo.addItem(_(field.label), field.key)
            combo.setCurrentIndex(max(0, combo.findData(mapping.columns.get(index))))
            combo.currentIndexChanged.connect(lambda _i: self._on_changed())
            self.table.setItem(index, 0, name)
            self.table.setItem(index, 1, sample)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self.date_order.setCurrentIndex(max(0, self.date_order.findData(mapping.date_order)))
        self.save.setChecked(source.saved)
        self.saved_note.setVisible(source.saved)
        self._on_changed()

    def set_field(self, column: int, key: str | None) -> None:
        """Map the file's column ``column`` to the field ``key`` (None: not imported)."""
        self.combos[column].setCurrentIndex(self.combos[column].findData(key))

    def set_date_order(self, order: str | None) -> None:
        self.date_order.setCurrentIndex(self.date_order.findData(order))

    def mapping(self) -> ColumnMapping:
        source = self._wizard.source
        assert source is not None
        base = source.mapping
        columns = {i: c.currentData() for i, c in enumerate(self.combos) if c.currentData()}
        return ColumnMapping(base.header_row, base.headers, columns,
                             self.date_order.currentData())  # fmt: skip

    def _doubled(self) -> str | None:
        seen: set[str] = set()
        for combo in self.combos:
            key = combo.currentData()
            if key in seen:
                return combo.currentText()
            if key:
                seen.add(key)
        return None

    def _on_changed(self) -> None:
        doubled = self._doubled()
        mapping = self.mapping()
        if doubled:
            self.problem.setText(_("Two columns fill “{field}”: keep one.").format(field=doubled))
        elif mapping.header_of("account") is None:
            self.problem.setText(_("No column fills “Account”: every row needs its account."))
        else:
            self.problem.setText("")
        self.kind_label.setText(_(ROW_KINDS[mapping.kind]))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.combos) and not self.problem.text()

    def validatePage(self) -> bool:
        wizard = self._wizard
        assert wizard.source is not None
        mapping = self.mapping()
        wizard.source = wizard.source.with_mapping(mapping)
        if self.save.isChecked():
            importer = wizard.importer
            wizard.ctx.tasks.run(lambda: importer.save_mapping(mapping), key="import-save")
        return True


# --- 3. the preview -------------------------------------------------------------------------


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._loading = False
        self.setTitle(_("What the import will do"))
        self.setSubTitle(_("Nothing is written until you press Import."))
        self.setCommitPage(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.dates_question = QWidget()
        question = QHBoxLayout(self.dates_question)
        question.setContentsMargins(0, 0, 0, 0)
        self.day_first = QPushButton(_("Day first (31/12)"))
        self.month_first = QPushButton(_("Month first (12/31)"))
        question.addWidget(self.day_first)
        question.addWidget(self.month_first)
        question.addStretch(1)
        self.day_first.clicked.connect(lambda: self._answer_dates(DAY_FIRST))
        self.month_first.clicked.connect(lambda: self._answer_dates(MONTH_FIRST))
        self.rows_title = QLabel(_("First rows, as kpidesk reads them:"))
        self.rows = QTableWidget(0, 0)
        self.refused_title = QLabel()
        self.refused_title.setObjectName("fieldError")
        self.refused_title.setWordWrap(True)
        self.refused = QTableWidget(0, 3)
        self.refused.setHorizontalHeaderLabels([_("Row"), _("Column"), _("Reason")])
        for table in (self.rows, self.refused):
            table.verticalHeader().hide()
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setWordWrap(False)
            # The stretch factors (see _show_refused) share the page's height, not the
            # tables' size hints, and each table keeps room for a few rows: a long refused
            # list squeezed the first rows to one and a half.
            table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
            table.setMinimumHeight(4 * table.verticalHeader().defaultSectionSize())
        self.refused.horizontalHeader().setStretchLastSection(True)
        self._layout = layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.dates_question)
        layout.addWidget(self.counts)
        layout.addWidget(self.rows_title)
        layout.addWidget(self.rows, 2)
        layout.addWidget(self.refused_title)
        layout.addWidget(self.refused, 1)

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        wizard = self._wizard
        source, importer = wizard.source, wizard.importer
        assert source is not None
        wizard.plan = None
        self._loading = True
        self.status.setText(_("Comparing the file with your records…"))
        for widget in (self.dates_question, self.counts, self.rows_title, self.rows,
                       self.refused_title, self.refused):  # fmt: skip
            widget.hide()
        self.completeChanged.emit()
        wizard.ctx.tasks.run(lambda: importer.preview(source), self._on_previewed,
                             self._on_failed, key="import-preview")  # fmt: skip

    def _answer_dates(self, order: str) -> None:
        wizard = self._wizard
        wizard.mapping_page.set_date_order(order)
        assert wizard.source is not None
        wizard.source = wizard.source.with_mapping(wizard.mapping_page.mapping())
        self.refresh()

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        if _is_ambiguous_dates(exc):
            assert isinstance(exc, ImportFileError)
            self.status.setText(
                _("In column “{column}”, every date reads both ways (03/04 is 3 April or"
                  " March 4). How does this file write its dates?").format(column=exc.column)
            )  # fmt: skip
            self.dates_question.show()
        else:
            self.status.setText(_error_text(exc) + " " + _("Go back to change the mapping."))
        self.completeChanged.emit()

    def _on_previewed(self, plan: ImportPlan) -> None:
        self._loading = False
        wizard, fmt = self._wizard, self._wizard.ctx.fmt
        wizard.plan = plan
        self.status.setText(
            ngettext("{n} row read.", "{n} rows read.", plan.rows).format(n=fmt.number(plan.rows))
        )
        lines = []
        for table in TABLES:
            counts = plan.counts(table)
            if counts.new or counts.changed or counts.unchanged:
                lines.append(
                    f"<b>{_(KIND_NAMES[table])}</b>: "
                    + counts_text(counts.new, counts.changed, counts.unchanged, fmt)
                )
        self.counts.setText("<br>".join(lines) or _("Nothing to import."))
        self.counts.show()
        self._show_rows(plan)
        self._show_refused(plan)
        self.completeChanged.emit()

    def _show_rows(self, plan: ImportPlan) -> None:
        source = self._wizard.source
        assert source is not None
        mapping, fmt = source.mapping, self._wizard.ctx.fmt
        mapped = sorted(mapping.columns.items())
        self.rows.clear()
        self.rows.setColumnCount(len(mapped) + 1)
        self.rows.setHorizontalHeaderLabels([_("Row")] + [mapping.column_name(i)
                                                          for i, _key in mapped])  # fmt: skip
        self.rows.setRowCount(len(plan.preview))
        for r, row in enumerate(plan.preview):
            self.rows.setItem(r, 0, QTableWidgetItem(fmt.number(row.number)))
            for c, (_index, key) in enumerate(mapped, start=1):
                text = shown_value(key, row.values.get(key), fmt) or ""
                self.rows.setItem(r, c, QTableWidgetItem(text[:80]))
        self.rows.resizeColumnsToContents()
        self.rows_title.setVisible(bool(plan.preview))
        self.rows.setVisible(bool(plan.preview))

    def _show_refused(self, plan: ImportPlan) -> None:
        fmt = self._wizard.ctx.fmt
        refused = plan.refusals
        self.refused.setRowCount(len(refused))
        for r, refusal in enumerate(refused):
            cells = (fmt.number(refusal.row), column_text(refusal.column, fmt) or "",
                     message_text(refusal.message, fmt))  # fmt: skip
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.refused.setItem(r, c, item)
        self.refused.resizeColumnToContents(0)
        self.refused.resizeColumnToContents(1)
        if refused:
            self.refused_title.setText(
                ngettext("{n} row cannot be imported, so nothing will be: correct it in the file"
                         " (or go back and change the mapping), then preview again.",
                         "{n} rows cannot be imported, so nothing will be: correct them in the"
                         " file (or go back and change the mapping), then preview again.",
                         len(refused)).format(n=fmt.number(len(refused)))
            )  # fmt: skip
        # The refused rows are what the rep must read: they get most of the height.
        self._layout.setStretchFactor(self.rows, 1 if refused else 2)
        self._layout.setStretchFactor(self.refused, 3 if refused else 1)
        self.refused_title.setVisible(bool(refused))
        self.refused.setVisible(bool(refused))

    def isComplete(self) -> bool:
        plan = self._wizard.plan
        return not self._loading and plan is not None and not plan.refusals and plan.writes > 0


# --- 4. the import --------------------------------------------------------------------------


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.running = False
        self._done = False
        self._cancel = threading.Event()
        self.relay = _ProgressRelay(self)
        self.relay.sig_progress.connect(self._on_progress)
        self.setTitle(_("Importing"))
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.cancel_button = QPushButton(_("Cancel the import"))
        self.cancel_button.clicked.connect(self.cancel)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        wizard = self._wizard
        source, plan, importer = wizard.source, wizard.plan, wizard.importer
        assert source is not None and plan is not None
        self.running, self._done = True, False
        self._cancel.clear()
        self.progress.setRange(0, max(1, plan.writes))
        self.progress.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.status.setText(_("Writing everything in one go: all of it, or nothing."))
        self.setTitle(_("Importing"))
        self.completeChanged.emit()
        relay, cancelled = self.relay, self._cancel.is_set

        def write() -> tuple[Written, ImportPlan]:
            return importer.run(source, preview=plan, cancelled=cancelled,
                                progress=relay.sig_progress.emit)  # fmt: skip

        wizard.ctx.tasks.run(write, self._on_written, self._on_failed, key="import-run")

    def cancel(self) -> None:
        """Stop the import: what was written so far is rolled back."""
        if self.running:
            self._cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText(_("Cancelling…"))

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)

    def _finish(self, title: str, text: str) -> None:
        self.running, self._done = False, True
        self.setTitle(title)
        self.cancel_button.hide()
        self.status.setText(text)
        self.completeChanged.emit()

    def _on_written(self, result: tuple[Written, ImportPlan]) -> None:
        written, plan = result
        wizard, fmt = self._wizard, self._wizard.ctx.fmt
        wizard.ctx.events.announce(written.changes)
        created = sum(plan.counts(t).new for t in TABLES)
        updated = sum(plan.counts(t).changed for t in TABLES)
        summary = summary_text(wizard.path.name if wizard.path else "", created, updated, fmt)
        self.progress.setValue(self.progress.maximum())
        lines = [summary]
        for table in TABLES:
            counts = plan.counts(table)
            if counts.new or counts.changed:
                lines.append(
                    f"<b>{_(KIND_NAMES[table])}</b>: "
                    + counts_text(counts.new, counts.changed, counts.unchanged, fmt)
                )
        self._finish(_("Import done"), "<br>".join(lines))
        wizard.ctx.notifier.notify(summary)
        wizard.sig_imported.emit(written)

    def _on_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportCancelledError):
            text = _("Import cancelled: nothing was changed.")
        elif isinstance(exc, RowsRefusedError):  # the records changed since the preview
            text = ngettext(
                "Nothing was imported: {n} row is refused now that your records have changed."
                " Go back to the preview.",
                "Nothing was imported: {n} rows are refused now that your records have"
                " changed. Go back to the preview.", len(exc.refusals),
            ).format(n=self._wizard.ctx.fmt.number(len(exc.refusals)))  # fmt: skip
        else:
            text = _("Nothing was imported: {reason}").format(reason=plain_words(exc))
        self.progress.setValue(0)
        self._finish(_("Nothing was imported"), text)

    def isComplete(self) -> bool:
        return self._done


def summary_text(file_name: str, created: int, updated: int, fmt: Any) -> str:
    """ "offres.xlsx imported: 11 records created, 2 updated." """
    made = ngettext("{n} record created", "{n} records created", created).format(
        n=fmt.number(created)
    )
    changed = ngettext("{n} updated", "{n} updated", updated).format(n=fmt.number(updated))
    return _("{file} imported: {created}, {updated}.").format(
        file=file_name, created=made, updated=changed
    )


def open_import_wizard(ctx: UiContext, parent: QWidget) -> ImportWizard:
    wizard = ImportWizard(ctx, parent)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.open()
    return wizard
