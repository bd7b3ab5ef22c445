"""The Team page on what the laptop keeps (offline): the empty state before any team view,
a manager of two teams choosing one, and reps listed by name whatever their numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from kpidesk.domain.changes import Changes, Kind
from kpidesk.domain.coaching import BookAccount, BookOffer, RepBook, TeamPage, rep_quality
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, PeriodKind, Temperature
from kpidesk.protocol.coaching import COACHING_PERIOD_KINDS, CoachingReply, PeriodView
from kpidesk.store.coaching import write_coaching

NOW = datetime.now(UTC)
PARIS = ZoneInfo("Europe/Paris")


def _rep(rep_id: str, name: str, amount: int):
    account = BookAccount("a-" + rep_id, "Client " + name, AccountStatus.PROSPECT, Temperature.HOT,
                          NOW - timedelta(days=30))  # fmt: skip
    offer = BookOffer("o-" + rep_id, account.id, "D-1", amount, "EUR", OfferStatus.SENT,
                      NOW - timedelta(days=3), None, None)  # fmt: skip
    book = RepBook(rep_id, name, False, (account,), (offer,))
    return lambda kind: rep_quality(book, period_containing(kind, NOW, PARIS), NOW)


def _keep(workspace, teams):
    views = [
        PeriodView(period_kind=kind,
                   teams=[TeamPage(tid, tname, tuple(r(kind) for r in reps))
                          for tid, tname, reps in teams],
                   mine=None)
        for kind in COACHING_PERIOD_KINDS
    ]  # fmt: skip
    reply = CoachingReply(made_at=NOW, time_zone="Europe/Paris", views=views, proposals=[])
    with workspace.db.write() as conn:
        write_coaching(conn, reply, '"tag"')


def test_before_any_team_view_the_page_says_what_it_will_show(desktop):
    desktop.window.show_page("team")
    page = desktop.team
    assert page._stack.currentWidget() is page.empty
    assert "exactly" in page.empty.text() and "Settings" in page.empty.text()


def test_a_manager_of_two_teams_chooses_one_and_reps_stay_in_name_order(desktop, workspace):
    # Zoé has the biggest pipeline and Alain the smallest: the list is still by name.
    _keep(workspace, [("t1", "Ouest", [_rep("r2", "Alain", 100), _rep("r1", "Zoé", 9_000_000)]),
                      ("t2", "Est", [_rep("r3", "Bruno", 500)])])  # fmt: skip
    desktop.ctx.events.announce(Changes.of([Kind.COACHING]))
    desktop.window.show_page("team")
    page = desktop.team
    assert page._stack.currentWidget() is page.manager
    assert page.team.isVisibleTo(page) and page.team.count() == 2
    assert [r.rep_name for r in page.reps_model.rows()] == ["Alain", "Zoé"]
    page.team.setCurrentIndex(1)
    assert [r.rep_name for r in page.reps_model.rows()] == ["Bruno"]
    assert not page.mode.isVisibleTo(page)  # no manager of their own: one view only
    page.period.setCurrentIndex(page.period.findData(PeriodKind.YEAR.value))
    assert page.coaching.view.period_kind is PeriodKind.YEAR
