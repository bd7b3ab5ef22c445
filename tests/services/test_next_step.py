"""Log, then schedule the next step: new, kept or moved, in one transaction, and undone."""

from datetime import UTC, datetime, time, timedelta

import pytest

from kpidesk.domain.next_step import WorkingTime
from kpidesk.domain.vocabulary import ActivityKind, ActivityPurpose
from kpidesk.services.activities import NextStep, QuickLogEntry, StepHow
from kpidesk.services.errors import InvalidInputError
from kpidesk.services.rows import ActivityFilter
from kpidesk.services.work_settings import read_working_time, working_time_from
from kpidesk.store.errors import RecordNotFoundError
from kpidesk.store.settings import write_settings

T0 = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # Wednesday


def _planned(ws, account):
    return ws.activities.list(ActivityFilter(account_id=account, planned=True))


def _outbox(ws):
    return ws.pending_changes()


def test_the_settings_are_read_with_their_defaults(workspace):
    assert read_working_time(workspace.db) == WorkingTime()
    with workspace.db.write() as conn:
        write_settings(
            conn,
            {"follow_up.delay_days": 3, "follow_up.hour": "10:15", "work.days": [1, 2, 3, 4],
             "work.start_hour": 7, "work.end_hour": 16},
        )  # fmt: skip
    assert read_working_time(workspace.db) == WorkingTime(
        3, time(10, 15), frozenset({1, 2, 3, 4}), 7, 16
    )


def test_unreadable_settings_keep_their_defaults():
    assert working_time_from(
        {"follow_up.delay_days": 0, "follow_up.hour": "soon", "work.days": [9],
         "work.start_hour": 18, "work.end_hour": 8}
    ) == WorkingTime()  # fmt: skip
    assert working_time_from({"follow_up.hour": 9.5}).hour == time(9, 30)


def test_a_new_step_has_the_kind_and_time_chosen(workspace):
    account = workspace.accounts.create({"name": "Garage Dupont"}).id
    due = datetime(2026, 12, 9, 8, 30, tzinfo=UTC)
    result = workspace.activities.quick_log(
        QuickLogEntry(
            kind=ActivityKind.CALL, purpose=ActivityPurpose.PROSPECTING, account_id=account,
            done_at=T0, outcome="reached", next_step=NextStep(ActivityKind.VISIT, due),
        )
    )  # fmt: skip
    [step] = _planned(workspace, account)
    assert (step.id, step.kind, step.due_at, step.purpose) == (
        result.follow_up_id, ActivityKind.VISIT, due, ActivityPurpose.FOLLOW_UP,
    )  # fmt: skip
    assert result.next_step.how is StepHow.NEW
    assert workspace.activities.get(result.activity_id)["outcome"] == "reached"


def test_a_planned_step_is_kept_not_duplicated_and_moved_back_by_undo(workspace):
    account = workspace.accounts.create({"name": "Hôtel du Lac"}).id
    first_due = T0 + timedelta(days=2)
    existing = workspace.activities.plan(account, first_due).id
    assert workspace.activities.planned_step(account, T0).id == existing
    assert workspace.activities.planned_step(account, first_due + timedelta(seconds=1)) is None

    kept = workspace.activities.quick_log(
        QuickLogEntry(kind=ActivityKind.VISIT, purpose=ActivityPurpose.PROSPECTING,
                      account_id=account, done_at=T0, next_step=NextStep(reuse_id=existing))
    )  # fmt: skip
    assert [a.id for a in _planned(workspace, account)] == [existing]  # no duplicate
    assert (kept.next_step.how, kept.next_step.due_at, kept.follow_up_id) == (
        StepHow.KEPT, first_due, None,
    )  # fmt: skip

    moved_to = T0 + timedelta(days=6)
    before = _outbox(workspace)
    moved = workspace.activities.quick_log(
        QuickLogEntry(kind=ActivityKind.CALL, purpose=ActivityPurpose.FOLLOW_UP,
                      account_id=account, done_at=T0,
                      next_step=NextStep(ActivityKind.VISIT, moved_to, existing))
    )  # fmt: skip
    [step] = _planned(workspace, account)
    assert (step.id, step.kind, step.due_at) == (existing, ActivityKind.VISIT, moved_to)
    assert moved.next_step.before == (ActivityKind.CALL, first_due)
    assert _outbox(workspace) > before  # the move is sent like any change
    workspace.activities.undo_quick_log(moved)
    [step] = _planned(workspace, account)
    assert (step.id, step.kind, step.due_at) == (existing, ActivityKind.CALL, first_due)
    with pytest.raises(RecordNotFoundError):  # the log itself is gone (a tombstone)
        workspace.activities.get(moved.activity_id)


def test_complete_with_next_plans_and_undo_takes_both_back(workspace):
    account = workspace.accounts.create({"name": "Boulangerie"}).id
    call = workspace.activities.plan(account, T0 - timedelta(hours=1)).id
    due = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
    result = workspace.activities.complete_with_next(
        call, outcome="voicemail", next_step=NextStep(ActivityKind.CALL, due), done_at=T0
    )
    done = workspace.activities.get(call)
    assert (done["done_at"], done["outcome"]) == (T0, "voicemail")
    [step] = _planned(workspace, account)
    assert (step.id, step.due_at) == (result.next_id, due)
    workspace.activities.undo_complete(result)
    assert workspace.activities.get(call)["done_at"] is None
    assert [a.id for a in _planned(workspace, account)] == [call]


def test_keeping_a_step_that_is_not_the_accounts_is_refused_and_changes_nothing(workspace):
    one = workspace.accounts.create({"name": "One"}).id
    other = workspace.accounts.create({"name": "Other"}).id
    theirs = workspace.activities.plan(other, T0 + timedelta(days=1)).id
    before = _outbox(workspace)
    with pytest.raises(InvalidInputError) as refused:
        workspace.activities.quick_log(
            QuickLogEntry(kind=ActivityKind.CALL, purpose=ActivityPurpose.PROSPECTING,
                          account_id=one, done_at=T0, next_step=NextStep(reuse_id=theirs))
        )  # fmt: skip
    assert refused.value.problems[0].field == "follow_up_in_days"
    assert _outbox(workspace) == before
    assert workspace.activities.list(ActivityFilter(account_id=one)) == []
