"""The debrief inbox: past appointments of the rep's calendar that no logged activity covers.

An appointment matched to one of my accounts is covered when I logged an activity on that
account within two hours of it; one matched to none, by any activity of mine within half an
hour (the rep logged it under the account they knew it was). Each entry
is matched to one of my accounts where the calendar allows: the account's name in the summary
or the location, else an attendee's e-mail domain that only one account uses. Nothing is
written until the rep confirms an entry: logging goes through the quick log (so it syncs),
dismissing is remembered in the local ``setting`` table (never synced).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from kpidesk.domain.checks import Problem
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.outcomes import OUTCOMES_BY_KIND, Outcome
from kpidesk.domain.timeutil import utc_now
from kpidesk.domain.vocabulary import AccountStatus, ActivityKind, ActivityPurpose
from kpidesk.services.activities import ActivityService, QuickLogEntry, QuickLogResult
from kpidesk.services.calendar_read import Appointment, read_calendar
from kpidesk.services.errors import InvalidInputError
from kpidesk.store.calendar_queries import AccountHint, my_account_hints, my_done_times
from kpidesk.store.database import Database
from kpidesk.store.queries import get_row
from kpidesk.store.settings import read_settings, write_setting

DEFAULT_DAYS = 14
SAME_ACCOUNT = timedelta(hours=2)
ANY_ACCOUNT = timedelta(minutes=30)
DISMISSED_PREFIX = "debrief.dismissed."

# Free mail domains say nothing about the company an attendee works for.
PUBLIC_MAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "outlook.fr", "hotmail.com", "hotmail.fr",
    "live.com", "live.fr", "yahoo.com", "yahoo.fr", "icloud.com", "me.com", "aol.com",
    "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "gmx.fr", "gmx.com",
    "proton.me", "protonmail.com",
})  # fmt: skip


@dataclass(frozen=True)
class DebriefEntry:
    appointment: Appointment
    account_id: str | None
    account_name: str | None


@dataclass(frozen=True)
class DebriefInbox:
    path: Path
    entries: list[DebriefEntry]
    left_out: list[Message]


class DebriefService:
    def __init__(self, db: Database, activities: ActivityService, tz: ZoneInfo) -> None:
        self._db, self._activities, self._tz = db, activities, tz

    def inbox(
        self, path: Path, days: int = DEFAULT_DAYS, now: datetime | None = None
    ) -> DebriefInbox:
        """The past appointments of the last ``days`` days that still need a debrief.

        Reads only: the file is parsed before the database is looked at, and nothing is written.
        """
        now = now or utc_now()
        start = now - timedelta(days=days)
        read = read_calendar(path, self._tz, start, now)
        with self._db.read() as conn:
            hints = my_account_hints(conn)
            done = my_done_times(conn, start - SAME_ACCOUNT - timedelta(days=1), now + SAME_ACCOUNT)
            dismissed = read_settings(conn, DISMISSED_PREFIX)
        entries = []
        for appointment in read.appointments:
            if DISMISSED_PREFIX + appointment.key in dismissed:
                continue
            account = match_account(appointment, hints)
            if appointment.all_day and account is None:
                continue  # a holiday or a birthday, not an appointment with a customer
            if _covered(appointment, account, done):
                continue
            entries.append(
                DebriefEntry(appointment, account.id if account else None,
                             account.name if account else None)
            )  # fmt: skip
        return DebriefInbox(path, entries, read.left_out)

    def log(
        self,
        entry: DebriefEntry,
        kind: ActivityKind,
        outcome: Outcome | None = None,
        account_id: str | None = None,
        new_account_name: str | None = None,
    ) -> QuickLogResult:
        """The appointment as a logged activity at its own time, through the quick log.

        The account is the one the rep chose (``account_id``, or a new prospect they explicitly
        asked for by ``new_account_name``), else the one matched; the outcome is one of the
        kind's structured outcomes, so the debriefed activity counts like any other.
        """
        if outcome is not None and outcome not in OUTCOMES_BY_KIND.get(kind, ()):
            raise InvalidInputError([Problem("outcome", Message(
                N_("This outcome does not apply to this kind of activity.")))])  # fmt: skip
        account_id = account_id or (None if new_account_name else entry.account_id)
        if account_id is None and not (new_account_name or "").strip():
            raise InvalidInputError([Problem("account_id", Message(
                N_("Choose the account of this appointment first.")))])  # fmt: skip
        appointment = entry.appointment
        purpose = self._purpose(account_id)
        notes = appointment.summary
        if appointment.location:
            notes = f"{notes}\n{appointment.location}" if notes else appointment.location
        return self._activities.quick_log(
            QuickLogEntry(
                kind=kind,
                purpose=purpose,
                account_id=account_id,
                new_account_name=None if account_id else new_account_name,
                done_at=appointment.start,
                outcome=outcome.value if outcome is not None else None,
                notes=notes or None,
                follow_up_in_days=None,  # the rep plans the next step themselves
            )
        )

    def _purpose(self, account_id: str | None) -> ActivityPurpose:
        """As the quick log proposes it: prospecting with a suspect, a prospect or a new one,
        account management with a client (so a debriefed visit counts where a logged one does)."""
        if account_id is None:
            return ActivityPurpose.PROSPECTING
        with self._db.read() as conn:
            row = get_row(conn, "account", account_id)
        status = row.get("status") if row else None
        if status in (AccountStatus.SUSPECT, AccountStatus.PROSPECT):
            return ActivityPurpose.PROSPECTING
        return ActivityPurpose.ACCOUNT_MANAGEMENT

    def dismiss(self, entry: DebriefEntry, now: datetime | None = None) -> None:
        """Never list this appointment again (on this laptop)."""
        with self._db.write() as conn:
            key = DISMISSED_PREFIX + entry.appointment.key
            write_setting(conn, key, (now or utc_now()).isoformat())


def _folded(text: str) -> str:
    """Lower case without accents: "Société Générale" is found in "societe generale"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_account(appointment: Appointment, hints: list[AccountHint]) -> AccountHint | None:
    """The account the appointment is with: a name in its words (the longest wins, so
    "ACME Lyon" beats "ACME"; two accounts of that name match none), else the one account
    using an attendee's mail domain."""
    words = f" {_folded(appointment.summary)} {_folded(appointment.location)} "
    named = [
        h for h in hints if len(h.name.strip()) >= 3 and _contains_word(words, _folded(h.name))
    ]
    if named:
        longest = max(len(_folded(h.name).strip()) for h in named)
        best = [h for h in named if len(_folded(h.name).strip()) == longest]
        # Two accounts of the same name (two "Garage Moreau" in two cities): never a guess,
        # the rep picks one in the dialog.
        return best[0] if len({_folded(h.name).strip() for h in best}) == len(best) == 1 else None
    domains = appointment.attendee_domains - PUBLIC_MAIL
    by_domain = [h for h in hints if h.email_domains & domains]
    return by_domain[0] if len(by_domain) == 1 else None


def _contains_word(words: str, name: str) -> bool:
    at = words.find(name.strip())
    while at != -1:
        before, after = words[at - 1], words[at + len(name.strip()) :][:1]
        if not before.isalnum() and not after.isalnum():
            return True
        at = words.find(name.strip(), at + 1)
    return False


def _covered(
    appointment: Appointment, account: AccountHint | None, done: list[tuple[datetime, str]]
) -> bool:
    if appointment.all_day:
        # A day-long event (a trade fair) is covered by anything logged on its account that day.
        return account is not None and any(
            appointment.start <= at < appointment.end and account_id == account.id
            for at, account_id in done
        )
    for at, account_id in done:
        gap = abs(at - appointment.start)
        if account is None and gap <= ANY_ACCOUNT:
            return True
        # A matched appointment is covered by its own account only: a call to another customer
        # logged between two visits says nothing of this one.
        if account is not None and account_id == account.id and gap <= SAME_ACCOUNT:
            return True
    return False
