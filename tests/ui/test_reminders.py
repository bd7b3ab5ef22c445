"""Reminders in the running app: the tray menu's actions, the notification (a fake tray icon,
as offscreen Qt has no system tray), the window's fallback, and the Settings box."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QSystemTrayIcon

from kpidesk.domain.reminders import ReminderSettings
from kpidesk.services.autostart import XdgAutostart
from kpidesk.services.workspace import open_workspace
from kpidesk.ui.app import create_application
from kpidesk.ui.desktop import build_pages
from kpidesk.ui.main_window import MainWindow
from kpidesk.ui.pages.reminders_box import RemindersBox
from kpidesk.ui.tasks import TaskRunner

PARIS = ZoneInfo("Europe/Paris")
WEDNESDAY_10 = datetime(2026, 12, 2, 10, 0, tzinfo=PARIS)


def shown_time(minutes_from_ten: int) -> str:
    """The clock time as the app shows every time: in the machine's zone."""
    return (WEDNESDAY_10 + timedelta(minutes=minutes_from_ten)).astimezone().strftime("%H:%M")


class FakeTrayIcon(QObject):
    """QSystemTrayIcon's methods and signals that kpidesk uses, recording the messages."""

    activated = Signal(QSystemTrayIcon.ActivationReason)
    messageClicked = Signal()

    def __init__(self):
        super().__init__()
        self.messages: list[tuple[str, str]] = []
        self.menu = None
        self.visible = False

    def setIcon(self, icon):
        assert not icon.isNull()

    def setToolTip(self, text):
        self.tooltip = text

    def setContextMenu(self, menu):
        self.menu = menu

    def show(self):
        self.visible = True

    def hide(self):
        self.visible = False

    def showMessage(self, title, text, icon, msecs):
        self.messages.append((title, text))


@pytest.fixture
def paris_ws(db_path):
    ws = open_workspace(db_path, PARIS)
    yield ws
    ws.close()


def _app(qtbot, tmp_path, ws, tray, clock=lambda: WEDNESDAY_10):
    create_application()
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return build_pages(
        window, ws, TaskRunner(window, synchronous=True),
        tray_icon=lambda parent: tray, reminder_clock=clock,
    )  # fmt: skip


def test_a_planned_call_due_soon_raises_one_notification(qtbot, tmp_path, paris_ws):
    garage = paris_ws.accounts.create({"name": "Garage Moreau"}).id
    paris_ws.activities.plan(garage, WEDNESDAY_10 + timedelta(minutes=10))
    tray = FakeTrayIcon()
    app = _app(qtbot, tmp_path, paris_ws, tray)
    qtbot.waitUntil(lambda: len(tray.messages) == 1)
    title, text = tray.messages[0]
    assert title == "Call with Garage Moreau"
    assert text == f"{shown_time(10)}, in 10 minutes"
    app.reminders.check()  # the next minute: the same call is not shown again
    app.reminders.check()
    assert len(tray.messages) == 1
    assert app.window.toast.isHidden()  # the notification, not the window's bar


def test_a_closed_window_checks_no_more_reminders(qtbot, tmp_path, paris_ws):
    """The workspace is closed after its window: a check after that would find no database
    (a traceback in the log, every minute, in a language switch's second window)."""
    garage = paris_ws.accounts.create({"name": "Garage Moreau"}).id
    paris_ws.activities.plan(garage, WEDNESDAY_10 + timedelta(minutes=10))
    tray = FakeTrayIcon()
    app = _app(qtbot, tmp_path, paris_ws, tray)
    assert app.reminders.timer.isActive()
    app.window.close()  # before the event loop ran the first check
    qtbot.wait(50)
    assert not app.reminders.timer.isActive()
    assert tray.messages == []  # the call is due soon, but nothing asked the database


def test_several_at_once_are_one_notification_listing_them(qtbot, tmp_path, paris_ws):
    for name, minutes in (("Garage Moreau", 5), ("Hôtel du Lac", -20)):
        account = paris_ws.accounts.create({"name": name}).id
        paris_ws.activities.plan(account, WEDNESDAY_10 + timedelta(minutes=minutes))
    tray = FakeTrayIcon()
    _app(qtbot, tmp_path, paris_ws, tray)
    qtbot.waitUntil(lambda: len(tray.messages) == 1)
    title, text = tray.messages[0]
    assert title == "2 planned activities due soon or overdue"  # one of each
    assert text.splitlines() == [
        f"{shown_time(-20)} (now overdue): call with Hôtel du Lac",
        f"{shown_time(5)}, in 5 minutes: call with Garage Moreau",
    ]


def test_without_a_tray_the_reminder_stays_in_the_window(qtbot, tmp_path, paris_ws):
    garage = paris_ws.accounts.create({"name": "Garage Moreau"}).id
    paris_ws.activities.plan(garage, WEDNESDAY_10 + timedelta(minutes=10))
    app = _app(qtbot, tmp_path, paris_ws, None)
    qtbot.waitUntil(lambda: app.window.toast.isVisible())
    assert app.window.toast.property("kind") == "reminder"
    assert app.window.toast.text().startswith(f"Call with Garage Moreau\n{shown_time(10)}")
    assert not app.tray.available


def test_outside_working_hours_nothing_is_shown(qtbot, tmp_path, paris_ws):
    garage = paris_ws.accounts.create({"name": "Garage Moreau"}).id
    evening = WEDNESDAY_10.replace(hour=19)
    paris_ws.activities.plan(garage, evening + timedelta(minutes=5))
    tray = FakeTrayIcon()
    app = _app(qtbot, tmp_path, paris_ws, tray, clock=lambda: evening)
    app.reminders.check()
    qtbot.wait(20)
    assert tray.messages == []


def test_the_tray_menu_actions(qtbot, tmp_path, paris_ws, monkeypatch):
    from kpidesk.ui.sync_controller import SyncController

    asked = []
    # Before the app is built, so the tray's Sync now is connected to this one.
    monkeypatch.setattr(SyncController, "sync_now", lambda self: asked.append(self))
    tray = FakeTrayIcon()
    app = _app(qtbot, tmp_path, paris_ws, tray)
    assert tray.visible and tray.menu is app.tray.menu
    texts = [a.text().replace("&", "") for a in tray.menu.actions() if not a.isSeparator()]
    assert texts == ["Quick log…", "Today", "Sync now", "Show kpidesk", "Quit kpidesk"]
    assert all(not a.icon().isNull() for a in app.tray.actions.values())
    app.window.show_page("journal")
    app.tray.actions["today"].trigger()
    assert app.window.current_page_key() == "today"
    app.tray.actions["quick_log"].trigger()
    assert type(app.actions.last_dialog).__name__ == "QuickLogDialog"
    app.actions.last_dialog.reject()
    app.tray.actions["sync"].trigger()
    assert asked == [app.sync]
    app.window.showMinimized()
    app.tray.actions["show"].trigger()
    assert not app.window.isMinimized()
    app.window.show_page("journal")
    tray.messageClicked.emit()  # a click on the notification opens Today
    assert app.window.current_page_key() == "today"
    app.tray.actions["quit"].trigger()
    assert not app.window.isVisible()


def test_the_settings_box_saves_reminders_and_start_at_login(qtbot, tmp_path, paris_ws):
    from kpidesk.ui.context import UiContext
    from kpidesk.ui.events import DataEvents
    from kpidesk.ui.widgets.toast import ToastBar

    create_application()
    toast = ToastBar()
    qtbot.addWidget(toast)
    starter = XdgAutostart(["/usr/bin/kpidesk"], config_home=tmp_path / "cfg")
    from kpidesk.presentation import Formatter

    ctx = UiContext(paris_ws, TaskRunner(toast, synchronous=True), DataEvents(toast),
                    Formatter(), toast)  # fmt: skip
    box = RemindersBox(ctx, starter)
    qtbot.addWidget(box)
    box.refresh()
    assert box.enabled.isChecked() and box.lead.value() == 15
    assert not box.at_login.isChecked() and not starter.path.exists()  # off by default
    box.lead.setValue(30)
    box.at_login.setChecked(True)
    box.save_button.click()
    assert paris_ws.reminders.settings() == ReminderSettings(True, 30)
    assert starter.is_enabled()
    assert toast.text() == "Reminder settings saved."
    box.enabled.setChecked(False)
    assert not box.lead.isEnabled()
    box.at_login.setChecked(False)
    box.save_button.click()
    assert paris_ws.reminders.settings() == ReminderSettings(False, 30)
    assert not starter.path.exists()


def test_a_refused_lead_time_changes_nothing(qtbot, tmp_path, paris_ws, monkeypatch):
    from kpidesk.presentation import Formatter
    from kpidesk.ui.context import UiContext
    from kpidesk.ui.events import DataEvents
    from kpidesk.ui.pages import reminders_box
    from kpidesk.ui.widgets.toast import ToastBar

    create_application()
    toast = ToastBar()
    qtbot.addWidget(toast)
    starter = XdgAutostart(["/usr/bin/kpidesk"], config_home=tmp_path / "cfg")
    ctx = UiContext(paris_ws, TaskRunner(toast, synchronous=True), DataEvents(toast),
                    Formatter(), toast)  # fmt: skip
    box = RemindersBox(ctx, starter)
    qtbot.addWidget(box)
    # The spin box cannot go out of range: what the form sends is forced here.
    monkeypatch.setattr(
        box, "entered", lambda: reminders_box.Shown(ReminderSettings(True, 0), True)
    )
    box.save_button.click()
    assert "1 to 240 minutes" in box.errors.text_for("lead_minutes")
    assert paris_ws.reminders.settings() == ReminderSettings()
    assert not starter.path.exists()


def test_the_reminders_box_is_in_settings(desktop):
    boxes = [s for s in desktop.settings.sections if isinstance(s, RemindersBox)]
    assert len(boxes) == 1
    assert desktop.settings.sections.index(boxes[0]) < desktop.settings.sections.index(
        desktop.settings.about
    )
