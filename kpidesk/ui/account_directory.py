"""The accounts and open offers the rep picks from, loaded in the background and kept fresh.

Several places need the same list (the accounts page, the quick log's autocomplete, offer
forms); they share this one cache instead of each querying the database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from kpidesk.domain.changes import Changes, View
from kpidesk.domain.text import fold
from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.services.rows import AccountRow, OfferFilter, OfferRow
from kpidesk.services.workspace import Workspace
from kpidesk.ui.events import DataEvents
from kpidesk.ui.tasks import TaskRunner
from kpidesk.ui.widgets.account_picker import AccountChoices


@dataclass(frozen=True)
class DirectorySnapshot:
    """Built off the GUI thread; the lookups below are ready-made so that answering "which
    account is this" or "does another have this name" costs no scan of thousands of rows."""

    accounts: list[AccountRow]
    open_offers_by_account: dict[str, list[OfferRow]]
    by_id: dict[str, AccountRow] = field(init=False)
    names_folded: Counter[str] = field(init=False)  # how many accounts bear each folded name

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {a.id: a for a in self.accounts})
        object.__setattr__(self, "names_folded", Counter(fold(a.name) for a in self.accounts))

    def homonyms(self, name: str) -> int:
        """How many accounts are named ``name``, ignoring case and accents."""
        return self.names_folded[fold(name)]


class AccountDirectory(QObject):
    """Signals:
    sig_updated: a fresh snapshot of accounts and open offers is available.
    """

    sig_updated = Signal()

    def __init__(self, workspace: Workspace, tasks: TaskRunner, events: DataEvents) -> None:
        super().__init__()
        self._workspace = workspace
        self._tasks = tasks
        self.snapshot = DirectorySnapshot([], {})
        self.choices = AccountChoices(self)  # the completion model every account field shares
        self.loaded = False
        events.sig_changed.connect(self._on_events_changed)

    def refresh(self) -> None:
        self._tasks.run(self._load, self._on_loaded, key="account-directory")

    def account(self, account_id: str) -> AccountRow | None:
        return self.snapshot.by_id.get(account_id)

    def _load(self) -> DirectorySnapshot:
        accounts = self._workspace.accounts.list()
        offers = self._workspace.offers.list(OfferFilter(statuses=frozenset({OfferStatus.SENT})))
        by_account: dict[str, list[OfferRow]] = {}
        for offer in offers:
            by_account.setdefault(offer.account_id, []).append(offer)
        return DirectorySnapshot(accounts, by_account)

    def _on_loaded(self, snapshot: DirectorySnapshot) -> None:
        self.snapshot = snapshot
        self.choices.update(snapshot.accounts)
        self.loaded = True
        self.sig_updated.emit()

    def _on_events_changed(self, changes: Changes) -> None:
        if changes.affects(View.ACCOUNTS):
            self.refresh()
