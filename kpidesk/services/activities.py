"""Activities: log what was done, plan what is next, mark planned ones done."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kpidesk.domain.changes import NOTHING, Changes, Written
from kpidesk.domain.checks import Problem, check_activity, check_follow_up_days, check_name
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import (
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    Temperature,
)
from kpidesk.services.records import RecordService
from kpidesk.services.rows import ActivityFilter, ActivityRow, rows_of
from kpidesk.store import queries
from kpidesk.store.changes import ChangeSet, changes
from kpidesk.store.profile import read_profile


@dataclass(frozen=True)
class QuickLogEntry:
    """Everything the quick-log form collects; saved in one transaction."""

    kind: ActivityKind
    purpose: ActivityPurpose
    account_id: str | None = None
    new_account_name: str | None = None  # create this prospect when no account was chosen
    done_at: datetime | None = None  # None: now
    outcome: str | None = None
    notes: str | None = None
    private_note: str | None = None
    offer_id: str | None = None
    follow_up_in_days: int | None = 7  # None: no follow-up planned (unless next_step says)
    next_step: NextStep | None = None  # the next step chosen in the form (wins over the days)


@dataclass(frozen=True)
class NextStep:
    """The next step the rep asked for: a new planned activity at ``due_at``, or an activity
    of the account already planned (``reuse_id``) kept as it is (``due_at`` None) or moved."""

    kind: ActivityKind = ActivityKind.CALL
    due_at: datetime | None = None
    reuse_id: str | None = None


class StepHow(StrEnum):
    NEW = "new"
    KEPT = "kept"
    MOVED = "moved"


@dataclass(frozen=True)
class PlannedStep:
    """What was planned, for the confirmation and for undo."""

    id: str
    kind: ActivityKind
    due_at: datetime
    how: StepHow
    before: tuple[ActivityKind, datetime] | None = None  # a moved step: its kind and time before


@dataclass(frozen=True)
class QuickLogResult:
    activity_id: str
    account_id: str
    created_account: bool
    follow_up_id: str | None  # the step created (not one kept or moved)
    account_name: str = ""  # as saved: the confirmation names it (a new prospect too)
    changes: Changes = NOTHING
    next_step: PlannedStep | None = None


@dataclass(frozen=True)
class CompleteResult:
    """A planned activity marked done, and its next step."""

    changes: Changes
    activity_id: str
    next_step: PlannedStep | None = None

    @property
    def next_id(self) -> str | None:
        return self.next_step.id if self.next_step and self.next_step.how is StepHow.NEW else None


class ActivityService(RecordService):
    table = "activity"
    check = staticmethod(check_activity)

    def list(self, flt: ActivityFilter | None = None) -> list[ActivityRow]:
        with self._db.read() as conn:
            raw = queries.list_activities(conn, flt or ActivityFilter())
            return rows_of(ActivityRow, raw, read_profile(conn))

    def planned_step(
        self, account_id: str, now: datetime | None = None, exclude_id: str | None = None
    ) -> ActivityRow | None:
        """My next planned (not done) activity of the account due from ``now`` on, if any:
        what a new log offers to keep or move instead of planning a duplicate."""
        now = now or utc_now()
        flt = ActivityFilter(account_id=account_id, planned=True, start=now, mine=True)
        rows = [row for row in self.list(flt) if row.id != exclude_id and row.due_at is not None]
        return min(rows, key=lambda row: (row.due_at, row.id), default=None)

    def quick_log(self, entry: QuickLogEntry) -> QuickLogResult:
        """Log an activity, creating its prospect and planning the follow-up, all or nothing."""
        if entry.next_step is None:
            self._refuse(check_follow_up_days(entry.follow_up_in_days))
        with changes(self._db) as change_set:
            account_id, created = self._account_for(change_set, entry)
            done_at = entry.done_at or utc_now()
            activity_id = self.create_in(
                change_set,
                {
                    "account_id": account_id,
                    "kind": entry.kind,
                    "purpose": entry.purpose,
                    "done_at": done_at,
                    "outcome": entry.outcome or None,
                    "notes": entry.notes or None,
                    "private_note": entry.private_note or None,
                    "offer_id": entry.offer_id,
                },
            )
            step = entry.next_step
            if step is None and entry.follow_up_in_days is not None:
                step = NextStep(due_at=done_at + timedelta(days=entry.follow_up_in_days))
            planned = None
            if step is not None:
                planned = self._plan_next_in(change_set, account_id, entry.offer_id, step)
            account = queries.get_row(change_set.conn, "account", account_id)
        name = account["name"] if account else ""
        follow_up_id = planned.id if planned and planned.how is StepHow.NEW else None
        return QuickLogResult(
            activity_id, account_id, created, follow_up_id, name, change_set.changed(), planned
        )

    def _plan_next_in(
        self, change_set: ChangeSet, account_id: str, offer_id: str | None, step: NextStep
    ) -> PlannedStep:
        if step.reuse_id is not None:
            current = self.get_in(change_set, step.reuse_id)
            if current["account_id"] != account_id or current["done_at"] is not None:
                self._refuse([_next_step_problem()])
            before = (ActivityKind(current["kind"]), current["due_at"])
            if step.due_at is None:
                return PlannedStep(step.reuse_id, before[0], before[1], StepHow.KEPT)
            self.update_in(change_set, step.reuse_id, {"due_at": step.due_at, "kind": step.kind})
            return PlannedStep(step.reuse_id, step.kind, step.due_at, StepHow.MOVED, before)
        if step.due_at is None:
            self._refuse([_next_step_problem()])
        assert step.due_at is not None
        new_id = self.create_in(
            change_set,
            {
                "account_id": account_id,
                "kind": step.kind,
                "purpose": ActivityPurpose.FOLLOW_UP,
                "due_at": step.due_at,
                "offer_id": offer_id,
            },
        )
        return PlannedStep(new_id, step.kind, step.due_at, StepHow.NEW)

    def complete_with_next(
        self,
        activity_id: str,
        outcome: str | None = None,
        notes: str | None = None,
        next_step: NextStep | None = None,
        done_at: datetime | None = None,
    ) -> CompleteResult:
        """Mark a planned activity done with its outcome, and plan, keep or move the next
        step on the same account (and offer): all in one transaction."""
        done_at = done_at or utc_now()
        values: dict[str, Any] = {"done_at": done_at}
        if outcome:
            values["outcome"] = outcome
        if notes:
            values["notes"] = notes
        planned = None
        with changes(self._db) as change_set:
            current = self.get_in(change_set, activity_id)
            if next_step is not None and next_step.reuse_id == activity_id:
                self._refuse([_next_step_problem()])
            self.update_in(change_set, activity_id, values)
            if next_step is not None:
                planned = self._plan_next_in(
                    change_set, current["account_id"], current["offer_id"], next_step
                )
        return CompleteResult(change_set.changed(), activity_id, planned)

    def undo_complete(self, result: CompleteResult) -> Written:
        """Take back a "mark done": planned again, and its next step undone."""
        with changes(self._db) as change_set:
            self.update_in(change_set, result.activity_id, {"done_at": None})
            self._undo_step_in(change_set, result.next_step)
        return Written(change_set.changed(), result.activity_id)

    def _undo_step_in(self, change_set: ChangeSet, step: PlannedStep | None) -> None:
        if step is None or step.how is StepHow.KEPT:
            return
        if step.how is StepHow.NEW:
            change_set.delete("activity", step.id)
        elif step.before is not None:
            kind, due_at = step.before
            self.update_in(change_set, step.id, {"kind": kind, "due_at": due_at})

    def complete(
        self,
        activity_id: str,
        outcome: str | None = None,
        notes: str | None = None,
        next_in_days: int | None = None,
        done_at: datetime | None = None,
    ) -> Written:
        """Mark a planned activity done with its outcome and, if asked, plan the next step on
        the same account (and offer): all in one transaction. The result's id is the next
        step's (None when none was planned)."""
        self._refuse(check_follow_up_days(next_in_days))
        done_at = done_at or utc_now()
        values: dict[str, Any] = {"done_at": done_at}
        if outcome:
            values["outcome"] = outcome
        if notes:
            values["notes"] = notes
        next_id = None
        with changes(self._db) as change_set:
            current = self.get_in(change_set, activity_id)
            self.update_in(change_set, activity_id, values)
            if next_in_days is not None:
                next_id = self.create_in(
                    change_set,
                    {
                        "account_id": current["account_id"],
                        "offer_id": current["offer_id"],
                        "kind": current["kind"],
                        "purpose": ActivityPurpose.FOLLOW_UP,
                        "due_at": done_at + timedelta(days=next_in_days),
                    },
                )
        return Written(change_set.changed(), next_id)

    def undo_quick_log(self, result: QuickLogResult) -> Written:
        """Take back a quick log: the activity, its planned follow-up and a prospect it created."""
        with changes(self._db) as change_set:
            for table, row_id in _undo_rows(result):
                change_set.delete(table, row_id)
            if result.next_step is not None and result.next_step.how is StepHow.MOVED:
                self._undo_step_in(change_set, result.next_step)
        return Written(change_set.changed())

    def plan(
        self,
        account_id: str,
        due_at: datetime,
        kind: ActivityKind = ActivityKind.CALL,
        purpose: ActivityPurpose = ActivityPurpose.FOLLOW_UP,
        offer_id: str | None = None,
        notes: str | None = None,
    ) -> Written:
        values = {
            "account_id": account_id,
            "kind": kind,
            "purpose": purpose,
            "due_at": due_at,
            "offer_id": offer_id,
            "notes": notes,
        }
        return self.create(values)

    def mark_done(
        self,
        activity_id: str,
        done_at: datetime | None = None,
        outcome: str | None = None,
        notes: str | None = None,
    ) -> Written:
        values: dict[str, Any] = {"done_at": done_at or utc_now()}
        if outcome is not None:
            values["outcome"] = outcome
        if notes is not None:
            values["notes"] = notes
        return self.update(activity_id, values)

    def _account_for(self, change_set: ChangeSet, entry: QuickLogEntry) -> tuple[str, bool]:
        if entry.account_id:
            return entry.account_id, False
        name = (entry.new_account_name or "").strip()
        self._refuse(check_name({"account_id": name}, field="account_id"))
        values: Mapping[str, Any] = {
            "name": name,
            "status": AccountStatus.PROSPECT,
            "created_status": AccountStatus.PROSPECT,
            "temperature": Temperature.COLD,
        }
        return change_set.create("account", values), True


def _next_step_problem() -> Problem:
    return Problem(
        "follow_up_in_days",
        Message(N_("The next step to keep is no longer planned for this account; choose again.")),
    )


def _undo_rows(result: QuickLogResult) -> list[tuple[str, str]]:
    rows = [("activity", result.activity_id)]
    if result.follow_up_id:
        rows.append(("activity", result.follow_up_id))
    if result.created_account:
        rows.append(("account", result.account_id))
    return rows
