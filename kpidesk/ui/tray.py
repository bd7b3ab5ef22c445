"""The system tray icon and its menu: Quick log, Today, Sync now, Show, Quit; and the desktop
notification a reminder raises (``QSystemTrayIcon.showMessage``).

Where the platform has no tray (some Linux desktops, Qt's offscreen platform) there is no icon:
``notify`` returns False and the caller shows the reminder in the window instead. Tests pass a
fake icon with the same methods and signals.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from kpidesk.presentation import _
from kpidesk.ui import icons, theme

MESSAGE_MS = 15_000


def system_tray_icon(parent: QObject) -> QSystemTrayIcon | None:
    """A real tray icon, or None where the system shows none."""
    return QSystemTrayIcon(parent) if QSystemTrayIcon.isSystemTrayAvailable() else None


class DesktopTray(QObject):
    """Signals:
    sig_quick_log_requested: the rep chose Quick log in the tray menu.
    sig_today_requested: Today, or a click on a reminder's notification.
    sig_sync_requested: Sync now.
    sig_show_requested: Show kpidesk, or a click on the icon.
    sig_quit_requested: Quit.
    """

    sig_quick_log_requested = Signal()
    sig_today_requested = Signal()
    sig_sync_requested = Signal()
    sig_show_requested = Signal()
    sig_quit_requested = Signal()

    def __init__(self, window: QWidget, icon: Any | None) -> None:
        super().__init__(window)
        self.icon = icon  # a QSystemTrayIcon, a test's fake, or None (no tray here)
        self.menu = QMenu(window)
        self.actions: dict[str, QAction] = {}
        for key, text, signal in (
            ("quick_log", _("&Quick log…"), self.sig_quick_log_requested),
            ("today", _("&Today"), self.sig_today_requested),
            ("sync", _("&Sync now"), self.sig_sync_requested),
            ("show", _("Show &kpidesk"), self.sig_show_requested),
            ("quit", _("&Quit kpidesk"), self.sig_quit_requested),
        ):
            if key == "show":
                self.menu.addSeparator()
            action = self.menu.addAction(text)
            action.triggered.connect(signal.emit)
            self.actions[key] = action
        self._tint()
        current = theme.theme_of()
        if current is not None:
            current.sig_changed.connect(self._on_theme_changed)
        if icon is not None:
            icon.setIcon(icons.app_icon())
            icon.setToolTip(_("kpidesk"))
            icon.setContextMenu(self.menu)
            icon.activated.connect(self._on_icon_activated)
            icon.messageClicked.connect(self.sig_today_requested.emit)
            icon.show()

    @property
    def available(self) -> bool:
        return self.icon is not None

    def notify(self, title: str, text: str) -> bool:
        """A desktop notification; False when there is no tray to raise it from."""
        if self.icon is None:
            return False
        self.icon.showMessage(title, text, icons.app_icon(), MESSAGE_MS)
        return True

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()

    def _tint(self) -> None:
        for key, action in self.actions.items():
            action.setIcon(icons.icon(key))

    def _on_theme_changed(self, _name: str) -> None:
        self._tint()

    def _on_icon_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.sig_show_requested.emit()
