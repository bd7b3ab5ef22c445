"""Objective proposals between a manager and a rep, with their history and the answers
this user may give: the rep accepts, answers with another target or declines; the manager
accepts the rep's target, answers again or withdraws."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kpidesk.domain.coaching import ProposalAction, ProposalState
from kpidesk.presentation import _
from kpidesk.presentation.coaching import CoachingWords
from kpidesk.protocol.coaching import Proposal
from kpidesk.ui.context import UiContext
from kpidesk.ui.models.table import Column, RowSortFilterProxy, RowTableModel
from kpidesk.ui.widgets.common import RecordTable

# answer(proposal, action): the composition root asks for a target when the action needs one.
Answer = Callable[[Proposal, ProposalAction], None]


class ProposalsBox(QGroupBox):
    def __init__(self, ctx: UiContext, answer: Answer) -> None:
        super().__init__()
        self._words = CoachingWords(ctx.fmt)
        self._fmt = ctx.fmt
        self._answer = answer
        self._me = ""
        words = self._words
        columns: list[Column[Proposal]] = [
            Column(lambda: _("Objective"),
                   lambda p: words.proposal_summary(p.kpi_key, p.period_kind, p.target),
                   width_chars=30),
            Column(lambda: _("Between"), lambda p: f"{p.manager_name} · {p.rep_name}",
                   width_chars=18),
            Column(lambda: _("State"), lambda p: words.state(p.state), width_chars=24),
        ]  # fmt: skip
        self.model: RowTableModel[Proposal] = RowTableModel(columns, self)
        proxy = RowSortFilterProxy(self)
        proxy.setSourceModel(self.model)
        self.table = RecordTable(proxy, sortable=False)
        self.history = QLabel()
        self.history.setWordWrap(True)
        self.history.setObjectName("hint")
        self.empty = QLabel(
            _("None yet. An objective your manager proposes is yours only once you agree.")
        )
        self.empty.setObjectName("hint")
        self.accept_button = QPushButton(_("Accept"))
        self.counter_button = QPushButton(_("Answer with another target…"))
        self.decline_button = QPushButton(_("Decline"))
        self.withdraw_button = QPushButton(_("Withdraw"))
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.counter_button, self.decline_button,
                       self.withdraw_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.history)
        layout.addLayout(buttons)
        self.table.sig_current_changed.connect(self._on_current)
        for button, action in (
            (self.accept_button, ProposalAction.ACCEPT),
            (self.counter_button, ProposalAction.COUNTER),
            (self.decline_button, ProposalAction.DECLINE),
            (self.withdraw_button, ProposalAction.WITHDRAW),
        ):
            button.clicked.connect(lambda _=False, a=action: self._on_action(a))
        self._on_current(None)

    def show_proposals(self, proposals: Sequence[Proposal], me: str) -> None:
        self._me = me
        self.model.set_rows(proposals)
        self.empty.setVisible(not proposals)
        self.table.setVisible(bool(proposals))
        self.table.select_first()
        self._on_current(self.table.current_row())

    def waiting_count(self) -> int:
        return sum(1 for p in self.model.rows() if self._waiting_for_me(p))

    def _on_current(self, proposal: Proposal | None) -> None:
        mine_to_answer = proposal is not None and self._waiting_for_me(proposal)
        is_manager = proposal is not None and proposal.manager_id == self._me
        self.accept_button.setEnabled(mine_to_answer)
        self.counter_button.setEnabled(mine_to_answer)
        open_ = proposal is not None and proposal.state.is_open
        self.decline_button.setVisible(not is_manager)
        self.decline_button.setEnabled(open_ and not is_manager)
        self.withdraw_button.setVisible(is_manager)
        self.withdraw_button.setEnabled(open_ and is_manager)
        self.history.setText(self._history(proposal) if proposal else "")

    def _waiting_for_me(self, proposal: Proposal) -> bool:
        if proposal.state is ProposalState.WAITING_FOR_REP:
            return proposal.rep_id == self._me
        if proposal.state is ProposalState.WAITING_FOR_MANAGER:
            return proposal.manager_id == self._me
        return False

    def _history(self, proposal: Proposal) -> str:
        lines = []
        for event in proposal.history:
            line = _("{when}: {who} {did}").format(
                when=self._fmt.date(event.at), who=event.author_name,
                did=self._words.action(event.action),
            )  # fmt: skip
            if event.target is not None:
                line += " — " + self._words.proposal_summary(
                    proposal.kpi_key, proposal.period_kind, event.target
                )
            if event.note:
                line += " " + _("“{note}”").format(note=event.note)
            lines.append(line)
        return "<br>".join(_escape(line) for line in lines)

    def _on_action(self, action: ProposalAction) -> None:
        proposal = self.table.current_row()
        if proposal is not None:
            self._answer(proposal, action)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
