"""The manager as a coach, end to end: a real server (SQLite and PostgreSQL), two reps and
their manager on three laptop databases, syncing as they would.

The manager's team page shows each rep's pipeline quality and no activity count until a rep
opts in; the rep's "What my manager sees" is exactly the manager's part for them; an
objective proposed, countered and accepted becomes the rep's own; the 1:1 agenda is written;
a rep removed from the team leaves the manager's page at the next sync.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.cli import main as kpidesk_main
from kpidesk.domain.coaching import ProposalAction, ProposalState
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, PeriodKind, Temperature
from kpidesk.protocol.coaching import NewProposal, ProposalAnswer, SharingChoice
from kpidesk.server import directory
from kpidesk.server.tables import Team, User
from kpidesk.store.coaching import coaching_etag, read_coaching, retag_coaching
from kpidesk.sync.coaching import CoachingLink
from tests.server.conftest import PASSWORD, add_person
from tests.sync.helpers import SERVER_URL, laptop

NOW = datetime.now(UTC).replace(microsecond=0)
# Inside the running month, whatever today is: noon on the 1st at the earliest.
MONTH_START = NOW.replace(day=1, hour=12, minute=0, second=0)


def _this_month(days_ago: float) -> datetime:
    return max(NOW - timedelta(days=days_ago), MONTH_START)


def _sync(machine):
    """Sync as the app does: the records, then the team view and any agreed objective."""
    report = machine.sync()
    link = CoachingLink(machine.session, machine.db, machine.workspace.tz)
    link.refresh()
    if machine.workspace.coaching.apply_agreed():
        machine.sync()
    return report


def _write_pipeline(ws, *, amount: int, hot_name: str, visits: int):
    """An open offer sent 20 days ago on a hot prospect (stale: no activity since), a won
    and a lost offer this month, and ``visits`` visits done this month."""
    hot = ws.accounts.create({"name": hot_name, "status": AccountStatus.PROSPECT,
                              "temperature": Temperature.HOT,
                              "created_at": NOW - timedelta(days=90)}).id  # fmt: skip
    client = ws.accounts.create({"name": hot_name + " SA", "status": AccountStatus.CLIENT,
                                 "temperature": Temperature.WARM}).id  # fmt: skip
    open_offer = ws.offers.create({"account_id": hot, "amount_cents": amount,
                                   "status": OfferStatus.SENT,
                                   "sent_at": NOW - timedelta(days=20)}).id  # fmt: skip
    sent = {"account_id": client, "status": OfferStatus.SENT, "sent_at": _this_month(2)}
    won = ws.offers.create({**sent, "amount_cents": 300_000}).id
    ws.offers.decide(won, OfferStatus.WON, _this_month(1))
    lost = ws.offers.create({**sent, "amount_cents": 50_000}).id
    ws.offers.decide(lost, OfferStatus.LOST, _this_month(1))
    for _ in range(visits):
        ws.activities.create({"account_id": client, "kind": "visit", "done_at": _this_month(1),
                              "private_note": "the buyer is leaving in June"})  # fmt: skip
    return {"hot": hot, "open": open_offer, "won": won}


@pytest.fixture
def team(app, people, db, tmp_path, client):
    """North: the manager, "rep" and a second rep "rep2", each on their own laptop."""
    rep2 = add_person(db, "rep2", people.rep.role)
    with db.session(write=True) as session:
        directory.assign_member(session, session.get(Team, people.north_id),
                                session.get(User, rep2.id))  # fmt: skip
    machines = {
        name: laptop(app, tmp_path / f"{name}.sqlite") for name in ("rep", "rep2", "manager")
    }
    for name, machine in machines.items():
        machine.session.sign_in(SERVER_URL, name, PASSWORD)
    yield machines
    for machine in machines.values():
        machine.close()


def _manager_page(manager):
    coaching = manager.workspace.coaching.view(PeriodKind.MONTH)
    assert coaching is not None and len(coaching.teams) == 1
    return coaching.teams[0]


def _part(page, name):
    return next(rep for rep in page.reps if rep.rep_name == name)


def test_the_manager_coaches_on_pipeline_quality_and_sees_what_reps_share(
    team, db, people, tmp_path, capsys
):
    rep, rep2, manager = team["rep"], team["rep2"], team["manager"]
    mine = _write_pipeline(rep.workspace, amount=1_000_000, hot_name="Hôtel Rhône", visits=3)
    _write_pipeline(rep2.workspace, amount=400_000, hot_name="Garage Dupont", visits=2)
    for machine in (rep, rep2, manager):
        _sync(machine)

    # The manager's page: both reps, by name, with their pipeline quality by hand...
    page = _manager_page(manager)
    assert page.team_name == "North"
    assert [r.rep_name for r in page.reps] == ["rep", "rep2"]
    marie = _part(page, "rep")
    assert marie.pipeline_value_cents == 1_000_000
    assert marie.weighted_pipeline_cents == 600_000  # hot: 0.6
    assert marie.stale_offers == 1 and marie.hot_prospects == 1
    assert (marie.conversion.numerator, marie.conversion.denominator) == (1, 2)
    assert marie.revenue_cents == 300_000
    assert [o.offer_id for o in marie.open_offers] == [mine["open"]]
    assert _part(page, "rep2").pipeline_value_cents == 400_000
    # ...and no activity count: nobody shares them yet.
    assert [r.activity_counts for r in page.reps] == [None, None]

    # "What my manager sees" on the rep's laptop is the manager's part for them, field by
    # field (the two were computed at two instants: only that instant may differ).
    seen = rep.workspace.coaching.view(PeriodKind.MONTH).mine
    assert dataclasses.replace(seen, as_of=marie.as_of) == marie
    assert rep.workspace.coaching.view(PeriodKind.MONTH).teams == []  # a rep leads no team

    # The rep opts in: the change is on the server at once, and the manager sees the counts.
    link = CoachingLink(rep.session, rep.db, rep.workspace.tz)
    assert link.share(SharingChoice(activities=True)).activities is True
    _sync(manager)
    page = _manager_page(manager)
    counts = _part(page, "rep").activity_counts
    assert (counts.visits, counts.calls) == (3, 0)
    assert _part(page, "rep2").activity_counts is None  # rep2 did not opt in
    # Private notes never leave the laptop, whatever is shared.
    with rep.db.read() as conn:  # the rep's laptop holds the private notes...
        kept = conn.exec_driver_sql("SELECT count(*) FROM activity WHERE private_note IS NOT NULL")
        assert kept.scalar() == 3
    with manager.db.read() as conn:  # ...the manager's, who now pulls the activities, none
        rows = conn.exec_driver_sql("SELECT count(*), count(private_note) FROM activity").one()
    assert tuple(rows) == (3, 0)  # the rep's 3 visits; rep2 shares none
    manager_json = json.dumps(manager.workspace.coaching.reply().model_dump(mode="json"))
    assert "buyer is leaving" not in manager_json

    # kpidesk team prints the same numbers as the page.
    capsys.readouterr()
    assert kpidesk_main(["team", "--db", str(manager.db.path), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [r["rep_name"] for r in printed["team"]["reps"]] == ["rep", "rep2"]
    assert printed["team"]["reps"][0]["pipeline_value_cents"] == 1_000_000
    assert printed["team"]["reps"][0]["activity_counts"]["visits"] == 3
    assert kpidesk_main(["team", "--db", str(rep.db.path), "--what-my-manager-sees", "--json"]) == 0
    printed_mine = json.loads(capsys.readouterr().out)["rep"]
    assert printed_mine["pipeline_value_cents"] == 1_000_000
    assert printed_mine["conversion"]["numerator"] == 1


def test_an_objective_proposed_countered_and_accepted_becomes_the_reps_own(team, people):
    rep, manager = team["rep"], team["manager"]
    for machine in (rep, manager):
        _sync(machine)
    boss = CoachingLink(manager.session, manager.db, manager.workspace.tz)
    proposal = boss.propose(NewProposal(team_id=people.north_id, rep_id=people.rep.id,
                                        kpi_key="revenue", period_kind=PeriodKind.MONTH,
                                        target=2_000_000, note="Q4 push"))  # fmt: skip
    assert proposal.state is ProposalState.WAITING_FOR_REP
    assert rep.workspace.objectives.list() == []  # proposed is not agreed

    _sync(rep)
    waiting = rep.workspace.coaching.waiting_for_me()
    assert [p.id for p in waiting] == [proposal.id]
    me = CoachingLink(rep.session, rep.db, rep.workspace.tz)
    counter = ProposalAnswer(action=ProposalAction.COUNTER, target=1_500_000, note="on leave")
    answered = me.answer(proposal.id, counter)
    assert answered.state is ProposalState.WAITING_FOR_MANAGER
    assert rep.workspace.objectives.list() == []  # still not agreed

    _sync(manager)
    assert [p.id for p in manager.workspace.coaching.waiting_for_me()] == [proposal.id]
    agreed = boss.answer(proposal.id, ProposalAnswer(action=ProposalAction.ACCEPT))
    assert agreed.state is ProposalState.AGREED and agreed.target == 1_500_000

    _sync(rep)
    objectives = rep.workspace.objectives.list()
    assert [(o.kpi_key, o.period_kind, o.target) for o in objectives] == [
        ("revenue", PeriodKind.MONTH, 1_500_000)
    ]
    history = rep.workspace.coaching.proposals()[0].history
    assert [(e.action, e.target) for e in history] == [
        (ProposalAction.PROPOSE, 2_000_000),
        (ProposalAction.COUNTER, 1_500_000),
        (ProposalAction.ACCEPT, 1_500_000),  # the target agreed
    ]
    # Applied once: an objective the rep deletes afterwards is not brought back.
    rep.workspace.objectives.clear("revenue", PeriodKind.MONTH)
    _sync(rep)
    assert rep.workspace.objectives.list() == []
    # The agreed objective reached the server: the manager's page shows it with its pace.
    _sync(manager)
    assert _part(_manager_page(manager), "rep").objectives == ()


def test_a_rep_removed_from_the_team_leaves_the_managers_page(team, db, people):
    rep, manager = team["rep"], team["manager"]
    for machine in (rep, manager):
        _sync(machine)
    assert [r.rep_name for r in _manager_page(manager).reps] == ["rep", "rep2"]
    with db.session(write=True) as session:
        directory.remove_member(session, session.get(Team, people.north_id),
                                session.get(User, people.rep.id))  # fmt: skip
    _sync(manager)
    assert [r.rep_name for r in _manager_page(manager).reps] == ["rep2"]
    _sync(rep)
    assert rep.workspace.coaching.reply() is None  # in no team: no manager's view is kept


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_the_one_on_one_agenda_is_written_from_what_the_rep_shares(team, tmp_path, qapp):
    from kpidesk.services.one_on_one import build_agenda
    from kpidesk.ui.report.agenda_pdf import write_agenda_pdf

    rep, manager = team["rep"], team["manager"]
    _write_pipeline(rep.workspace, amount=1_000_000, hot_name="Hôtel Rhône", visits=3)
    for machine in (rep, manager):
        _sync(machine)
    part = _part(_manager_page(manager), "rep")
    reply = manager.workspace.coaching.reply()
    path = tmp_path / "agenda.pdf"
    pages = write_agenda_pdf(build_agenda(part, reply.proposals, reply.made_at), path)
    assert pages >= 1
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "1:1 agenda: rep" in text
    assert "Hôtel Rhône" in text and "stale" in text  # the stale offer worth discussing
    assert "€10,000" in text  # its amount, as the page shows it
    assert "not shared" in text  # activities: the rep has not opted in


def test_an_unchanged_view_is_a_304_and_the_laptop_keeps_the_tag_it_is_given(team):
    manager = team["manager"]
    _sync(manager)
    with manager.db.read() as conn:
        tag, kept = coaching_etag(conn), read_coaching(conn)
    assert tag is not None and kept is not None
    link = CoachingLink(manager.session, manager.db, manager.workspace.tz)
    assert link.refresh() is False  # a 304: nothing changed here
    # A tag past its bound (as after a night): the server computes, finds the same reply and
    # answers 304 with the tag of now, which the laptop keeps for its next request.
    content, fingerprint, _until = tag.strip('"').split(".")
    with manager.db.write() as conn:
        retag_coaching(conn, f'"{content}.{fingerprint}.0"')
    assert link.refresh() is False
    with manager.db.read() as conn:
        assert coaching_etag(conn) == tag
        assert read_coaching(conn) == kept
