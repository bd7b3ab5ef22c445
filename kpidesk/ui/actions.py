"""What the rep can do to records, from any page: the same dialogs, notices and undo everywhere.

Reads that feed a dialog run in the background; the write itself is a quick local transaction
on the GUI thread (so a refusal can be shown in the form at once), followed by a notice with
undo and a data-change event that makes the pages reload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from kpidesk.domain.changes import Written
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import AccountSource, ActivityKind, OfferStatus, Temperature
from kpidesk.presentation import _
from kpidesk.presentation.labels import label
from kpidesk.services.activities import CompleteResult, PlannedStep, QuickLogResult, StepHow
from kpidesk.services.rows import ActivityRow, OfferRow
from kpidesk.ui.account_directory import AccountDirectory
from kpidesk.ui.context import UiContext
from kpidesk.ui.dialogs.complete_activity import CompleteActivityDialog
from kpidesk.ui.dialogs.offer_dialogs import DecideOfferDialog, OfferDialog
from kpidesk.ui.dialogs.quick_log import QuickLogDialog
from kpidesk.ui.dialogs.recent_changes import RecentChangesDialog
from kpidesk.ui.dialogs.record_dialogs import AccountDialog, ActivityDialog, ContactDialog
from kpidesk.ui.errors import plain_words
from kpidesk.ui.undo_history import RememberingNotifier, UndoHistory


def next_working_morning(now: datetime, hour: int = 9) -> datetime:
    """The next Monday-to-Friday day after ``now`` (local), at ``hour``:00, in UTC."""
    day = now + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).astimezone(UTC)


class RecordActions:
    def __init__(
        self,
        ctx: UiContext,
        directory: AccountDirectory,
        parent: QWidget,
        history: UndoHistory | None = None,
    ) -> None:
        self._ctx = ctx
        self._directory = directory
        self._parent = parent
        self._history = history
        self.last_dialog: Any = None  # the dialog opened last (tests drive it)
        self.clock: Callable[[], datetime] = utc_now  # "now" for the forms (tests fix it)

    @property
    def _ws(self) -> Any:
        return self._ctx.workspace

    def _announce(self, written: Written | QuickLogResult | CompleteResult) -> None:
        self._ctx.events.announce(written.changes)

    def _guarded(self, action: Callable[[], Any]) -> Any:
        """Run a quick write and announce what it changed; a refusal or failure is shown in
        plain words, not raised (the result is then None)."""
        try:
            result = action()
        except Exception as exc:
            self._ctx.notifier.error(plain_words(exc))
            return None
        self._announce(result)
        return result

    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one dialog, one use
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def _load_then(self, load: Callable[[], Any], show: Callable[[Any], None]) -> None:
        self._ctx.tasks.run(load, show, lambda exc: self._ctx.notifier.error(plain_words(exc)))

    def _load_record_then(
        self, load: Callable[[], dict[str, Any]], show: Callable[[dict[str, Any]], Any]
    ) -> None:
        """Load a record off the GUI thread and open its dialog: read-only, naming its owner,
        when it is a colleague's."""

        def with_owner() -> tuple[dict[str, Any], str | None]:
            current = load()
            return current, self._ws.profile().owner_name(current["owner_id"])

        def open_dialog(loaded: tuple[dict[str, Any], str | None]) -> None:
            current, owner = loaded
            dialog = show(current)
            if owner is not None:
                dialog.show_read_only(owner)

        self._load_then(with_owner, open_dialog)

    def _refused_as_not_mine(self, row: Any) -> bool:
        """A colleague's row: say whose it is instead of trying a write the server refuses."""
        if getattr(row, "is_mine", True):
            return False
        self._ctx.notifier.error(
            _("This belongs to {owner}: it is read-only on your laptop.").format(
                owner=row.owner_name
            )
        )
        return True

    # -- activities ------------------------------------------------------------------------

    def account_words(self, account_id: str | None, name: str | None) -> str:
        """The account as the rep can tell it apart: its name, with its city when another
        account has the same name."""
        name = name or ""
        account = self._directory.account(account_id) if account_id else None
        if account is None or not account.city:
            return name
        if self._directory.snapshot.homonyms(name) > 1:
            return _("{name} ({city})").format(name=name, city=account.city)
        return name

    def step_words(self, step: PlannedStep | None) -> str:
        """ "Next step: call on Tuesday 8 December 2026 at 09:30." (or kept, or moved)."""
        if step is None:
            return _("No next step planned.")
        words = {
            "kind": label(step.kind).lower(),
            "when": self._ctx.fmt.when_in_full(step.due_at),
        }
        if step.how is StepHow.KEPT:
            return _("Next step kept: {kind} on {when}.").format(**words)
        if step.how is StepHow.MOVED:
            return _("Next step moved: {kind} on {when}.").format(**words)
        return _("Next step: {kind} on {when}.").format(**words)

    def log_activity(self, account_id: str | None = None) -> QuickLogDialog:
        dialog = QuickLogDialog(
            self._ctx, self._directory, self._parent, account_id=account_id, now=self.clock
        )
        dialog.sig_logged.connect(self._on_logged)
        return self._open(dialog)

    def _on_logged(self, result: QuickLogResult) -> None:
        self._announce(result)
        # The name saved with the activity: the directory may not know a new prospect yet.
        name = self.account_words(result.account_id, result.account_name)
        text = _("Logged for {account}.").format(account=name)
        text += " " + self.step_words(result.next_step)
        if result.created_account:
            text += " " + _("New prospect created.")

        def undo() -> None:
            self._guarded(lambda: self._ws.activities.undo_quick_log(result))

        self._ctx.notifier.notify(text, undo)

    def edit_activity(self, activity_id: str) -> None:
        def show(current: dict[str, Any]) -> Any:
            dialog = ActivityDialog(self._ctx.fmt, current, self._parent)
            dialog.write = lambda values: self._saved(
                self._ws.activities.update(activity_id, values)
            )
            return self._open(dialog)

        self._load_record_then(lambda: self._ws.activities.get(activity_id), show)

    def complete_activity(self, activity: ActivityRow) -> CompleteActivityDialog | None:
        """Mark done with the outcome and plan the next step (Ctrl+D on a planned activity)."""
        if self._refused_as_not_mine(activity):
            return None
        account = self.account_words(activity.account_id, activity.account_name)
        dialog = CompleteActivityDialog(
            activity, self._ctx, self._parent, now=self.clock, account_caption=account
        )

        def write(values: dict[str, Any]) -> str:
            completed: CompleteResult = self._ws.activities.complete_with_next(
                activity.id, **values
            )
            self._announce(completed)

            def undo() -> None:
                self._guarded(lambda: self._ws.activities.undo_complete(completed))

            text = _("{kind} with {account} done.").format(
                kind=label(activity.kind), account=account
            )
            text += " " + self.step_words(completed.next_step)
            self._ctx.notifier.notify(text, undo)
            return activity.id

        dialog.write = write
        return self._open(dialog)

    def plan_follow_up(
        self, account_id: str, offer_id: str | None = None, kind: ActivityKind = ActivityKind.CALL
    ) -> str | None:
        """One click: a follow-up on the next working day at 9:00, with undo."""
        due = next_working_morning(datetime.now().astimezone())
        planned = self._guarded(
            lambda: self._ws.activities.plan(account_id, due, kind=kind, offer_id=offer_id)
        )
        if planned is None:
            return None
        activity_id = planned.id
        self._ctx.notifier.notify(
            _("Follow-up planned for {when}.").format(when=self._ctx.fmt.datetime(due)),
            lambda: self._guarded(lambda: self._ws.activities.delete(activity_id)),
        )
        return activity_id

    def open_recent_changes(self) -> RecentChangesDialog | None:
        """The last changes, each with Undo (from the Journal)."""
        notifier = self._ctx.notifier
        if self._history is None or not isinstance(notifier, RememberingNotifier):
            return None
        return self._open(RecentChangesDialog(self._history, notifier, self._ctx.fmt, self._parent))

    def record_referral(self, referrer_id: str) -> AccountDialog:
        """A new account recommended by ``referrer_id``: the form comes pre-filled."""
        dialog = self.new_account()
        dialog.source.set_value(AccountSource.REFERRAL)
        dialog.referred_by.select_account(referrer_id)
        return dialog

    def mark_done(self, activity: ActivityRow) -> None:
        if self._refused_as_not_mine(activity):
            return
        if self._guarded(lambda: self._ws.activities.mark_done(activity.id)) is None:
            return

        def undo() -> None:
            self._guarded(lambda: self._ws.activities.update(activity.id, {"done_at": None}))

        self._ctx.notifier.notify(
            _("{kind} with {account} marked done.").format(
                kind=label(activity.kind), account=activity.account_name or ""
            ),
            undo,
        )

    def delete_activity(self, activity: ActivityRow) -> None:
        if self._refused_as_not_mine(activity):
            return
        if self._guarded(lambda: self._ws.activities.delete(activity.id)) is None:
            return
        self._ctx.notifier.notify(
            _("{kind} with {account} deleted.").format(
                kind=label(activity.kind), account=activity.account_name or ""
            ),
            lambda: self._guarded(lambda: self._ws.activities.undelete(activity.id)),
        )

    # -- accounts and contacts -------------------------------------------------------------

    def new_account(self) -> AccountDialog:
        dialog = AccountDialog(self._directory, None, self._parent)
        dialog.write = lambda values: self._saved(self._ws.accounts.create(values))
        return self._open(dialog)

    def edit_account(self, account_id: str) -> None:
        def show(current: dict[str, Any]) -> Any:
            dialog = AccountDialog(self._directory, current, self._parent)
            dialog.write = lambda values: self._saved(self._ws.accounts.update(account_id, values))
            return self._open(dialog)

        self._load_record_then(lambda: self._ws.accounts.get(account_id), show)

    def set_temperature(self, account_id: str, temperature: Temperature) -> None:
        self._guarded(lambda: self._ws.accounts.update(account_id, {"temperature": temperature}))

    def delete_account(self, account_id: str, name: str) -> None:
        if self._guarded(lambda: self._ws.accounts.delete(account_id)) is None:
            return
        self._ctx.notifier.notify(
            _("Account {name} deleted.").format(name=name),
            lambda: self._guarded(lambda: self._ws.accounts.undelete(account_id)),
        )

    def new_contact(self, account_id: str) -> ContactDialog:
        dialog = ContactDialog(account_id, None, self._parent)
        dialog.write = lambda values: self._saved(self._ws.contacts.create(values))
        return self._open(dialog)

    def edit_contact(self, account_id: str, contact_id: str) -> None:
        def show(current: dict[str, Any]) -> Any:
            dialog = ContactDialog(account_id, current, self._parent)
            dialog.write = lambda values: self._saved(self._ws.contacts.update(contact_id, values))
            return self._open(dialog)

        self._load_record_then(lambda: self._ws.contacts.get(contact_id), show)

    # -- offers ----------------------------------------------------------------------------

    def new_offer(self, account_id: str | None = None) -> OfferDialog:
        dialog = OfferDialog(self._ctx.fmt, self._directory, account_id, None, self._parent)
        dialog.write = lambda values: self._saved(self._ws.offers.create(values))
        return self._open(dialog)

    def edit_offer(self, offer_id: str) -> None:
        def show(current: dict[str, Any]) -> Any:
            dialog = OfferDialog(self._ctx.fmt, self._directory, None, current, self._parent)
            dialog.write = lambda values: self._saved(self._ws.offers.update(offer_id, values))
            return self._open(dialog)

        self._load_record_then(lambda: self._ws.offers.get(offer_id), show)

    def decide_offer(self, offer: OfferRow, status: OfferStatus = OfferStatus.WON) -> Any:
        if self._refused_as_not_mine(offer):
            return None
        caption = offer.reference or offer.title
        dialog = DecideOfferDialog(self._ctx.fmt, caption, status, self._parent)

        def write(values: dict[str, Any]) -> str:
            self._announce(self._ws.offers.decide(offer.id, **values))
            self._ctx.notifier.notify(
                _("Offer {ref} marked {status}.").format(
                    ref=caption, status=label(values["status"]).lower()
                ),
                lambda: self._guarded(lambda: self._ws.offers.reopen(offer.id)),
            )
            return offer.id

        dialog.write = write
        return self._open(dialog)

    def delete_offer(self, offer: OfferRow) -> None:
        if self._refused_as_not_mine(offer):
            return
        if self._guarded(lambda: self._ws.offers.delete(offer.id)) is None:
            return
        self._ctx.notifier.notify(
            _("Offer {ref} deleted.").format(ref=offer.reference),
            lambda: self._guarded(lambda: self._ws.offers.undelete(offer.id)),
        )

    def _saved(self, written: Written) -> str:
        self._announce(written)
        assert written.id is not None
        return written.id
