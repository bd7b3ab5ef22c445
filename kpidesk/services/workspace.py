"""The services of one open database, built in one place for the app and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from kpidesk.domain.people import Profile
from kpidesk.services.accounts import AccountService, ContactService
from kpidesk.services.activities import ActivityService
from kpidesk.services.coaching import CoachingService
from kpidesk.services.conflicts import ConflictService
from kpidesk.services.debrief import DebriefService
from kpidesk.services.first_run import FirstRunService
from kpidesk.services.kpis import KpiService
from kpidesk.services.local_zone import machine_zone
from kpidesk.services.objectives import ObjectiveService
from kpidesk.services.offers import OfferService
from kpidesk.services.reminders import ReminderService
from kpidesk.services.suggestions import SuggestionService
from kpidesk.store import meta, outbox
from kpidesk.store.database import Database, open_database
from kpidesk.store.profile import read_profile

if TYPE_CHECKING:  # imported when first used: an import, a calendar export
    from kpidesk.services.calendar_export import CalendarExport
    from kpidesk.services.importing.service import ImportService


@dataclass(frozen=True)
class Workspace:
    db: Database
    accounts: AccountService
    contacts: ContactService
    activities: ActivityService
    offers: OfferService
    kpis: KpiService
    objectives: ObjectiveService
    suggestions: SuggestionService
    conflicts: ConflictService
    debrief: DebriefService
    coaching: CoachingService
    reminders: ReminderService
    first_run: FirstRunService
    tz: ZoneInfo
    is_demo: bool

    @property
    def importer(self) -> ImportService:
        """Spreadsheet and CSV import (it holds nothing but the database and the zone)."""
        from kpidesk.services.importing.service import ImportService

        return ImportService(self.db, self.tz)

    def profile(self) -> Profile:
        """Who "me" is on this laptop: user, role, teams led and the colleagues it knows."""
        with self.db.read() as conn:
            return read_profile(conn)

    def pending_changes(self) -> int:
        """Local changes not yet acknowledged by the team server."""
        with self.db.read() as conn:
            return outbox.pending_count(conn)

    def export_calendar(
        self,
        start: datetime | None = None,
        end: datetime | None = None,
        offer_reminders: bool = False,
    ) -> CalendarExport:
        """My planned activities due in [start, end) as an .ics document, in my time zone, and
        with ``offer_reminders`` my open offers' follow-up reminders."""
        from kpidesk.services.calendar_export import export_calendar

        return export_calendar(self.db, self.tz, start, end, offer_reminders=offer_reminders)

    def close(self) -> None:
        self.db.close()


def open_workspace(path: Path, tz: ZoneInfo | None = None, *, create: bool = True) -> Workspace:
    """The services over the database at ``path``; periods in ``tz`` (default: this machine's)."""
    db = open_database(path, create=create)
    with db.read() as conn:
        demo = meta.is_demo(conn)
    tz = tz or machine_zone()
    kpis = KpiService(db, tz)
    accounts, contacts = AccountService(db), ContactService(db)
    activities, offers, objectives = ActivityService(db), OfferService(db), ObjectiveService(db)
    editors = {"account": accounts, "contact": contacts, "activity": activities,
               "offer": offers, "objective": objectives}  # fmt: skip
    return Workspace(
        db=db,
        accounts=accounts,
        contacts=contacts,
        activities=activities,
        offers=offers,
        kpis=kpis,
        objectives=objectives,
        suggestions=SuggestionService(db, kpis),
        conflicts=ConflictService(db, editors),
        debrief=DebriefService(db, activities, tz),
        coaching=CoachingService(db, objectives),
        reminders=ReminderService(db, tz),
        first_run=FirstRunService(db, kpis, objectives),
        tz=tz,
        is_demo=demo,
    )
