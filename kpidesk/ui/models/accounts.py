"""The accounts list: one row per account, searchable as the rep types."""

from __future__ import annotations

from typing import Any

from kpidesk.domain.text import fold
from kpidesk.domain.vocabulary import AccountStatus, Temperature
from kpidesk.presentation import Formatter, _
from kpidesk.presentation.labels import label
from kpidesk.services.rows import AccountRow
from kpidesk.ui.models.filtered import FilteredRowTableModel
from kpidesk.ui.models.table import Column, owner_column
from kpidesk.ui.theme import ThemedColours

TEMPERATURE_COLORS = ThemedColours(
    {Temperature.HOT: "hot_fg", Temperature.WARM: "warm_fg", Temperature.COLD: "cold_fg"}
)
TEMPERATURE_ORDER = {Temperature.COLD: 0, Temperature.WARM: 1, Temperature.HOT: 2}


def account_columns(fmt: Formatter) -> list[Column[AccountRow]]:
    return [
        Column(lambda: _("Account"), lambda r: r.name, width_chars=24, stretch=True),
        owner_column(),
        Column(
            lambda: _("Status"),
            lambda r: label(r.status),
            lambda r: r.status.value,
            width_chars=12,
        ),
        Column(
            lambda: _("Temperature"),
            lambda r: label(r.temperature),
            lambda r: TEMPERATURE_ORDER[r.temperature],
            foreground=lambda r: TEMPERATURE_COLORS[r.temperature],
            width_chars=11,
        ),
        Column(lambda: _("City"), lambda r: r.city or "", width_chars=20),
        Column(
            lambda: _("Last contact"),
            lambda r: fmt.days_ago(r.last_contact_at),
            lambda r: r.last_contact_at,
            tooltip=lambda r: fmt.datetime(r.last_contact_at),
            width_chars=13,
        ),
        Column(
            lambda: _("Open offers"),
            lambda r: str(r.open_offers) if r.open_offers else "",
            lambda r: r.open_offers,
            align_right=True,
            width_chars=10,
        ),
        Column(
            lambda: _("Open value"),
            lambda r: fmt.money(r.open_amount_cents) if r.open_offers else "",
            lambda r: r.open_amount_cents,
            align_right=True,
        ),
    ]


class AccountsModel(FilteredRowTableModel[AccountRow]):
    """Filters its own rows as the rep types (see ``FilteredRowTableModel``), on a folded
    search key per row computed once per load."""

    def __init__(self, columns: Any, parent: Any = None) -> None:
        super().__init__(columns, parent)
        self.search_keys: dict[str, str] = {}
        self._query = ""
        self._words: list[str] = []
        self._statuses: frozenset[AccountStatus] | None = None

    def set_rows(self, rows: Any) -> None:
        self.search_keys = {
            r.id: fold(" ".join(filter(None, (r.name, r.city, r.sector)))) for r in rows
        }
        super().set_rows(rows)

    def set_query(self, text: str) -> None:
        query = fold(text.strip())
        if query == self._query:
            return
        # Typing on ("lyo" -> "lyon"): each word of the old query is in one of the new, so
        # no account the old query dropped can come back.
        narrower = query.startswith(self._query)
        self._query, self._words = query, query.split()
        self.refilter(narrower=narrower)

    def set_statuses(self, statuses: frozenset[AccountStatus] | None) -> None:
        self._statuses = statuses
        self.refilter()

    def accepts(self, row: AccountRow) -> bool:
        if self._statuses is not None and row.status not in self._statuses:
            return False
        key = self.search_keys.get(row.id, "")
        return all(word in key for word in self._words)

    def _kept(self, rows: list[AccountRow]) -> list[AccountRow]:
        # What ``accepts`` says, one pass per condition: a keystroke on 5,000 accounts costs
        # a tight comprehension per word instead of a method call per row.
        statuses, keys = self._statuses, self.search_keys
        if statuses is not None:
            rows = [r for r in rows if r.status in statuses]
        for word in self._words:
            rows = [r for r in rows if word in keys.get(r.id, "")]
        return rows if rows is not self._all else list(rows)
