"""An account field with instant, accent-insensitive autocomplete; unknown names become a new
prospect."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from kpidesk.domain.text import fold
from kpidesk.presentation import _
from kpidesk.services.rows import AccountRow

FOLDED_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2


def account_caption(account: AccountRow) -> str:
    return f"{account.name} — {account.city}" if account.city else account.name


class AccountChoices(QObject):
    """The accounts to pick from, as one completion model shared by every account field."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
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
            item.setData(fold(f"{account.name} {account.city or ''}"), FOLDED_ROLE)
            item.setData(account.id, ID_ROLE)
            items.append(item)
        self.model.clear()
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
    """

    sig_account_changed = Signal(str)

    def __init__(self, choices: AccountChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(_("Type 2 or 3 letters of the account…"))
        self.setClearButtonEnabled(True)
        self._choices = choices
        self._account_id = ""
        completer = _FoldingCompleter(choices.model, self)
        completer.setCompletionRole(FOLDED_ROLE)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(8)
        self.setCompleter(completer)
        completer.activated[QModelIndex].connect(self._on_completer_activated)
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
        """The name typed when it matches no known account (a new prospect), else ""."""
        return "" if self._account_id else self.text().strip()

    def _on_completer_activated(self, index: QModelIndex) -> None:
        self._set_account(str(index.data(ID_ROLE)))

    def _on_text_edited(self, text: str) -> None:
        # An exact, unambiguous name counts as choosing that account.
        self._set_account(self._choices.exact_match(text))

    def _set_account(self, account_id: str) -> None:
        if account_id != self._account_id:
            self._account_id = account_id
            self.sig_account_changed.emit(account_id)
