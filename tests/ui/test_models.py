"""The accounts model on its own: what each role answers for a cell, and a search that keeps
exactly the rows its rule accepts, whether it narrows the last query or starts again."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from babel import Locale
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from kpidesk.domain.text import fold
from kpidesk.domain.vocabulary import AccountStatus, Temperature
from kpidesk.presentation import Formatter
from kpidesk.services.rows import AccountRow
from kpidesk.ui.models.accounts import TEMPERATURE_COLORS, AccountsModel, account_columns
from kpidesk.ui.models.table import ROW_ROLE
from kpidesk.ui.theme import colour

R = Qt.ItemDataRole
LAST_CONTACT = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
COLUMNS = ["Account", "Owner", "Status", "Temperature", "City", "Last contact", "Open offers",
           "Open value"]  # fmt: skip


def _account(i: int, name: str, status: AccountStatus, temperature: Temperature,
             city: str | None, sector: str | None, offers: int = 0) -> AccountRow:  # fmt: skip
    return AccountRow(
        id=f"a{i}", name=name, status=status, temperature=temperature, city=city, sector=sector,
        last_contact_at=LAST_CONTACT - timedelta(days=i), open_offers=offers,
        open_amount_cents=offers * 125_000, owner_id="me",
    )  # fmt: skip


ROWS = [
    _account(0, "Boulangerie Dupré", AccountStatus.CLIENT, Temperature.HOT, "Lyon", "Food", 2),
    _account(1, "Garage Élan", AccountStatus.PROSPECT, Temperature.COLD, "Lyon", None),
    _account(2, "Hôtel du Lac", AccountStatus.PROSPECT, Temperature.WARM, "Annecy", "Hotels", 1),
    _account(3, "Lyonnaise des Eaux", AccountStatus.FORMER, Temperature.COLD, None, "Utilities"),
    _account(4, "Dupont Bâtiment", AccountStatus.SUSPECT, Temperature.WARM, "Villeurbanne", None),
]


@pytest.fixture
def model(qapp):
    model = AccountsModel(account_columns(Formatter(Locale("en", "GB"), UTC)))
    model.set_rows(ROWS)
    return model


def _cell(model: AccountsModel, row: int, title: str, role: int = R.DisplayRole):
    return model.data(model.index(row, COLUMNS.index(title)), role)


def test_the_columns_are_those_the_rep_reads(model):
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == COLUMNS


def test_each_role_a_column_answers_and_none_it_does_not(model):
    first = ROWS[0]
    assert _cell(model, 0, "Account") == "Boulangerie Dupré"
    assert _cell(model, 0, "City") == "Lyon"
    assert _cell(model, 0, "Open offers") == "2"
    assert _cell(model, 0, "Open value") == "€2,500"  # two offers of €1,250, in whole euros
    assert _cell(model, 1, "Open value") == ""  # no open offer: nothing, not €0
    assert _cell(model, 0, "Account", ROW_ROLE) is first
    assert _cell(model, 3, "Open offers", ROW_ROLE) is ROWS[3]

    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert int(_cell(model, 0, "Open value", R.TextAlignmentRole)) == right
    assert int(_cell(model, 0, "Open offers", R.TextAlignmentRole)) == right
    assert _cell(model, 0, "Account", R.TextAlignmentRole) is None

    brush = _cell(model, 0, "Temperature", R.ForegroundRole)
    assert isinstance(brush, QBrush)
    assert brush.color() == colour("hot_fg") == TEMPERATURE_COLORS[Temperature.HOT]
    assert _cell(model, 1, "Temperature", R.ForegroundRole).color() == colour("cold_fg")
    assert _cell(model, 0, "City", R.ForegroundRole) is None

    assert _cell(model, 0, "Last contact", R.ToolTipRole) == "20/11/2026, 09:30"  # en-GB
    assert _cell(model, 0, "City", R.ToolTipRole) is None
    assert _cell(model, 0, "Owner", R.ToolTipRole) is None  # the rep's own record

    for role in (R.DecorationRole, R.FontRole, R.BackgroundRole, R.CheckStateRole, R.EditRole):
        assert _cell(model, 0, "Account", role) is None, role
    assert model.data(model.index(99, 0)) is None  # an invalid index


def _shown(model: AccountsModel) -> list[str]:
    return [r.name for r in model.rows()]


def _expected(query: str, statuses: frozenset[AccountStatus] | None) -> list[str]:
    # The rule written out independently: every word of the query, folded, in the account's
    # name, city or sector, folded; and the status among those picked.
    words = fold(query).split()
    return [
        r.name
        for r in ROWS
        if (statuses is None or r.status in statuses)
        and all(w in fold(f"{r.name} {r.city or ''} {r.sector or ''}") for w in words)
    ]


@pytest.mark.parametrize(
    "statuses", [None, frozenset({AccountStatus.PROSPECT}), frozenset(AccountStatus)]
)
def test_typing_keeps_exactly_the_accounts_the_rule_accepts(model, statuses):
    model.set_statuses(statuses)
    # Typed letter by letter (each narrows the last), then edited back (each starts again).
    for query in ["l", "ly", "lyo", "lyon", "lyon ", "lyon d", "lyon du", "lyon", "", "DUP",
                  "dupre", "hotel", "é", "zz", "  "]:  # fmt: skip
        model.set_query(query)
        assert _shown(model) == _expected(query, statuses), query
        assert model.rowCount() == len(model.rows())


def test_a_search_matches_accents_and_case_either_way(model):
    model.set_query("HOTEL LAC")
    assert _shown(model) == ["Hôtel du Lac"]
    model.set_query("élan")
    assert _shown(model) == ["Garage Élan"]


def test_the_filter_never_shares_the_full_list(model):
    model.set_query("")
    assert _shown(model) == [r.name for r in ROWS]
    assert model.rows() is not model.all_rows()
    model.rows().clear()  # what a caller does with the shown rows leaves the full list alone
    assert len(model.all_rows()) == len(ROWS)


def test_any_combination_of_statuses_then_words(model):
    for size in range(len(AccountStatus) + 1):
        for picked in itertools.combinations(AccountStatus, size):
            statuses = frozenset(picked)
            model.set_statuses(statuses)
            for query in ("", "lyon", "dup"):
                model.set_query(query)
                assert _shown(model) == _expected(query, statuses), (picked, query)
