"""An account field with instant, accent-insensitive autocomplete.

It never guesses: Tab or Enter takes the highlighted match (the first one unless the rep moved),
and a new prospect is made only when the rep picks the list's explicit last entry, "+ New
prospect “…”" — a near match or a typo never becomes a junk account.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QConcatenateTablesProxyModel, QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from kpidesk.domain.text import fold
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.labels import label
from kpidesk.services.rows import AccountRow

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
NEW_PROSPECT = "+new"  # the ID_ROLE of the list's "+ New prospect" entry
_CHOOSING_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter)


def account_caption(account: AccountRow) -> str:
    return f"{account.name} — {account.city}" if account.city else account.name


def account_details(account: AccountRow, last_contact: str) -> str:
    """What tells two accounts of the same name apart in the list: city, status, last contact."""
    return " · ".join(filter(None, (account.city, label(account.status), last_contact)))


class AccountChoices(QObject):
    """The accounts to pick from, as one completion model shared by every account field."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # One column even with no account: a picker lists these with its "+ New prospect"
        # entry after them (QConcatenateTablesProxyModel), which has as many columns as its
        # narrowest source: none on an empty database, and the rep's first prospect could
        # not be chosen.
        self.model = QStandardItemModel(0, 1, self)
        self.accounts: dict[str, AccountRow] = {}
        self._by_exact_name: dict[str, set[str]] = {}

    def update(self, accounts: Sequence[AccountRow]) -> None:
        self.accounts = {a.id: a for a in accounts}
        self._by_exact_name = {}
        items = []
        for account in accounts:
            caption = account_caption(account)
            for text in (account.name, caption):
                self._by_exact_name.setdefault(fold(text), set()).add(account.id)
            item = QStandardItem(caption)
            item.setToolTip(account_details(account, Formatter().days_ago(account.last_contact_at)))
            item.setData(fold(f"{account.name} {account.city or ''}"), FOLDED_ROLE)
            item.setData(account.id, ID_ROLE)
            items.append(item)
        self.model.setRowCount(0)  # not clear(): that drops the column too (see __init__)
        for item in items:
            self.model.appendRow(item)

    def exact_match(self, text: str) -> str:
        """The id of the one account named exactly ``text`` (any case or accents), else ""."""
        ids = self._by_exact_name.get(fold(text.strip()), set())
        return next(iter(ids)) if len(ids) == 1 else ""


class _FoldingCompleter(QCompleter):
    """Matches what the rep types against folded names: "heloise" finds "Héloïse"."""

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex) -> str:
        return str(index.data(Qt.ItemDataRole.DisplayRole))


class AccountPicker(QLineEdit):
    """Signals:
    sig_account_changed: the chosen account id, or "" when the text names no known account.
    sig_entry_taken: the rep took an entry of the list (an account or "+ New prospect"), by
        Enter, Tab or a click: a form can move on.
    """

    sig_account_changed = Signal(str)
    sig_entry_taken = Signal()

    def __init__(self, choices: AccountChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("Type 2 or 3 letters of the account…"))
        self.setClearButtonEnabled(True)
        self._choices = choices
        self._account_id = ""
        self._new_prospect = False  # the rep picked "+ New prospect" for the text typed
        # What the rep typed: moving through the list writes each highlighted entry into the
        # field, so at the "+ New prospect" entry the field reads "+ New prospect “…”".
        self._typed = ""
        # This field's own last entry, after the shared accounts: "+ New prospect “…”".
        self._new_entry = QStandardItemModel(self)
        self._new_entry.appendRow(QStandardItem())
        listed = QConcatenateTablesProxyModel(self)
        listed.addSourceModel(choices.model)
        listed.addSourceModel(self._new_entry)
        completer = _FoldingCompleter(listed, self)
        completer.setCompletionRole(FOLDED_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(8)
        self.setCompleter(completer)
        completer.activated[QModelIndex].connect(self._on_completer_activated)
        completer.popup().installEventFilter(self)
        self.textEdited.connect(self._on_text_edited)

    def account_id(self) -> str:
        return self._account_id

    def select_account(self, account_id: str) -> None:
        account = self._choices.accounts.get(account_id)
        if account is None:
            return
        self.setText(account_caption(account))
        self._set_account(account_id)

    def new_account_name(self) -> str:
        """The name of the new prospect the rep explicitly chose to create, else ""."""
        return self.text().strip() if self._new_prospect and not self._account_id else ""

    def typed_without_choosing(self) -> bool:
        """Text that names no account, and no "+ New prospect" chosen for it."""
        return bool(self.text().strip()) and not self._account_id and not self._new_prospect

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The completer's popup has the keys while it is open: Tab or Enter there takes the
        # highlighted entry (Qt would close the list and keep the raw text).
        choosing = (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _CHOOSING_KEYS
        )
        if choosing and self._take_highlighted():
            if event.key() == Qt.Key.Key_Tab:
                self.focusNextChild()
            return True  # Enter chose the account; it does not also save
        return super().eventFilter(watched, event)

    def _take_highlighted(self) -> bool:
        popup = self.completer().popup()
        if not popup.isVisible():
            return False
        index = popup.currentIndex()
        if not index.isValid():
            index = popup.model().index(0, 0)
        popup.hide()
        if not index.isValid():
            return False
        self._on_completer_activated(index)
        return True

    def _on_completer_activated(self, index: QModelIndex) -> None:
        if index.data(ID_ROLE) == NEW_PROSPECT:
            name = self._typed.strip()
            self._new_prospect = True
            self._set_account("")
            self.setText(name)
            self.sig_account_changed.emit("")  # the hint now names the prospect to create
            self.sig_entry_taken.emit()
            return
        self._new_prospect = False
        self._set_account(str(index.data(ID_ROLE)))
        self.setText(str(index.data(Qt.ItemDataRole.DisplayRole)))
        self.sig_entry_taken.emit()

    def _on_text_edited(self, text: str) -> None:
        self._typed = text
        self._new_prospect = False
        entry = self._new_entry.item(0)
        typed = text.strip()
        entry.setText(_("+ New prospect “{name}”").format(name=typed) if typed else "")
        entry.setData(fold(typed) if typed else "\x00", FOLDED_ROLE)  # always matches the text
        entry.setData(NEW_PROSPECT, ID_ROLE)
        # An exact, unambiguous name counts as choosing that account.
        self._set_account(self._choices.exact_match(text))

    def _set_account(self, account_id: str) -> None:
        if account_id != self._account_id:
            self._account_id = account_id
            self.sig_account_changed.emit(account_id)
