"""The basic use cases: accounts, contacts, offers and activities."""

from datetime import UTC, datetime, timedelta

import pytest

from kpidesk.domain.references import device_tag
from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)
from kpidesk.services.accounts import AccountService, ContactService
from kpidesk.services.activities import ActivityService, QuickLogEntry
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.offers import OfferService
from kpidesk.services.rows import ActivityFilter, OfferFilter
from kpidesk.store import meta
from kpidesk.store.errors import RecordNotFoundError

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def services(db):
    return (
        AccountService(db),
        ContactService(db),
        ActivityService(db),
        OfferService(db),
    )


def _outbox_size(db):
    with db.read() as conn:
        return conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar()


def test_account_create_edit_delete_undelete(services, db):
    accounts, contacts, _, _ = services
    account = accounts.create({"name": "Boulangerie Roux", "city": "Lyon"}).id
    contacts.create({"account_id": account, "name": "Claire Roux", "role": "Gérante"})
    accounts.update(account, {"temperature": Temperature.HOT})
    assert accounts.get(account)["temperature"] is Temperature.HOT
    assert [c.name for c in contacts.list_for(account)] == ["Claire Roux"]
    assert [a.name for a in accounts.list()] == ["Boulangerie Roux"]
    accounts.delete(account)
    assert accounts.list() == []
    with pytest.raises(RecordNotFoundError):
        accounts.get(account)
    accounts.undelete(account)
    assert [a.temperature for a in accounts.list()] == [Temperature.HOT]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_an_account_needs_a_name_and_nothing_is_saved(services, db, name):
    accounts, *_ = services
    with pytest.raises(InvalidInputError) as err:
        accounts.create({"name": name})
    assert [p.field for p in err.value.problems] == ["name"]
    assert accounts.list() == [] and _outbox_size(db) == 0


def test_offer_checks_refuse_bad_amounts_and_dates(services, db):
    accounts, _, _, offers = services
    account = accounts.create({"name": "Transports Faure"}).id
    before = _outbox_size(db)
    with pytest.raises(InvalidInputError) as err:
        offers.create({"account_id": account, "amount_cents": -100})
    assert err.value.for_field("amount_cents")
    with pytest.raises(InvalidInputError) as err:
        offers.create(
            {
                "account_id": account,
                "amount_cents": 100_000,
                "status": OfferStatus.WON,
                "sent_at": T0,
                "decided_at": T0 - timedelta(days=1),
            }
        )
    assert err.value.for_field("decided_at")
    assert offers.list() == [] and _outbox_size(db) == before


def test_offers_are_numbered_per_year_and_a_win_makes_a_client(services, db):
    accounts, _, _, offers = services
    account = accounts.create({"name": "Hôtel du Port", "status": AccountStatus.PROSPECT}).id
    first = offers.create(
        {"account_id": account, "amount_cents": 250_000, "status": OfferStatus.SENT, "sent_at": T0}
    ).id
    second = offers.create(
        {"account_id": account, "amount_cents": 90_000, "status": OfferStatus.SENT, "sent_at": T0}
    ).id
    with db.read() as conn:
        tag = device_tag(meta.get(conn, meta.DEVICE_ID))
    assert offers.get(first)["reference"] == f"2026-{tag}-001"  # this laptop's own numbers
    assert offers.get(second)["reference"] == f"2026-{tag}-002"
    offers.decide(second, OfferStatus.LOST, T0 + timedelta(days=3), lost_reason="Prix")
    assert accounts.get(account)["status"] is AccountStatus.PROSPECT
    offers.decide(first, OfferStatus.WON, T0 + timedelta(days=10))
    assert accounts.get(account)["status"] is AccountStatus.CLIENT
    open_offers = offers.list(OfferFilter(statuses=frozenset({OfferStatus.SENT})))
    assert open_offers == []
    offers.reopen(first)
    assert offers.get(first)["status"] is OfferStatus.SENT
    assert offers.get(first)["decided_at"] is None


def test_a_decision_before_the_sent_date_is_refused(services):
    accounts, _, _, offers = services
    account = accounts.create({"name": "Garage Blanc"}).id
    offer = offers.create(
        {"account_id": account, "amount_cents": 1000, "status": OfferStatus.SENT, "sent_at": T0}
    ).id
    with pytest.raises(InvalidInputError) as err:
        offers.decide(offer, OfferStatus.WON, T0 - timedelta(hours=1))
    assert err.value.for_field("decided_at")
    assert offers.get(offer)["status"] is OfferStatus.SENT


def test_plan_then_mark_done(services):
    accounts, _, activities, _ = services
    account = accounts.create({"name": "Mécanique Girard"}).id
    planned = activities.plan(account, T0 + timedelta(days=2)).id
    assert [a.id for a in activities.list(ActivityFilter(planned=True))] == [planned]
    activities.mark_done(planned, T0 + timedelta(days=2, hours=1), outcome="Joint")
    row = activities.get(planned)
    assert row["done_at"] == T0 + timedelta(days=2, hours=1)
    assert row["outcome"] == "Joint"
    assert activities.list(ActivityFilter(planned=True)) == []


def test_quick_log_creates_the_prospect_the_activity_and_the_follow_up_in_one_go(services, db):
    _, _, activities, _ = services
    result = activities.quick_log(
        QuickLogEntry(
            kind=ActivityKind.VISIT,
            purpose=ActivityPurpose.PROSPECTING,
            new_account_name="Pharmacie Mercier",
            done_at=T0,
            private_note="stays here",
            follow_up_in_days=7,
        )
    )
    assert result.created_account
    follow_up = activities.get(result.follow_up_id)
    assert follow_up["due_at"] == T0 + timedelta(days=7)
    assert follow_up["purpose"] is ActivityPurpose.FOLLOW_UP
    assert follow_up["account_id"] == result.account_id
    assert _outbox_size(db) == 3


def test_quick_log_with_an_unusable_follow_up_saves_nothing(services, db):
    _, _, activities, _ = services
    with pytest.raises(InvalidInputError):
        activities.quick_log(
            QuickLogEntry(
                kind=ActivityKind.CALL,
                purpose=ActivityPurpose.PROSPECTING,
                new_account_name="Nouvelle SARL",
                follow_up_in_days=0,
            )
        )
    with pytest.raises(InvalidInputError):
        activities.quick_log(
            QuickLogEntry(
                kind=ActivityKind.CALL, purpose=ActivityPurpose.OTHER, new_account_name=" "
            )
        )
    assert _outbox_size(db) == 0


def test_activity_filters(services):
    accounts, _, activities, _ = services
    a = accounts.create({"name": "A"}).id
    b = accounts.create({"name": "B"}).id
    visit = activities.create(
        {"account_id": a, "kind": "visit", "purpose": "prospecting", "done_at": T0}
    ).id
    call = activities.create(
        {
            "account_id": b,
            "kind": "call",
            "purpose": "follow_up",
            "done_at": T0 + timedelta(days=40),
        }
    ).id
    planned = activities.plan(b, T0 + timedelta(days=50)).id
    ids = lambda flt: [r.id for r in activities.list(flt)]  # noqa: E731
    assert ids(ActivityFilter(kinds=frozenset({ActivityKind.VISIT}))) == [visit]
    assert ids(ActivityFilter(purposes=frozenset({ActivityPurpose.FOLLOW_UP}))) == [planned, call]
    assert ids(ActivityFilter(account_id=b, planned=False)) == [call]
    assert ids(ActivityFilter(start=T0, end=T0 + timedelta(days=1))) == [visit]
    assert ids(ActivityFilter(start=T0 + timedelta(days=45))) == [planned]


def test_account_list_shows_last_contact_and_open_offers(services):
    accounts, _, activities, offers = services
    a = accounts.create({"name": "Ateliers Roussel"}).id
    activities.create({"account_id": a, "kind": "visit", "done_at": T0})
    activities.create({"account_id": a, "kind": "call", "done_at": T0 + timedelta(days=3)})
    offers.create({"account_id": a, "amount_cents": 5_000, "status": "sent", "sent_at": T0})
    offers.create({"account_id": a, "amount_cents": 7_000, "status": "sent", "sent_at": T0})
    offers.create({"account_id": a, "amount_cents": 9_000, "status": "draft"})
    (row,) = accounts.list()
    assert row.last_contact_at == T0 + timedelta(days=3)
    assert (row.open_offers, row.open_amount_cents) == (2, 12_000)


def test_completing_a_planned_call_logs_the_outcome_and_plans_the_next_step(services, db):
    accounts, _, activities, offers = services
    account = accounts.create({"name": "Maison Colin"}).id
    offer = offers.create(
        {"account_id": account, "amount_cents": 10_000, "status": "sent", "sent_at": T0}
    ).id
    planned = activities.plan(account, T0 + timedelta(days=7), offer_id=offer).id
    next_id = activities.complete(
        planned, outcome="Décision lundi", next_in_days=3, done_at=T0 + timedelta(days=7)
    ).id
    done = activities.get(planned)
    assert (done["outcome"], done["done_at"]) == ("Décision lundi", T0 + timedelta(days=7))
    nxt = activities.get(next_id)
    assert nxt["due_at"] == T0 + timedelta(days=10)
    assert (nxt["offer_id"], nxt["account_id"], nxt["done_at"]) == (offer, account, None)
    with pytest.raises(InvalidInputError):
        activities.complete(next_id, next_in_days=0)
    assert activities.get(next_id)["done_at"] is None  # refused: nothing changed
