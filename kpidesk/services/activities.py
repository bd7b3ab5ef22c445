"""Activities: log what was done, plan what is next, mark planned ones done."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kpidesk.domain.changes import NOTHING, Changes, Written
from kpidesk.domain.checks import check_activity, check_follow_up_days, check_name
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
    follow_up_in_days: int | None = 7  # None: no follow-up planned


@dataclass(frozen=True)
class QuickLogResult:
    activity_id: str
    account_id: str
    created_account: bool
    follow_up_id: str | None
    account_name: str = ""  # as saved: the confirmation names it (a new prospect too)
    changes: Changes = NOTHING


class ActivityService(RecordService):
    table = "activity"
    check = staticmethod(check_activity)

    def list(self, flt: ActivityFilter | None = None) -> list[ActivityRow]:
        with self._db.read() as conn:
            raw = queries.list_activities(conn, flt or ActivityFilter())
            return rows_of(ActivityRow, raw, read_profile(conn))

    def quick_log(self, entry: QuickLogEntry) -> QuickLogResult:
        """Log an activity, creating its prospect and planning the follow-up, all or nothing."""
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
            follow_up_id = None
            if entry.follow_up_in_days is not None:
                follow_up_id = self.create_in(
                    change_set,
                    {
                        "account_id": account_id,
                        "kind": ActivityKind.CALL,
                        "purpose": ActivityPurpose.FOLLOW_UP,
                        "due_at": done_at + timedelta(days=entry.follow_up_in_days),
                        "offer_id": entry.offer_id,
                    },
                )
            account = queries.get_row(change_set.conn, "account", account_id)
        name = account["name"] if account else ""
        return QuickLogResult(
            activity_id, account_id, created, follow_up_id, name, change_set.changed()
        )

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


def _undo_rows(result: QuickLogResult) -> list[tuple[str, str]]:
    rows = [("activity", result.activity_id)]
    if result.follow_up_id:
        rows.append(("activity", result.follow_up_id))
    if result.created_account:
        rows.append(("account", result.account_id))
    return rows
