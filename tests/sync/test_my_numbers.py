"""My numbers are mine: after real syncs that bring colleagues' records onto a laptop, every
indicator, suggestion, the Today view and `kpidesk kpi --json` count the signed-in user's own
records only, on a rep's laptop and on a manager's (SQLite and PostgreSQL servers).

Each report is checked two ways: against figures worked out by hand from what the test wrote,
and against the same report computed before the colleagues' records arrived.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.cli import main as kpidesk_main
from kpidesk.domain.changes import Kind
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, PeriodKind, Temperature
from kpidesk.services.today import today_view
from kpidesk.store.errors import NotYoursError
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows

NOW = datetime.now(UTC).replace(microsecond=0)
EARLIER = NOW - timedelta(hours=3)  # inside the running month unless the month just began
TOMORROW = NOW + timedelta(days=1)


def _in_month(instant: datetime) -> datetime:
    # Keep every dated fact inside the running month (and its week), whatever today is.
    month_start = NOW.replace(day=1, hour=0, minute=0, second=0)
    return max(instant, month_start + timedelta(hours=12)) if instant < NOW else instant


def _write_own_work(ws, *, won_cents, visits, hot_name):
    """An account won, one lost, a hot prospect gone quiet, and visits; returns the ids."""
    client = ws.accounts.create({"name": f"{hot_name} client"}).id
    sent = {"account_id": client, "status": OfferStatus.SENT, "sent_at": _in_month(EARLIER)}
    won = ws.offers.create({**sent, "amount_cents": won_cents}).id
    ws.offers.decide(won, OfferStatus.WON, _in_month(EARLIER + timedelta(minutes=5)))
    lost = ws.offers.create({**sent, "amount_cents": 10_000}).id
    ws.offers.decide(lost, OfferStatus.LOST, _in_month(EARLIER + timedelta(minutes=6)))
    hot = ws.accounts.create({"name": hot_name, "status": AccountStatus.PROSPECT,
                              "temperature": Temperature.HOT,
                              "created_at": NOW - timedelta(days=60)}).id  # fmt: skip
    for _ in range(visits):
        ws.activities.create({"account_id": client, "kind": "visit",
                              "done_at": _in_month(EARLIER)})  # fmt: skip
    planned = ws.activities.plan(client, TOMORROW.replace(hour=8)).id
    return {"client": client, "won": won, "lost": lost, "hot": hot, "planned": planned}


def _snapshot(ws):
    """What the rep is shown: every indicator of the month (value and records counted),
    the suggestions and the Today lists."""
    period = ws.kpis.period(PeriodKind.MONTH)
    report = ws.kpis.compute(period)
    values = {key: (r.current.value, r.current.ids) for key, r in report.results.items()}
    suggestions = sorted((s.rule, s.subject_key) for s in ws.suggestions.today())
    view = today_view(ws, NOW.replace(hour=23, minute=59) + timedelta(minutes=1))
    today = {
        "due": [a.id for a in view.due],
        "upcoming": [a.id for a in view.upcoming],
        "hot": [(h.account_id, h.offer.id if h.offer else None) for h in view.hot],
    }
    return values, suggestions, today


def _kpi_json(path, capsys):
    capsys.readouterr()
    assert kpidesk_main(["kpi", "--db", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def colleagues(app, people, tmp_path, client):
    machines = {name: laptop(app, tmp_path / f"{name}.sqlite")
                for name in ("rep", "manager", "other-rep")}  # fmt: skip
    for name, machine in machines.items():
        machine.session.sign_in(SERVER_URL, name, PASSWORD)
    yield machines
    for machine in machines.values():
        machine.close()


def test_a_reps_numbers_leave_out_a_colleagues_shared_records(colleagues, client, people, capsys):
    rep, colleague = colleagues["rep"], colleagues["other-rep"]
    mine = _write_own_work(rep.workspace, won_cents=120_000, visits=2, hot_name="Hôtel Rhône")
    rep.sync()
    before = _snapshot(rep.workspace)

    # A colleague shares an account with the rep and does good business on it.
    theirs = _write_own_work(colleague.workspace, won_cents=90_000, visits=3,
                             hot_name="Garage partagé")  # fmt: skip
    colleague.sync()
    for account in (theirs["client"], theirs["hot"]):
        shared = client.post(f"/v1/accounts/{account}/shares", json={"username": "rep"},
                             headers=people.other_rep.auth)  # fmt: skip
        assert shared.status_code == 204
    report = rep.sync()

    # The colleague's accounts and offers are on the rep's laptop now...
    offers = {row[0] for row in table_rows(rep.db, "offer", "id")}
    assert {theirs["won"], theirs["lost"]} <= offers
    assert report.changes.ids_of(Kind.OFFER) == {theirs["won"], theirs["lost"]}
    # ...and count in none of the rep's numbers.
    assert _snapshot(rep.workspace) == before
    values, _, today = before
    assert values["revenue"][0] == 120_000  # the rep's win, not the colleague's 900 €
    assert values["conversion"][0] == pytest.approx(0.5)  # 1 won of 2 decided
    assert values["conversion"][1] == (mine["won"],)
    assert values["visits"][0] == 2
    assert values["hot_prospects"][1] == (mine["hot"],)
    assert today["upcoming"] == [mine["planned"]]
    data = _kpi_json(rep.db.path, capsys)
    assert data["kpis"]["revenue"]["value"] == 120_000
    assert data["kpis"]["visits"]["value"] == 2

    # The colleague's records are shown with their owner's name, and stay theirs.
    listed = {o.id: o for o in rep.workspace.offers.list()}
    assert listed[theirs["won"]].owner_name == "other-rep"
    assert listed[mine["won"]].owner_name is None
    assert rep.workspace.accounts.detail(theirs["client"]).owner_name == "other-rep"
    with pytest.raises(NotYoursError):
        rep.workspace.offers.update(theirs["won"], {"amount_cents": 1})


def test_a_managers_numbers_leave_out_the_team_pipeline(colleagues, client, people, capsys):
    rep, manager = colleagues["rep"], colleagues["manager"]
    _write_own_work(rep.workspace, won_cents=120_000, visits=2, hot_name="Hôtel Rhône")
    shared = client.put("/v1/me/sharing", json={"activities": True}, headers=people.rep.auth)
    assert shared.status_code == 200
    rep.sync()
    own = _write_own_work(manager.workspace, won_cents=50_000, visits=1, hot_name="Imprimerie")
    before = _snapshot(manager.workspace)
    manager.sync()

    # The team's pipeline (and the rep's shared activities) arrived...
    assert len(table_rows(manager.db, "offer", "id")) == 4
    assert len(table_rows(manager.db, "activity", "id")) == (2 + 1) + (1 + 1)  # visits, planned
    # ...and the manager's own indicators are still the manager's own.
    assert _snapshot(manager.workspace) == before
    values, suggestions, today = before
    assert values["revenue"][0] == 50_000
    assert values["visits"][0] == 1
    assert values["hot_prospects"][1] == (own["hot"],)
    assert all(subject.endswith(own["hot"]) or own["client"] in subject or own["won"] in subject
               or own["planned"] in subject for _, subject in suggestions)  # fmt: skip
    assert today["upcoming"] == [own["planned"]]
    assert _kpi_json(manager.db.path, capsys)["kpis"]["revenue"]["value"] == 50_000

    # The laptop knows who the manager is and whom they lead.
    profile = manager.workspace.profile()
    assert (profile.name, profile.role) == ("manager", "manager")
    assert [team.name for team in profile.teams_led] == ["North"]
    assert [p.name for p in profile.reps_led] == ["rep"]
    team_offers = [o for o in manager.workspace.offers.list() if not o.is_mine]
    assert {o.owner_name for o in team_offers} == {"rep"}
