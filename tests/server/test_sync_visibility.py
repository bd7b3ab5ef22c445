"""Who pulls what (SYNC.md, "Visibility"), checked through real syncs on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kpidesk.domain.vocabulary import OfferStatus
from kpidesk.store.changes import changes
from kpidesk.store.errors import NotYoursError
from tests.server.conftest import PASSWORD
from tests.sync.helpers import SERVER_URL, laptop, table_rows

NOW = datetime.now(UTC)


@pytest.fixture
def team(app, people, tmp_path, client):
    """The rep's laptop with a client, its contact, an offer and a visit; the managers'."""
    machines = {}
    for name in ("rep", "manager", "other-manager", "other-rep"):
        machines[name] = laptop(app, tmp_path / f"{name}.sqlite")
        machines[name].session.sign_in(SERVER_URL, name, PASSWORD)
    rep = machines["rep"].workspace
    account = rep.accounts.create({"name": "Client du rep"}).id
    rep.contacts.create({"account_id": account, "name": "Claire Roux"})
    rep.offers.create({"account_id": account, "amount_cents": 90_000,
                       "status": OfferStatus.SENT, "sent_at": NOW})  # fmt: skip
    rep.activities.create({"account_id": account, "kind": "visit", "done_at": NOW,
                           "notes": "visite", "private_note": "secret"})  # fmt: skip
    machines["rep"].sync()
    machines["ids"] = {"account": account}
    yield machines
    for name in ("rep", "manager", "other-manager", "other-rep"):
        machines[name].close()


def names(machine, table, column="id"):
    return table_rows(machine.db, table, column)


def test_a_manager_pulls_the_team_pipeline_but_not_the_reps_activities(team, client, people):
    manager = team["manager"]
    manager.sync()
    assert names(manager, "account", "name") == [("Client du rep",)]
    assert len(names(manager, "offer")) == 1
    assert names(manager, "activity") == []  # not shared
    assert names(manager, "contact") == []  # contacts are the rep's own work
    team["other-manager"].sync()
    assert names(team["other-manager"], "account") == []  # another team: nothing


def test_activities_arrive_once_the_rep_chooses_to_share_them(team, client, people):
    manager = team["manager"]
    manager.sync()
    response = client.put("/v1/me/sharing", json={"activities": True}, headers=people.rep.auth)
    assert response.status_code == 200
    manager.sync()  # told to start again, then pulls what it may now see
    assert names(manager, "activity", "notes, private_note") == [("visite", None)]
    client.put("/v1/me/sharing", json={"activities": False}, headers=people.rep.auth)
    manager.sync()
    assert names(manager, "activity") == []  # no longer shared: gone from the manager's laptop


def test_a_manager_cannot_change_a_reps_offer(team, people):
    manager = team["manager"]
    manager.sync()
    ((offer_id,),) = names(manager, "offer")
    # The laptop refuses first: the team's pipeline is read-only on a manager's laptop.
    with pytest.raises(NotYoursError):
        manager.workspace.offers.update(offer_id, {"amount_cents": 1})
    with pytest.raises(NotYoursError):
        manager.workspace.offers.delete(offer_id)
    assert names(manager, "offer", "amount_cents, cl") == [(90_000, 1)]
    assert manager.session.status().pending == 0
    # A laptop that writes it anyway (an old or altered client) is refused by the server.
    with changes(manager.db) as change_set:
        change_set.owner_id = people.rep.id  # what a forged client would claim
        change_set.update("offer", offer_id, {"amount_cents": 1})
    report = manager.sync()
    assert len(report.rejected) == 1
    team["rep"].sync()
    assert names(team["rep"], "offer", "amount_cents") == [(90_000,)]


def test_a_shared_account_comes_with_its_contacts_and_offers(team, client, people):
    other = team["other-rep"]
    account = team["ids"]["account"]
    assert names(other, "account") == []
    response = client.post(f"/v1/accounts/{account}/shares", json={"username": "other-rep"},
                           headers=people.rep.auth)  # fmt: skip
    assert response.status_code == 204
    other.sync()
    assert names(other, "account", "name") == [("Client du rep",)]
    assert names(other, "contact", "name") == [("Claire Roux",)]
    assert len(names(other, "offer")) == 1
    assert names(other, "activity") == []
    # They may log their own visit on it, but not rename it.
    other.workspace.activities.create({"account_id": account, "kind": "call", "done_at": NOW})
    with pytest.raises(NotYoursError):
        other.workspace.accounts.update(account, {"name": "Renamed"})
    with changes(other.db) as change_set:  # a forged client: the server refuses
        change_set.owner_id = people.rep.id
        change_set.update("account", account, {"name": "Renamed"})
    report = other.sync()
    assert [r.reason for r in report.rejected if "someone else" in r.reason]
    team["rep"].sync()
    assert names(team["rep"], "account", "name") == [("Client du rep",)]


def test_sharing_someone_elses_account_is_refused(team, client, people):
    account = team["ids"]["account"]
    response = client.post(f"/v1/accounts/{account}/shares", json={"username": "manager"},
                           headers=people.other_rep.auth)  # fmt: skip
    assert response.status_code == 404
