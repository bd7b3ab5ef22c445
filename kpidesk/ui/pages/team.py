"""Team: the manager's team page on pipeline quality, and the rep's "What my manager sees".

Both show the team view the server computed from what each rep shares (kept here by the last
sync, so the page works offline). A manager sees their reps by name, never ranked; a rep
sees exactly their own part of that page. Objective proposals are answered here.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.domain.changes import Changes, View
from kpidesk.domain.coaching import HotProspectLine, OpenOfferLine, RepQuality
from kpidesk.domain.vocabulary import PeriodKind
from kpidesk.presentation import _
from kpidesk.presentation.coaching import CoachingWords
from kpidesk.presentation.periods import kind_label
from kpidesk.protocol.coaching import COACHING_PERIOD_KINDS
from kpidesk.services.coaching import Coaching
from kpidesk.ui.context import UiContext
from kpidesk.ui.models.table import Column, RowSortFilterProxy, RowTableModel
from kpidesk.ui.pages.proposals_box import ProposalsBox
from kpidesk.ui.widgets.common import EmptyState, RecordTable, header_row
from kpidesk.ui.widgets.rep_quality import RepQualityView, hot_columns, offer_columns


class TeamMode(StrEnum):
    MY_TEAM = "my_team"
    MY_MANAGER = "my_manager"


def rep_columns(words: CoachingWords) -> list[Column[RepQuality]]:
    """One line per rep. No column can be sorted: the reps stay in name order, never ranked."""
    return [
        Column(lambda: _("Rep"), lambda r: r.rep_name, width_chars=16),
        Column(lambda: _("Open pipeline"), lambda r: words.money(r.pipeline_value_cents),
               align_right=True, width_chars=12),
        Column(lambda: _("Weighted"), lambda r: words.money(r.weighted_pipeline_cents),
               align_right=True, width_chars=11),
        Column(lambda: _("Coverage"), lambda r: words.coverage(r).value,
               align_right=True, width_chars=9,
               tooltip=lambda r: words.coverage(r).detail),
        Column(lambda: _("Next step planned"), lambda r: words.rate(r.next_step_planned),
               align_right=True, width_chars=14),
        Column(lambda: _("Hot"), lambda r: str(r.hot_prospects), align_right=True,
               width_chars=5),
        Column(lambda: _("Stale"), lambda r: str(r.stale_offers), align_right=True,
               width_chars=5),
        Column(lambda: _("Conversion"), lambda r: words.rate(r.conversion),
               align_right=True, width_chars=13,
               tooltip=lambda r: words.interval(r.conversion) or None),
        Column(lambda: _("Activities"), lambda r: words.lines(r)[-1].value, width_chars=24),
    ]  # fmt: skip


def _with_rep(columns: list[Column[Any]]) -> list[Column[tuple[RepQuality, Any]]]:
    """The same columns over (rep, line) pairs, with the rep first (the team-wide lists)."""

    def over_line(column: Column[Any]) -> Column[tuple[RepQuality, Any]]:
        sort = column.sort_key or column.text
        return Column(
            column.title,
            lambda pair, c=column: c.text(pair[1]),
            lambda pair, s=sort: s(pair[1]),
            column.align_right,
            None if column.foreground is None else (lambda pair, c=column: c.foreground(pair[1])),
            None if column.tooltip is None else (lambda pair, c=column: c.tooltip(pair[1])),
            column.width_chars,
        )

    rep = Column(lambda: _("Rep"), lambda pair: pair[0].rep_name, width_chars=14)
    return [rep, *(over_line(c) for c in columns)]


class TeamPage(QWidget):
    """Signals:
    sig_sync_requested: the user asked to bring the team view up to date now.
    sig_sharing_requested: the rep wants to change what they share (Settings > Sharing).
    sig_offer_requested / sig_account_requested: open a record of the lists (read-only when
        it is a colleague's).
    sig_one_on_one_requested: the 1:1 agenda PDF of a rep (their RepQuality).
    """

    sig_sync_requested = Signal()
    sig_sharing_requested = Signal()
    sig_offer_requested = Signal(str)
    sig_account_requested = Signal(str)
    sig_one_on_one_requested = Signal(object)

    def __init__(self, ctx: UiContext, answer: Callable[..., None]) -> None:
        super().__init__()
        self._ctx = ctx
        self._words = CoachingWords(ctx.fmt)
        self.coaching: Coaching | None = None
        self._loaded_once = False
        self.mode = QComboBox()
        self.mode.addItem(_("My team"), TeamMode.MY_TEAM.value)
        self.mode.addItem(_("What my manager sees"), TeamMode.MY_MANAGER.value)
        self.team = QComboBox()
        self.period = QComboBox()
        for kind in COACHING_PERIOD_KINDS:
            self.period.addItem(kind_label(kind), kind.value)
        update = QPushButton(_("Update now"))
        self.as_of = QLabel()
        self.as_of.setObjectName("hint")
        self.empty = EmptyState()
        self.manager = self._manager_view()
        self.mine = self._mine_view()
        self.proposals = ProposalsBox(ctx, answer)
        self._stack = QStackedWidget()
        for widget in (self.empty, self.manager, self.mine):
            self._stack.addWidget(widget)
        self.mode.hide()  # shown once the team view says both apply
        self.team.hide()  # shown for a manager of several teams
        controls = QHBoxLayout()
        for widget in (self.mode, self.team, self.period):
            controls.addWidget(widget)
        controls.addWidget(self.as_of, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header_row(_("Team"), update))
        layout.addLayout(controls)
        layout.addWidget(self._stack, 1)
        update.clicked.connect(self.sig_sync_requested.emit)
        self.mode.currentIndexChanged.connect(lambda _i: self._show())
        self.team.currentIndexChanged.connect(lambda _i: self._show())
        self.period.currentIndexChanged.connect(lambda _i: self.reload())
        ctx.events.sig_changed.connect(self._on_data_changed)

    # -- the two views -----------------------------------------------------------------------

    def _manager_view(self) -> QWidget:
        words = self._words
        self.reps_model: RowTableModel[RepQuality] = RowTableModel(rep_columns(words), self)
        self.reps = self._table(self.reps_model)
        self.rep_detail = RepQualityView(words)
        self.rep_title = QLabel()
        self.rep_title.setObjectName("sectionTitle")
        self.propose_button = QPushButton(_("Propose an objective…"))
        self.manager_agenda = QPushButton(_("1:1 agenda (PDF)…"))
        self.team_hot_model: RowTableModel[tuple[RepQuality, HotProspectLine]] = RowTableModel(
            _with_rep(hot_columns(words)), self
        )
        self.team_hot = self._table(self.team_hot_model)
        self.team_stale_model: RowTableModel[tuple[RepQuality, OpenOfferLine]] = RowTableModel(
            _with_rep(offer_columns(words)), self
        )
        self.team_stale = self._table(self.team_stale_model)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        rep_row = QHBoxLayout()
        rep_row.addWidget(self.rep_title, 1)
        rep_row.addWidget(self.propose_button)
        rep_row.addWidget(self.manager_agenda)
        detail_layout.addWidget(self.reps)
        detail_layout.addLayout(rep_row)
        detail_layout.addWidget(self.rep_detail, 1)
        self.manager_tabs = QTabWidget()
        self.manager_tabs.addTab(detail, _("Reps"))
        self.manager_tabs.addTab(self.team_hot, _("Team hot list"))
        self.manager_tabs.addTab(self.team_stale, _("Stale offers"))
        self.reps.sig_current_changed.connect(self._show_rep)
        self.rep_detail.sig_offer_requested.connect(self.sig_offer_requested.emit)
        self.rep_detail.sig_account_requested.connect(self.sig_account_requested.emit)
        self.team_hot.sig_row_activated.connect(
            lambda pair: self.sig_account_requested.emit(pair[1].account_id)
        )
        self.team_stale.sig_row_activated.connect(
            lambda pair: self.sig_offer_requested.emit(pair[1].offer_id)
        )
        self.manager_agenda.clicked.connect(
            lambda: self.sig_one_on_one_requested.emit(self.rep_detail.rep)
        )
        return self.manager_tabs

    def _mine_view(self) -> QWidget:
        view = QWidget()
        self.mine_intro = QLabel()
        self.mine_intro.setWordWrap(True)
        self.mine_detail = RepQualityView(self._words)
        sharing = QPushButton(_("What I share…"))
        self.mine_agenda = QPushButton(_("1:1 agenda (PDF)…"))
        row = QHBoxLayout()
        row.addWidget(self.mine_intro, 1)
        row.addWidget(sharing)
        row.addWidget(self.mine_agenda)
        seen = QWidget()
        seen_layout = QVBoxLayout(seen)
        seen_layout.addLayout(row)
        seen_layout.addWidget(self.mine_detail, 1)
        self.mine_tabs = QTabWidget()
        self.mine_tabs.addTab(seen, _("What my manager sees"))
        layout = QVBoxLayout(view)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mine_tabs)
        sharing.clicked.connect(self.sig_sharing_requested.emit)
        self.mine_agenda.clicked.connect(
            lambda: self.sig_one_on_one_requested.emit(self.mine_detail.rep)
        )
        self.mine_detail.sig_offer_requested.connect(self.sig_offer_requested.emit)
        self.mine_detail.sig_account_requested.connect(self.sig_account_requested.emit)
        return view

    def _table(self, model: RowTableModel) -> RecordTable:  # type: ignore[type-arg]
        proxy = RowSortFilterProxy(self)
        proxy.setSourceModel(model)
        return RecordTable(proxy, sortable=False)

    # -- loading -----------------------------------------------------------------------------

    def on_shown(self) -> None:
        if not self._loaded_once:
            self.reload()
        table = self.reps if self._stack.currentWidget() is self.manager else None
        if table is not None:
            table.setFocus()
            table.select_first()

    def selected_kind(self) -> PeriodKind:
        return PeriodKind(self.period.currentData())

    def reload(self) -> None:
        kind = self.selected_kind()
        coaching = self._ctx.workspace.coaching
        self._ctx.tasks.run(
            lambda: (coaching.view(kind), coaching.proposals(), self._ctx.workspace.profile()),
            self._on_loaded,
            key="team",
        )

    def _on_loaded(self, loaded: tuple[Any, Any, Any]) -> None:
        self._loaded_once = True
        self.coaching, proposals, profile = loaded
        self.proposals.show_proposals(proposals, profile.user_id)
        teams = self.coaching.teams if self.coaching else []
        current = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        for page in teams:
            self.team.addItem(page.team_name, page.team_id)
        index = self.team.findData(current)
        self.team.setCurrentIndex(index if index >= 0 else 0)
        self.team.blockSignals(False)
        self.team.setVisible(len(teams) > 1)
        has_team = bool(teams)
        has_mine = bool(self.coaching and self.coaching.mine)
        self.mode.setVisible(has_team and has_mine)
        if has_team and not has_mine:
            self.mode.setCurrentIndex(0)
        elif has_mine and not has_team:
            self.mode.setCurrentIndex(1)
        if self.coaching is not None:
            made = self.coaching.reply.made_at
            self.as_of.setText(
                _("From the team server, {when} (updated at each sync)").format(
                    when=self._ctx.fmt.datetime(made)
                )
            )
        else:
            self.as_of.setText("")
        self._show()

    def _show(self) -> None:
        coaching = self.coaching
        mode = TeamMode(self.mode.currentData())
        page = coaching.team(self.team.currentData()) if coaching else None
        if coaching is None or (page is None and coaching.mine is None):
            self._stack.setCurrentWidget(self.empty)
            self.empty.setText(
                _(
                    "<h3>No team view yet</h3><p>When you are in a team on your team server, "
                    "this page shows <b>exactly</b> what your manager sees of your pipeline: "
                    "its quality, never your call counts unless you share them.</p><p>A "
                    "manager sees here the pipeline quality of each rep of their team.</p>"
                    "<p>Sign in to your team server in Settings; the page fills at the next "
                    "sync.</p>"
                )
            )
            return
        if mode is TeamMode.MY_TEAM and page is not None:
            self._stack.setCurrentWidget(self.manager)
            self._place_proposals(self.manager_tabs)
            self.reps_model.set_rows(page.reps)
            self.team_hot_model.set_rows(page.hot_list())
            self.team_stale_model.set_rows(page.stale_offers())
            for table in (self.reps, self.team_hot, self.team_stale):
                table.resizeColumnsToContents()
            self._fit_reps(len(page.reps))
            self.manager_tabs.setTabText(1, _("Team hot list ({n})").format(n=len(page.hot_list())))
            self.manager_tabs.setTabText(
                2, _("Stale offers ({n})").format(n=len(page.stale_offers()))
            )
            self.reps.select_first()
            self._show_rep(self.reps.current_row())
        else:
            mine = coaching.mine
            self._stack.setCurrentWidget(self.mine)
            self._place_proposals(self.mine_tabs)
            self.mine_intro.setText(
                _(
                    "This is exactly what your manager sees of you for this period, as the "
                    "team server computed it. Your private notes never leave this laptop."
                )
            )
            self.mine_detail.show_rep(mine)

    def _fit_reps(self, count: int) -> None:
        """The reps table as tall as its rows (up to eight): the rep's detail gets the rest."""
        rows = min(max(count, 1), 8)
        height = self.reps.horizontalHeader().height() + 2 * self.reps.frameWidth()
        height += rows * self.reps.verticalHeader().defaultSectionSize()
        self.reps.setFixedHeight(height)

    def _place_proposals(self, tabs: QTabWidget) -> None:
        """One proposals box, in the tabs of the view on screen; its title says how many
        wait for this user's answer."""
        for other in (self.manager_tabs, self.mine_tabs):
            index = other.indexOf(self.proposals)
            if other is not tabs and index >= 0:
                other.removeTab(index)
        if tabs.indexOf(self.proposals) < 0:
            tabs.addTab(self.proposals, "")
        waiting = self.proposals.waiting_count()
        title = (
            _("Objective proposals ({n} to answer)").format(n=waiting)
            if waiting
            else _("Objective proposals")
        )
        tabs.setTabText(tabs.indexOf(self.proposals), title)

    def _show_rep(self, rep: RepQuality | None) -> None:
        self.rep_detail.show_rep(rep)
        self.rep_title.setText(rep.rep_name if rep else "")
        self.propose_button.setEnabled(rep is not None)
        self.manager_agenda.setEnabled(rep is not None)

    def _on_data_changed(self, changes: Changes) -> None:
        if self._loaded_once and changes.affects(View.TEAM):
            self.reload()

    def current_team_id(self) -> str | None:
        data = self.team.currentData()
        return str(data) if data else None
