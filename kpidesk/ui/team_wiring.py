"""The team view's wiring: the Team page and Settings > Sharing over the team server link.

Proposals, answers and sharing go to the server at once on a worker thread (they change what
someone else sees: never queued), then the team view is fetched again and an agreed
objective is written here as the rep's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from kpidesk.domain.changes import NOTHING, Changes
from kpidesk.domain.coaching import ProposalAction, RepQuality
from kpidesk.presentation import _, ngettext
from kpidesk.presentation.coaching import CoachingWords, needs_server_text
from kpidesk.protocol.coaching import NewProposal, Proposal, ProposalAnswer
from kpidesk.services.coaching import COACHING_CHANGED
from kpidesk.services.workspace import Workspace
from kpidesk.sync.coaching import CoachingLink
from kpidesk.sync.errors import SyncProblemError
from kpidesk.ui.context import UiContext
from kpidesk.ui.errors import plain_words

# Imported where used: httpx with the first sync; the Team page, Settings > Sharing, the
# target dialog and the 1:1 agenda with the page (built on its first visit, not at start-up).
if TYPE_CHECKING:
    from kpidesk.presentation.kpis import KpiDisplay
    from kpidesk.sync.transport import ServerConnection
    from kpidesk.ui.pages.sharing_box import SharingBox
    from kpidesk.ui.pages.team import TeamPage


def after_sync(link: CoachingLink, workspace: Workspace, connection: ServerConnection) -> Changes:
    """After each sync: the team view, then any objective agreed since."""
    fetched = COACHING_CHANGED if link.refresh(connection) else NOTHING
    return fetched | workspace.coaching.apply_agreed()


@dataclass
class TeamWiring:
    ctx: UiContext
    link: CoachingLink
    parent: QWidget
    page: TeamPage | None = None
    sharing: SharingBox | None = None
    last_dialog: QDialog | None = None  # tests answer it

    def build(self) -> tuple[TeamPage, SharingBox]:
        from kpidesk.ui.pages.sharing_box import SharingBox
        from kpidesk.ui.pages.team import TeamPage

        self.page = TeamPage(self.ctx, self.answer)
        self.page.propose_button.clicked.connect(self.propose)
        self.page.sig_one_on_one_requested.connect(self.write_agenda)
        self.sharing = SharingBox(self.ctx, self.link.sharing, self.link.share)
        return self.page, self.sharing

    # -- proposals -----------------------------------------------------------------------------

    def _display(self) -> KpiDisplay:
        from kpidesk.presentation.kpis import KpiDisplay

        return KpiDisplay(self.ctx.fmt)

    def propose(self) -> None:
        from kpidesk.ui.dialogs.proposal import TargetDialog

        assert self.page is not None
        rep = self.page.rep_detail.rep
        team_id = self.page.current_team_id()
        if rep is None or team_id is None:
            return
        dialog = TargetDialog(
            _("Propose an objective to {rep}").format(rep=rep.rep_name),
            _(
                "{rep} sees your proposal at their next sync and accepts it or answers with "
                "another target. It becomes their objective only once you both agree."
            ).format(rep=rep.rep_name),
            self._display(),
            self.parent,
        )
        dialog.kind.setCurrentIndex(max(0, dialog.kind.findData(self.page.selected_kind().value)))

        def send() -> None:
            proposal = NewProposal(
                team_id=team_id, rep_id=rep.rep_id, kpi_key=dialog.kpi_key(),
                period_kind=dialog.period_kind(), target=dialog.engine_target(),
                note=dialog.note.text().strip(),
            )  # fmt: skip
            self._send(lambda: self.link.propose(proposal), _("Proposal sent to {rep}.").format(
                rep=rep.rep_name))  # fmt: skip

        dialog.accepted.connect(send)
        self._open(dialog)

    def answer(self, proposal: Proposal, action: ProposalAction) -> None:
        from kpidesk.ui.dialogs.proposal import TargetDialog

        words = CoachingWords(self.ctx.fmt)
        summary = words.proposal_summary(proposal.kpi_key, proposal.period_kind, proposal.target)
        if action is ProposalAction.COUNTER:
            dialog = TargetDialog(
                _("Answer with another target"),
                _("Proposed: {summary}. Your target goes back for an answer.").format(
                    summary=summary
                ),
                self._display(),
                self.parent,
                fixed=(proposal.kpi_key, proposal.period_kind, proposal.target),
            )

            def send_counter() -> None:
                reply = ProposalAnswer(action=action, target=dialog.engine_target(),
                                       note=dialog.note.text().strip())  # fmt: skip
                self._send(lambda: self.link.answer(proposal.id, reply), _("Answer sent."))

            dialog.accepted.connect(send_counter)
            self._open(dialog)
            return
        done = {
            ProposalAction.ACCEPT: _("Agreed: {summary}."),
            ProposalAction.DECLINE: _("Proposal declined: {summary}."),
            ProposalAction.WITHDRAW: _("Proposal withdrawn: {summary}."),
        }[action].format(summary=summary)
        self._send(lambda: self.link.answer(proposal.id, ProposalAnswer(action=action)), done)

    def _send(self, request: Callable[[], object], done: str) -> None:
        coaching = self.ctx.workspace.coaching

        def run() -> Changes:
            request()
            return COACHING_CHANGED | coaching.apply_agreed()

        def sent(changes: Changes) -> None:
            self.ctx.events.announce(changes)
            self.ctx.notifier.notify(done)

        def failed(error: BaseException) -> None:
            if isinstance(error, SyncProblemError):
                self.ctx.notifier.error(needs_server_text(error.kind, error.message))
            else:
                self.ctx.notifier.error(plain_words(error))

        self.ctx.tasks.run(run, sent, failed, key="coaching-send")

    def _open(self, dialog: QDialog) -> None:
        self.last_dialog = dialog
        dialog.open()

    # -- the 1:1 agenda --------------------------------------------------------------------------

    def ask_agenda_path(self, rep: RepQuality) -> Path | None:
        """Where to save the agenda; tests replace this to skip the native dialog."""
        name = "kpidesk-1-1-" + "".join(c if c.isalnum() else "-" for c in rep.rep_name) + ".pdf"
        chosen, _filter = QFileDialog.getSaveFileName(
            self.parent, _("1:1 agenda (PDF)"), str(Path.home() / name), _("PDF files (*.pdf)")
        )
        return Path(chosen) if chosen else None

    def write_agenda(self, rep: RepQuality | None) -> None:
        if rep is None:
            return
        path = self.ask_agenda_path(rep)
        if path is None:
            return
        from kpidesk.services.one_on_one import build_agenda
        from kpidesk.ui.report.agenda_pdf import write_agenda_pdf  # the PDF writer, when asked

        coaching, fmt = self.ctx.workspace.coaching, self.ctx.fmt

        def build_and_write() -> int:
            reply = coaching.reply()
            made_at = reply.made_at if reply else rep.as_of
            return write_agenda_pdf(build_agenda(rep, coaching.proposals(), made_at), path, fmt)

        def written(pages: int) -> None:
            self.ctx.notifier.notify(
                ngettext("1:1 agenda saved to {path} ({n} page).",
                         "1:1 agenda saved to {path} ({n} pages).", pages
                         ).format(path=path, n=pages)
            )  # fmt: skip

        def failed(exc: BaseException) -> None:
            self.ctx.notifier.error(
                _("Could not save {path}: {reason}").format(path=path, reason=plain_words(exc))
            )

        self.ctx.tasks.run(build_and_write, written, failed, key="agenda")
