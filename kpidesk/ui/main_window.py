"""The main window: navigation, pages, status bar, shortcuts, and the toast bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kpidesk.presentation import Formatter, _
from kpidesk.ui import icons
from kpidesk.ui.widgets.nav_delegate import SHORTCUT_ROLE, NavDelegate
from kpidesk.ui.widgets.toast import ToastBar

PAGE_KEYS = ("today", "indicators", "pipeline", "accounts", "journal", "team", "settings")


SMALL_SCREEN = (1440, 900)  # a laptop screen: the window opens maximized on it


class MainWindow(QMainWindow):
    """The shell is shown first (fast start); pages are added once the data is open.

    Signals:
        sig_quick_log_requested: the rep pressed Ctrl+L (or the button) to log an activity.
        sig_shortcuts_requested: the rep asked for the shortcut sheet (F1 or Ctrl+/).
        sig_sync_requested: the rep asked to sync with the team server now (Ctrl+Shift+S).
        sig_undo_requested: the rep pressed Ctrl+Z outside a text field: undo the last change.
        sig_import_requested: the rep chose File > Import… (Ctrl+I).
        sig_tour_requested: the rep chose Help > Take the tour.
        sig_closed: the window was closed (accepted): what runs on a clock for it stops, so
            nothing touches its workspace once that is closed.
        sig_page_built: a page added with :meth:`add_page_builder` was built (its key).
    """

    sig_quick_log_requested = Signal()
    sig_shortcuts_requested = Signal()
    sig_sync_requested = Signal()
    sig_undo_requested = Signal()
    sig_import_requested = Signal()
    sig_tour_requested = Signal()
    sig_closed = Signal()
    sig_page_built = Signal(str)

    def __init__(self, settings: QSettings, title_suffix: str = "") -> None:
        super().__init__()
        self._settings = settings
        self.setWindowTitle(_("kpidesk") + title_suffix)
        self.setMinimumSize(900, 560)
        self._nav = QListWidget()
        self._nav.setObjectName("nav")
        self._nav.setFixedWidth(200)
        self._nav.setItemDelegate(NavDelegate(self._nav))
        self._nav.setAccessibleName(_("Pages"))
        self.setWindowIcon(icons.app_icon())
        self._nav.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._stack = QStackedWidget()
        self._pages: dict[str, QWidget] = {}  # a placeholder until a builder's page is built
        self._builders: dict[str, Callable[[], QWidget]] = {}
        self.toast = ToastBar()
        self._stack.addWidget(self._loading_view())
        self._welcome: QWidget | None = None

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(0)
        right_layout.addWidget(self._stack, 1)
        right_layout.addWidget(self.toast)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._nav)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)

        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncState")
        self.statusBar().addPermanentWidget(self.sync_label)
        self._nav.currentRowChanged.connect(self._on_nav_row_changed)
        self._install_menus()
        self._install_shortcuts()
        self._restore_geometry()

    def _loading_view(self) -> QWidget:
        view = QWidget()
        self.loading_text = QLabel(_("Opening your data…"))
        self.loading_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.loading_text.setObjectName("emptyState")
        # Shown only for work that takes seconds (the demo being built): never a still window.
        self.loading_progress = QProgressBar()
        self.loading_progress.setRange(0, 100)
        self.loading_progress.setMaximumWidth(420)
        self.loading_progress.hide()
        layout = QVBoxLayout(view)
        layout.addStretch(1)
        layout.addWidget(self.loading_text)
        layout.addWidget(self.loading_progress, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        return view

    def set_loading_progress(self, text: str, share: float) -> None:
        self.loading_text.setText(text)
        self.loading_progress.show()
        self.loading_progress.setValue(round(100 * share))
        self.loading_progress.setFormat(Formatter().percent(share))  # "31 %" in French

    def mark_demo(self, banner: QWidget) -> None:
        """Demo data is open: said in the title and, with the way back, in the status bar."""
        self.setWindowTitle(_("kpidesk — demo data"))
        self.statusBar().addWidget(banner)

    # -- welcome ---------------------------------------------------------------------------

    def show_welcome(self, welcome: QWidget) -> None:
        """The welcome screen in place of the pages (and their list) until the rep chooses."""
        if self._welcome is None:
            self._welcome = welcome
            self._stack.addWidget(welcome)
        self._nav.hide()
        self._stack.setCurrentWidget(welcome)

    def leave_welcome(self, key: str = "today") -> None:
        self._nav.show()
        self._nav.setCurrentRow(-1)  # so that show_page shows the page even when it was current
        self.show_page(key)

    def welcome_shown(self) -> bool:
        return self._welcome is not None and self._stack.currentWidget() is self._welcome

    # -- pages -----------------------------------------------------------------------------

    def add_page(self, key: str, title: str, page: QWidget) -> None:
        self._add_nav_item(key, title)
        self._stack.addWidget(page)
        self._pages[key] = page

    def add_page_builder(self, key: str, title: str, build: Callable[[], QWidget]) -> None:
        """A page built on its first visit or first use (:meth:`page`): the start-up builds
        only the page shown. Its place in the list, its shortcut and its title are there at
        once; a placeholder holds its place in the stack until then."""
        self.add_page(key, title, QWidget())
        self._builders[key] = build

    def is_built(self, key: str) -> bool:
        return key in self._pages and key not in self._builders

    def unbuilt_pages(self) -> list[str]:
        return list(self._builders)

    def _add_nav_item(self, key: str, title: str) -> None:
        position = len(self._pages) + 1
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, key)
        shortcut = QKeySequence(f"Ctrl+{position}").toString(QKeySequence.SequenceFormat.NativeText)
        item.setData(SHORTCUT_ROLE, shortcut)
        item.setToolTip(_("{title} ({keys})").format(title=title, keys=shortcut))
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, shortcut)
        if key in icons.ICON_NAMES:
            item.setIcon(icons.icon(key, "nav_text"))
        self._nav.addItem(item)

    def page(self, key: str) -> QWidget:
        """The page, built now if it was not yet."""
        build = self._builders.pop(key, None)
        if build is not None:
            placeholder = self._pages[key]
            page = build()
            self._stack.insertWidget(self._stack.indexOf(placeholder), page)
            if self._stack.currentWidget() is placeholder:
                self._stack.setCurrentWidget(page)
            self._stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self._pages[key] = page
            self.sig_page_built.emit(key)
        return self._pages[key]

    def show_page(self, key: str) -> None:
        self._nav.setCurrentRow(list(self._pages).index(key))

    def current_page_key(self) -> str | None:
        item = self._nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _on_nav_row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = self._nav.item(row).data(Qt.ItemDataRole.UserRole)
        page = self.page(key)  # built on its first visit
        self._stack.setCurrentWidget(page)
        on_shown = getattr(page, "on_shown", None)
        if callable(on_shown):
            on_shown()

    # -- menus -----------------------------------------------------------------------------

    def _install_menus(self) -> None:
        file_menu = self.menuBar().addMenu(_("&File"))
        self.import_action = QAction(_("&Import a spreadsheet…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setEnabled(False)  # once the data is open
        self.import_action.triggered.connect(self.sig_import_requested.emit)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        # Written out, not QKeySequence.StandardKey.Quit: that one is empty on Windows and on
        # some desktops, where the Ctrl+Q the shortcut sheet promises would do nothing.
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(_("&Help"))
        self.tour_action = QAction(_("Take the &tour"), self)
        self.tour_action.setEnabled(False)  # once the data is open
        self.tour_action.triggered.connect(self.sig_tour_requested.emit)
        help_menu.addAction(self.tour_action)

    # -- shortcuts -------------------------------------------------------------------------

    def _install_shortcuts(self) -> None:
        for n in range(1, len(PAGE_KEYS) + 1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{n}"), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(lambda n=n: self._on_page_shortcut(n))
        for keys, signal in (
            ("Ctrl+L", self.sig_quick_log_requested),
            ("F1", self.sig_shortcuts_requested),
            ("Ctrl+/", self.sig_shortcuts_requested),
            ("Ctrl+Shift+S", self.sig_sync_requested),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
            shortcut.activated.connect(signal.emit)
        # Ctrl+Z undoes the last change still standing (the undo history, not only the one
        # the toast shows); a focused text field keeps its own undo.
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self).activated.connect(
            self.sig_undo_requested.emit
        )

    def _on_page_shortcut(self, n: int) -> None:
        if self.welcome_shown():
            return  # the rep chooses how to begin first: the pages are empty behind it
        if n <= self._nav.count():
            self._nav.setCurrentRow(n - 1)
            page = self._stack.currentWidget()
            # The page's on_shown put the focus in its main list; take it only when it did not.
            focused = QApplication.focusWidget()
            if focused is None or not page.isAncestorOf(focused):
                page.setFocus()

    # -- geometry --------------------------------------------------------------------------

    def _restore_geometry(self) -> None:
        geometry = self._settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        # First run: a laptop screen (up to 1440 × 900) is used whole; on a larger one the
        # window takes most of it, centred, and the rep's own size is kept from then on.
        screen = self.screen().availableGeometry()
        if screen.width() <= SMALL_SCREEN[0] or screen.height() <= SMALL_SCREEN[1]:
            self.resize(screen.size())
            self.setWindowState(Qt.WindowState.WindowMaximized)
            return
        width, height = int(screen.width() * 0.9), int(screen.height() * 0.9)
        self.setGeometry(
            screen.x() + (screen.width() - width) // 2,
            screen.y() + (screen.height() - height) // 2,
            width,
            height,
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("window/geometry", self.saveGeometry())
        self._settings.setValue("window/page", self.current_page_key() or "")
        super().closeEvent(event)
        if event.isAccepted():
            self.sig_closed.emit()
