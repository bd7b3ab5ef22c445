"""Reminders from the database: the rep's planned activities, settings, remembered once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.reminders import ReminderSettings
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.workspace import open_workspace
from kpidesk.store.settings import read_settings, write_settings

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)  # a Wednesday, within working hours


@pytest.fixture
def ws(db_path):
    workspace = open_workspace(db_path, PARIS)
    yield workspace
    workspace.close()


def _account(ws, name="Garage Moreau"):
    return ws.accounts.create({"name": name}).id


def test_defaults_then_saved_settings(ws):
    assert ws.reminders.settings() == ReminderSettings(enabled=True, lead_minutes=15)
    ws.reminders.save_settings(ReminderSettings(enabled=False, lead_minutes=45))
    assert ws.reminders.settings() == ReminderSettings(enabled=False, lead_minutes=45)


def test_a_refused_lead_time_saves_nothing(ws):
    ws.reminders.save_settings(ReminderSettings(lead_minutes=30))
    with pytest.raises(InvalidInputError) as refused:
        ws.reminders.save_settings(ReminderSettings(enabled=False, lead_minutes=0))
    assert refused.value.for_field("lead_minutes")
    assert ws.reminders.settings() == ReminderSettings(enabled=True, lead_minutes=30)


def test_an_unreadable_stored_lead_falls_back_to_the_default(ws):
    with ws.db.write() as conn:
        write_settings(conn, {"reminders.lead_minutes": 10_000, "reminders.enabled": "yes"})
    assert ws.reminders.settings() == ReminderSettings()


def test_due_soon_is_taken_once_even_after_reopening(ws, db_path):
    garage = _account(ws)
    call = ws.activities.plan(garage, NOW + timedelta(minutes=10)).id
    ws.activities.plan(garage, NOW + timedelta(hours=2))  # beyond the lead time
    done = ws.activities.plan(garage, NOW + timedelta(minutes=5)).id
    ws.activities.mark_done(done)  # done: nothing to remind of
    (due,) = ws.reminders.take_due(NOW)
    assert (due.id, due.account_name, due.kind) == (call, "Garage Moreau", "call")
    assert ws.reminders.take_due(NOW + timedelta(minutes=1)) == []
    ws.close()
    reopened = open_workspace(db_path, PARIS)
    try:
        assert reopened.reminders.take_due(NOW + timedelta(minutes=2)) == []
    finally:
        reopened.close()


def test_working_hours_are_the_reps_settings(ws):
    garage = _account(ws)
    ws.activities.plan(garage, NOW + timedelta(minutes=10))
    with ws.db.write() as conn:
        write_settings(conn, {"work.start_hour": 11})  # this rep starts at 11:00
    assert ws.reminders.take_due(NOW) == []
    assert len(ws.reminders.take_due(NOW.replace(hour=11))) == 1


def test_colleagues_activities_are_not_mine_to_be_reminded_of(ws):
    garage = _account(ws)
    ws.activities.plan(garage, NOW + timedelta(minutes=10))
    with ws.db.write() as conn:
        conn.exec_driver_sql("UPDATE activity SET owner_id = 'someone-else'")
    assert ws.reminders.take_due(NOW) == []


def test_the_remembered_list_stays_small(ws):
    garage = _account(ws)
    for day in range(6):
        moment = NOW + timedelta(days=day)
        if moment.isoweekday() > 5:
            continue
        ws.activities.plan(garage, moment + timedelta(minutes=5))
        assert len(ws.reminders.take_due(moment)) == 1
    with ws.db.read() as conn:
        shown = read_settings(conn, "reminders.")["reminders.shown"]
    # On Monday, Wednesday's and Thursday's are more than three days old: Friday's and Monday's
    # are left.
    assert len(shown) == 2
