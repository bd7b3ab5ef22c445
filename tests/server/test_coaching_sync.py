"""The team view end to end: laptops syncing with a real server app on SQLite and PostgreSQL,
the team view fetched after the sync as the app does (``kpidesk.sync.coaching``): sharing's
default and its change seen on the manager's laptop, and an objective proposed, countered,
accepted and then the rep's objective on both sides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.vocabulary import OfferStatus, PeriodKind
from kpidesk.protocol.coaching import NewProposal, ProposalAnswer, SharingChoice
from kpidesk.sync.coaching import CoachingLink
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop


@pytest.fixture
def machines(app, people, tmp_path):
    found = {}
    for name in ("rep", "manager"):
        found[name] = laptop(app, tmp_path / f"{name}.sqlite")
        found[name].session.sign_in(SERVER_URL, name, PASSWORD)
    yield found
    for machine in found.values():
        machine.close()


def _after_sync(machine):
    """A sync, then the team view fetched, and agreed objectives applied (kpidesk sync)."""
    machine.sync()
    CoachingLink(machine.session, machine.db, machine.workspace.tz).refresh()
    if machine.workspace.coaching.apply_agreed():
        machine.sync()


def _managers_part(manager, rep_id):
    view = manager.workspace.coaching.view(PeriodKind.MONTH)
    assert view is not None
    (page,) = view.teams
    (part,) = [r for r in page.reps if r.rep_id == rep_id]
    return part


def test_sharing_defaults_and_its_change_reach_the_managers_laptop(machines, people):
    rep, manager = machines["rep"], machines["manager"]
    now = datetime.now(UTC)
    account = rep.workspace.accounts.create({"name": "Client du rep"}).id
    just_now = now - timedelta(minutes=1)  # this month, wherever the laptop is
    rep.workspace.offers.create({"account_id": account, "amount_cents": 90_000,
                                 "status": OfferStatus.SENT, "sent_at": just_now})  # fmt: skip
    rep.workspace.activities.create({"account_id": account, "kind": "visit",
                                     "done_at": just_now})  # fmt: skip
    _after_sync(rep)
    link = CoachingLink(rep.session, rep.db, rep.workspace.tz)
    assert link.sharing() == SharingChoice(activities=False)  # the default: pipeline only
    _after_sync(manager)
    part = _managers_part(manager, people.rep.id)
    assert part.pipeline_value_cents == 90_000
    assert part.activity_counts is None and part.shares_activities is False
    # The rep sees the same part in "What my manager sees".
    mine = rep.workspace.coaching.view(PeriodKind.MONTH).mine
    assert mine is not None and mine.pipeline_value_cents == 90_000 and mine.activity_counts is None

    assert link.share(SharingChoice(activities=True)) == SharingChoice(activities=True)
    _after_sync(manager)
    part = _managers_part(manager, people.rep.id)
    assert part.shares_activities is True
    assert (part.activity_counts.visits, part.activity_counts.calls) == (1, 0)

    link.share(SharingChoice(activities=False))
    _after_sync(manager)
    assert _managers_part(manager, people.rep.id).activity_counts is None


def test_an_objective_proposed_countered_and_accepted_becomes_the_reps(machines, people):
    rep, manager = machines["rep"], machines["manager"]
    _after_sync(rep)
    _after_sync(manager)
    managers_link = CoachingLink(manager.session, manager.db, manager.workspace.tz)
    reps_link = CoachingLink(rep.session, rep.db, rep.workspace.tz)
    made = managers_link.propose(NewProposal(team_id=people.north_id, rep_id=people.rep.id,
                                             kpi_key="revenue", period_kind=PeriodKind.MONTH,
                                             target=2_000_000, note="Comme en mars ?"))  # fmt: skip
    _after_sync(rep)
    assert [p.id for p in rep.workspace.coaching.waiting_for_me()] == [made.id]
    reps_link.answer(made.id, ProposalAnswer(action="counter", target=1_500_000, note="Plutôt"))
    _after_sync(manager)
    assert [p.id for p in manager.workspace.coaching.waiting_for_me()] == [made.id]
    agreed = managers_link.answer(made.id, ProposalAnswer(action="accept"))
    assert (agreed.state.value, agreed.target) == ("agreed", 1_500_000)
    _after_sync(rep)  # the agreed objective becomes the rep's, and is synced
    _after_sync(manager)
    objectives = _managers_part(manager, people.rep.id).objectives
    assert [(o.kpi_key, o.target) for o in objectives] == [("revenue", 1_500_000)]
    assert _managers_part(manager, people.rep.id).revenue_objective_cents == 1_500_000
    history = [(e.author_name, e.action.value, e.target) for e in agreed.history]
    assert history == [("manager", "propose", 2_000_000), ("rep", "counter", 1_500_000),
                       ("manager", "accept", 1_500_000)]  # fmt: skip
