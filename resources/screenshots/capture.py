"""Render the main pages to PNG files for the README (`make screenshots`).

Rendering is offscreen (no X server needed) on the demo data set (seed 1) ending on a fixed day,
in French then English: OUTPUT_DIR/fr/*.png and OUTPUT_DIR/en/*.png. The pages read the clock
themselves (today's date, "3 days ago", the running period), so each language is rendered in a
child process under libfaketime (Debian: faketime) started at a fixed instant: the pictures
change only when the pages do. Usage:
    python resources/screenshots/capture.py [OUTPUT_DIR]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

LANGUAGES = ("fr", "en")  # the README shows the French pictures first
DEMO_END = date(2026, 11, 27)  # a Friday: the demo's last day, and "today" in the pictures
# The wall clock stands still at this instant for the whole capture ("read at", "3 min ago", the
# quick log's time); Qt's timers run on the monotonic clock, left real.
FAKE_NOW = "2026-11-27 16:30:00"
CHILD = "--one-language"
OUTCOME = {"fr": "Devis demandé pour le printemps", "en": "Quote requested for the spring"}

PAGES = ("today", "indicators", "pipeline", "accounts", "journal")  # then sync: capture_sync
SIZE = (1360, 820)


def main() -> int:
    """Render each language in its own process: the language is chosen once per process."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    faketime = shutil.which("faketime")
    if faketime is None:
        print("capture: faketime is needed for stable pictures (apt-get install faketime)")
        return 1
    for language in LANGUAGES:
        env = os.environ | {"KPIDESK_LANG": language, "LANG": f"{language}.UTF-8",
                            "TZ": "Europe/Paris", "FAKETIME_DONT_FAKE_MONOTONIC": "1",
                            "KPIDESK_THEME": "light"}  # fmt: skip
        command = [faketime, "-f", FAKE_NOW, sys.executable, __file__, CHILD, language]
        done = subprocess.run([*command, str(out / language)], env=env, check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


def capture(language: str, out: Path) -> int:
    from PySide6.QtCore import QSettings, Qt

    from kpidesk.services.demo import create_demo_database
    from kpidesk.services.workspace import open_workspace
    from kpidesk.ui.app import create_application
    from kpidesk.ui.desktop import build_pages
    from kpidesk.ui.main_window import MainWindow
    from kpidesk.ui.tasks import TaskRunner

    out.mkdir(parents=True, exist_ok=True)
    # A fixed folder name, not a random one: the Settings page shows the database's path.
    tmp = Path(tempfile.gettempdir()) / f"kpidesk-screenshots-{language}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        db = create_demo_database(tmp / "demo.sqlite", 2, 1, DEMO_END).path
        app = create_application()
        workspace = open_workspace(db)
        window = MainWindow(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
        window.setWindowState(Qt.WindowState.WindowNoState)  # not maximized on a small screen
        window.resize(*SIZE)
        window.show()
        desktop = build_pages(window, workspace, TaskRunner(window, synchronous=True))
        desktop.reminders.stop()  # a reminder's notice would stand in every picture
        indicators = desktop.indicators
        for key in PAGES:
            window.show_page(key)
            if key == "indicators":
                # The last whole month: the running one may be only a day old.
                indicators.show_period(indicators.period.previous())
            app.processEvents()
            target = out / f"{key}.png"
            window.grab().save(str(target))
            print(f"wrote {target}")
        window.show_page("indicators")
        indicators.open_detail("conversion")
        app.processEvents()
        window.grab().save(str(out / "indicator_detail.png"))
        indicators.detail.tabs.setCurrentIndex(1)  # the offers counted
        app.processEvents()
        window.grab().save(str(out / "indicator_records.png"))
        indicators.detail.close_panel()
        print(f"wrote {out / 'indicator_detail.png'} and {out / 'indicator_records.png'}")
        _dark_pictures(out, desktop, window, app)
        desktop.accounts.open_account(desktop.directory.snapshot.accounts[3].id)
        window.show_page("accounts")
        app.processEvents()
        window.grab().save(str(out / "account.png"))
        actions = desktop.actions
        dialog = actions.log_activity(desktop.directory.snapshot.accounts[5].id)
        # A visit: "quote requested" is one of its outcomes (a call's list has none such, and
        # the picture showed an empty outcome).
        dialog.kind.set_value("visit")
        app.processEvents()
        dialog.outcome.setCurrentIndex(dialog.outcome.findData("offer_requested"))
        assert dialog.outcome.currentIndex() >= 0, "the quick log picture needs its outcome"
        dialog.notes.setText(OUTCOME[language])
        app.processEvents()
        dialog.grab().save(str(out / "quick_log.png"))
        print(f"wrote {out / 'account.png'} and {out / 'quick_log.png'}")
        _team_pictures(out, tmp, db, desktop, window, app)
        workspace.close()
        _welcome_pictures(out, tmp, app)
        capture_sync(out, tmp, db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def _dark_pictures(out: Path, desktop, window, app) -> None:
    """Today and an indicator's detail (its chart) in the dark theme, then back to light."""
    from kpidesk.ui.theme import theme_of

    theme = theme_of(app)
    theme.apply("dark")
    try:
        window.show_page("today")
        app.processEvents()
        window.grab().save(str(out / "today_dark.png"))
        window.show_page("indicators")
        desktop.indicators.open_detail("conversion")  # drawn again, in the dark colours
        desktop.indicators.detail.tabs.setCurrentIndex(0)  # its chart
        app.processEvents()
        window.grab().save(str(out / "indicator_detail_dark.png"))
        desktop.indicators.detail.close_panel()
    finally:
        theme.apply("light")
    print(f"wrote {out / 'today_dark.png'} and {out / 'indicator_detail_dark.png'}")


class _PictureSession:
    """Stands in for the sync session: a laptop signed in to a team server, synced a few
    minutes ago (no server is needed to draw the pages, and nothing is sent anywhere)."""

    def __init__(self, db, signed_in: bool) -> None:
        self._db = db
        self._signed_in = signed_in

    def status(self):
        from datetime import UTC, datetime, timedelta

        from kpidesk.domain.timeutil import to_wire
        from kpidesk.store import outbox
        from kpidesk.sync.session import SyncStatus

        with self._db.read() as conn:
            pending = outbox.pending_count(conn)
        synced = datetime.now(UTC) - timedelta(minutes=3)
        return SyncStatus(
            server_url="https://kpidesk.example.com" if self._signed_in else None,
            username="claire",
            signed_in=self._signed_in,
            pending=pending,
            cursor=1,
            last_sync_at=to_wire(synced) if self._signed_in else None,
            is_demo=False,
        )

    def client(self):
        from kpidesk.sync.errors import ProblemKind, SyncProblemError

        raise SyncProblemError(ProblemKind.OFFLINE, "not in a screenshot")

    def connection(self):
        return _PictureConnection()


class _PictureConnection:
    """The team server as Settings > Sharing asks it: nothing shared beyond the pipeline."""

    def get_json(self, path, params=None):
        return {"activities": False}

    def put_json(self, path, payload):
        return payload

    def get_if_changed(self, path, etag, params=None):
        return None

    def close(self) -> None:
        pass


TEAM = (("Camille", None), ("Julien", 2), ("Sophie", 3))  # the demo's rep, and two more


def _welcome_pictures(out: Path, tmp: Path, app) -> None:
    """A first start on an empty database: the welcome screen, "start with my own data" with
    a name typed, and the tour's first step."""
    from PySide6.QtCore import QSettings, Qt

    from kpidesk.services.workspace import open_workspace
    from kpidesk.ui.desktop import build_pages
    from kpidesk.ui.first_run import FirstRunFlow
    from kpidesk.ui.main_window import MainWindow
    from kpidesk.ui.tasks import TaskRunner

    workspace = open_workspace(tmp / "empty.sqlite")
    settings = QSettings(str(tmp / "welcome.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*SIZE)
    window.show()
    desktop = build_pages(window, workspace, TaskRunner(window, synchronous=True))
    flow = FirstRunFlow(desktop, settings, tmp / "kpidesk-demo.sqlite")
    flow.start()
    app.processEvents()
    window.grab().save(str(out / "welcome.png"))
    assert flow.welcome is not None
    flow.welcome.show_start_form()
    flow.welcome.start_form.name.setText("Claire Martin")
    flow.welcome.start_form.targets["conversion"].setValue(40)
    app.processEvents()
    window.grab().save(str(out / "welcome_start.png"))
    flow.show_tour()
    assert flow.tour is not None
    app.processEvents()
    flow.tour.grab().save(str(out / "tour.png"))
    print(f"wrote {out / 'welcome.png'}, {out / 'welcome_start.png'} and {out / 'tour.png'}")
    flow.tour.reject()
    desktop.sync.shutdown()
    window.close()
    settings.sync()  # now, before the folder is removed (see the sign-in pictures)
    workspace.close()


def _team_pictures(out: Path, tmp: Path, db: Path, desktop, window, app) -> None:
    """The Team page of a manager leading Camille (the demo's rep) and two colleagues made
    from other seeds, then Camille's "What my manager sees", from the team view the server
    would send (computed here by the same function)."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from kpidesk.domain.changes import Changes, Kind
    from kpidesk.domain.coaching import TeamPage, rep_quality
    from kpidesk.domain.periods import period_containing
    from kpidesk.protocol.coaching import COACHING_PERIOD_KINDS, CoachingReply, PeriodView
    from kpidesk.services.demo import create_demo_database
    from kpidesk.store.coaching import write_coaching
    from kpidesk.ui.pages.team import TeamMode

    now, paris = datetime.now(UTC), ZoneInfo("Europe/Paris")
    books = []
    for name, seed in TEAM:
        path = (
            db
            if seed is None
            else create_demo_database(tmp / f"{name}.sqlite", 1, seed, DEMO_END).path
        )
        books.append(_book(path, name))
    views = []
    for kind in COACHING_PERIOD_KINDS:
        period = period_containing(kind, now, paris)
        reps = tuple(rep_quality(book, period, now) for book in books)
        views.append(PeriodView(period_kind=kind, teams=[TeamPage("t", "Lyon Nord", reps)],
                                mine=reps[0]))  # fmt: skip
    reply = CoachingReply(made_at=now, time_zone=paris.key, views=views, proposals=[])
    with desktop.ctx.workspace.db.write() as conn:
        write_coaching(conn, reply, '"picture"')
    desktop.ctx.events.announce(Changes.of([Kind.COACHING]))
    window.show_page("team")
    app.processEvents()
    window.grab().save(str(out / "team.png"))
    team = desktop.team
    team.mode.setCurrentIndex(team.mode.findData(TeamMode.MY_MANAGER.value))
    app.processEvents()
    window.grab().save(str(out / "team_mine.png"))
    print(f"wrote {out / 'team.png'} and {out / 'team_mine.png'}")


def _book(path: Path, name: str):
    """One rep's live rows as the server reads them into the team view."""
    import sqlalchemy as sa

    from kpidesk.domain.coaching import BookAccount, BookActivity, BookObjective, BookOffer, RepBook
    from kpidesk.store.database import open_database
    from kpidesk.store.tables import metadata

    database = open_database(path, create=False)

    def live(conn, table):
        t = metadata.tables[table]
        return conn.execute(sa.select(t).where(t.c.cl % 2 == 1)).all()

    try:
        with database.read() as conn:
            return RepBook(
                name, name, name == "Camille",
                tuple(BookAccount(r.id, r.name, r.status, r.temperature, r.created_at, r.city)
                      for r in live(conn, "account")),
                tuple(BookOffer(r.id, r.account_id, r.reference or r.title, r.amount_cents,
                                r.currency, r.status, r.sent_at, r.decided_at, r.probability)
                      for r in live(conn, "offer")),
                tuple(BookActivity(r.id, r.account_id, r.offer_id, r.kind, r.purpose, r.due_at,
                                   r.done_at) for r in live(conn, "activity")),
                tuple(BookObjective(r.kpi_key, r.period_kind, r.target)
                      for r in live(conn, "objective")),
            )  # fmt: skip
    finally:
        database.close()


def _sample_conflicts(workspace) -> None:
    """Three conflicts as a sync would record them: an offer's amount, an account's
    temperature, the time of a visit (from this rep's other computer)."""
    from datetime import UTC, datetime, timedelta

    import sqlalchemy as sa

    from kpidesk.domain.timeutil import to_wire
    from kpidesk.store.queries import ActivityFilter, OfferFilter
    from kpidesk.store.tables import sync_conflict

    offer = next(o for o in workspace.offers.list(OfferFilter()) if o.status == "sent")
    visit = next(
        a for a in workspace.activities.list(ActivityFilter()) if a.kind == "visit" and a.done_at
    )
    now = datetime.now(UTC)
    rows = [
        ("offer", offer.id, "amount_cents", offer.amount_cents + 50_000, offer.amount_cents,
         "sophie.martin", "theirs"),
        ("account", offer.account_id, "temperature", "hot", "warm", "sophie.martin", "yours"),
        ("activity", visit.id, "done_at", to_wire(visit.done_at - timedelta(hours=1)),
         to_wire(visit.done_at), "claire", "theirs"),
    ]  # fmt: skip
    with workspace.db.write() as conn:
        for table, row_id, field, yours, theirs, author, kept in rows:
            conn.execute(
                sa.insert(sync_conflict).values(
                    table_name=table, row_id=row_id, field=field, yours=yours, theirs=theirs,
                    their_author=author, kept=kept, server_version=1, received_at=now,
                )
            )  # fmt: skip


def capture_sync(out: Path, tmp: Path, demo_db: Path) -> None:
    """Settings (signed in, and the sign-in form) and the Conflicts view, on a copy of the
    demo data that is not flagged as a demo (a demo database is never synced)."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from kpidesk.services.workspace import open_workspace
    from kpidesk.store import meta
    from kpidesk.store.database import backup_to, open_database
    from kpidesk.ui.desktop import build_pages
    from kpidesk.ui.main_window import MainWindow
    from kpidesk.ui.sync_state import SyncTimings
    from kpidesk.ui.tasks import TaskRunner

    app = QApplication.instance()
    calm = SyncTimings(every=3_600_000, after_change=3_600_000, at_start=3_600_000)
    for name, signed_in in (("synced", True), ("not_connected", False)):
        path = backup_to(demo_db, tmp / f"{name}.sqlite")
        db = open_database(path)
        with db.write() as conn:
            meta.delete(conn, meta.IS_DEMO)
        db.close()
        workspace = open_workspace(path)
        if signed_in:
            _sample_conflicts(workspace)
        settings = QSettings(str(tmp / f"{name}.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings)
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(*SIZE)
        window.show()
        desktop = build_pages(
            window, workspace, TaskRunner(window, synchronous=True),
            sync_session=_PictureSession(workspace.db, signed_in), sync_timings=calm,
        )  # fmt: skip
        desktop.reminders.stop()
        window.show_page("settings")
        app.processEvents()
        if signed_in:
            window.grab().save(str(out / "settings_synced.png"))
            desktop.sync_status.conflicts.linkActivated.emit("#conflicts")
            app.processEvents()
            desktop.conflicts_dialog.grab().save(str(out / "conflicts.png"))
            print(f"wrote {out / 'settings_synced.png'} and {out / 'conflicts.png'}")
        else:
            form = desktop.settings.server.form
            form.server.setText("https://kpidesk.example.com")
            form.username.setText("claire")
            form.password.setText("not her password")
            from kpidesk.presentation import _

            wrong = _("Wrong username or password (or the account is disabled).")
            form.errors.show_texts([("password", wrong)])
            app.processEvents()
            window.grab().save(str(out / "settings_sign_in.png"))
            print(f"wrote {out / 'settings_sign_in.png'}")
        desktop.sync.shutdown()
        window.close()
        # Written now: else QSettings writes the file when it is destroyed at exit, after the
        # folder was removed, and leaves it behind.
        settings.sync()
        workspace.close()


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == CHILD:
        sys.exit(capture(sys.argv[2], Path(sys.argv[3])))
    sys.exit(main())
