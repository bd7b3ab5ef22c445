"""Settings, "Team server": sign in (server address, username, password, company certificate),
or, once signed in, who and where, the last sync, what waits, Sync now and Sign out.

Signing in and out runs in the background (the keyring and the network can block); the form is
busy meanwhile. A refusal shows next to its field and nothing is saved.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kpidesk.presentation import Formatter, _
from kpidesk.presentation.sync import (
    minutes_ago,
    no_keyring_text,
    problem_text,
    sign_in_problems,
    status_line,
)
from kpidesk.sync.errors import SyncProblemError
from kpidesk.sync.session import sends_in_clear
from kpidesk.ui.errors import plain_words
from kpidesk.ui.sync_controller import SyncController
from kpidesk.ui.sync_state import SyncPhase, SyncState
from kpidesk.ui.widgets.form import FieldErrors

FIELD_WIDTH = 520


def _notice_label() -> QLabel:
    label = QLabel()
    label.setObjectName("emptyHint")
    label.setWordWrap(True)
    label.hide()
    return label


class SignInForm(QWidget):
    def __init__(self, sync: SyncController) -> None:
        super().__init__()
        self._sync = sync
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://kpidesk.example.com")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.certificate = QLineEdit()
        self.certificate.setPlaceholderText(_("Optional: your company's certificate file"))
        self.certificate.setAccessibleName(self.certificate.placeholderText())
        choose = QPushButton(_("Choose…"))
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose_certificate)
        certificate_row = QWidget()
        row = QHBoxLayout(certificate_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.certificate, 1)
        row.addWidget(choose)
        for field in (self.server, self.username, self.password, certificate_row):
            field.setMaximumWidth(FIELD_WIDTH)  # an address, a name: not the screen's width
        form = QFormLayout()
        self.errors = FieldErrors(form)
        self.errors.add("server", _("Server &address"), self.server)
        self.errors.add("username", _("&Username"), self.username)
        self.errors.add("password", _("&Password"), self.password)
        self.errors.add("certificate", _("Company &certificate"), certificate_row)
        self.keyring_note = _notice_label()
        self.keyring_note.setText(no_keyring_text())
        # Plain http:// to another computer: said once, signing in again goes ahead.
        self.clear_text_warning = _notice_label()
        self.clear_text_warning.setObjectName("warning")
        self._warned_about: str | None = None
        self.sign_in_button = QPushButton(_("Sign in"))
        self.sign_in_button.clicked.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        layout.addWidget(self.errors.general)
        layout.addWidget(self.clear_text_warning)
        layout.addWidget(self.keyring_note)
        layout.addLayout(buttons)
        for field in (self.server, self.username, self.password, self.certificate):
            field.returnPressed.connect(self.submit)
        self.server.textChanged.connect(self._on_server_text_changed)
        self._inputs = (self.server, self.username, self.password, self.certificate, choose)
        for before, after in pairwise((*self._inputs, self.sign_in_button)):
            QWidget.setTabOrder(before, after)
        sync.sig_sign_in_failed.connect(self._on_sign_in_failed)
        sync.sig_signed_in.connect(lambda _result: self._on_signed_in())
        sync.sig_keyring_checked.connect(lambda found: self.keyring_note.setVisible(not found))

    def show_state(self, state: SyncState) -> None:
        if state.needs_sign_in:
            self.explanation.setText(problem_text(state.problem, state.problem_message))
        else:
            self.explanation.setText(
                _(
                    "Not connected. Everything you log is kept on this laptop and will be sent "
                    "to your team's server once you connect to it."
                )
            )
        if not self.server.text() and state.server_url:
            self.server.setText(state.server_url)
            self._warned_about = state.server_url  # signed in there before: already accepted
        if not self.username.text() and state.username:
            self.username.setText(state.username)

    def submit(self) -> None:
        if not self.sign_in_button.isEnabled():
            return  # already signing in
        reasons = self._check()
        if reasons:
            self.errors.show_texts(reasons)
            return
        self.errors.clear()
        if not self._clear_text_accepted():
            return
        self._set_busy(True)
        certificate = self.certificate.text().strip() or None
        self._sync.sign_in(
            self.server.text().strip(), self.username.text().strip(), self.password.text(),
            certificate,
        )  # fmt: skip

    def _clear_text_accepted(self) -> bool:
        """False the first time the rep signs in over plain HTTP to another computer: the
        warning is shown instead, and Sign in (pressed again, same address) goes ahead."""
        url = self.server.text().strip()
        if not sends_in_clear(url):
            self.clear_text_warning.hide()
            return True
        if self._warned_about == url:
            return True
        self._warned_about = url
        self.clear_text_warning.setText(
            _(
                "Warning: {url} is not encrypted (http://, not https://). Your password and "
                "your data would cross the network readable by anyone on it. Ask for the "
                "https:// address, or press Sign in again to go ahead anyway."
            ).format(url=url)
        )
        self.clear_text_warning.show()
        self.sign_in_button.setText(_("Sign in anyway"))
        self.server.setFocus()
        return False

    def _on_server_text_changed(self, text: str) -> None:
        if self._warned_about is not None and text.strip() != self._warned_about:
            self._warned_about = None  # another address: warned afresh if it needs it
            self.clear_text_warning.hide()
            self.sign_in_button.setText(_("Sign in"))

    def _check(self) -> list[tuple[str, str]]:
        reasons = []
        parts = urlsplit(self.server.text().strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            reasons.append(
                ("server", _("Enter the server's address, like https://kpidesk.example.com"))
            )
        if not self.username.text().strip():
            reasons.append(("username", _("Enter your username.")))
        if not self.password.text():
            reasons.append(("password", _("Enter your password.")))
        certificate = self.certificate.text().strip()
        if certificate and not Path(certificate).is_file():
            reasons.append(("certificate", _("There is no file here.")))
        return reasons

    def _set_busy(self, busy: bool) -> None:
        for widget in self._inputs:
            widget.setEnabled(not busy)
        self.sign_in_button.setEnabled(not busy)
        self.sign_in_button.setText(_("Signing in…") if busy else _("Sign in"))
        if busy:
            self.clear_text_warning.hide()

    def _on_sign_in_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, SyncProblemError):
            reasons = sign_in_problems(error.kind, error.message)
        else:
            reasons = sign_in_problems(None, plain_words(error))
        self.errors.show_texts(reasons)
        if any(field == "password" for field, _ in reasons):
            self.password.selectAll()

    def _on_signed_in(self) -> None:
        self._set_busy(False)
        self.password.clear()
        self.errors.clear()

    def _choose_certificate(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Your company's certificate"),
            self.certificate.text() or str(Path.home()),
            _("Certificates (*.pem *.crt *.cer);;All files (*)"),
        )
        if path:
            self.certificate.setText(path)


class ConnectedPanel(QWidget):
    """Signals:
    sig_conflicts_requested: the rep wants to review the conflicts.
    """

    sig_conflicts_requested = Signal()

    def __init__(self, sync: SyncController, fmt: Formatter) -> None:
        super().__init__()
        self._sync = sync
        self._fmt = fmt
        self.server = QLabel()
        self.user = QLabel()
        self.last_sync = QLabel()
        self.state_text = QLabel()
        self.state_text.setWordWrap(True)
        self.conflicts = QLabel()
        for label in (self.server, self.user):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.review_button = QPushButton(_("Review conflicts…"))
        self.review_button.setAutoDefault(False)
        self.review_button.clicked.connect(self.sig_conflicts_requested.emit)
        conflicts_row = QHBoxLayout()
        conflicts_row.addWidget(self.conflicts)
        conflicts_row.addWidget(self.review_button)
        conflicts_row.addStretch(1)
        form = QFormLayout()
        form.addRow(_("Server"), self.server)
        form.addRow(_("Signed in as"), self.user)
        form.addRow(_("Last sync"), self.last_sync)
        form.addRow(_("Conflicts"), conflicts_row)
        form.addRow(_("Status"), self.state_text)
        self.notice = _notice_label()
        self.sync_button = QPushButton(_("Sync now"))
        self.sync_button.setToolTip(_("Ctrl+Shift+S"))
        self.sync_button.clicked.connect(self._on_sync_button_clicked)
        self.sign_out_button = QPushButton(_("Sign out"))
        self.sign_out_button.setToolTip(
            _("Forget this laptop's sign-in here and on the server; your data stays here")
        )
        self.sign_out_button.clicked.connect(self._on_sign_out_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addLayout(buttons)
        sync.sig_signed_in.connect(self._on_signed_in)
        sync.sig_signed_out.connect(lambda _notice: self._set_signing_out(False))

    def show_state(self, state: SyncState) -> None:
        now = self._sync.now()
        self.server.setText(state.server_url or "")
        self.user.setText(state.username or "")
        if state.last_sync_at is None:
            self.last_sync.setText(_("never"))
        else:
            self.last_sync.setText(
                _("{ago} ({when})").format(
                    ago=minutes_ago(state.last_sync_at, now),
                    when=self._fmt.datetime(state.last_sync_at),
                )
            )
        n = state.conflicts
        self.conflicts.setText(_("{n} to review").format(n=n) if n else _("none"))
        self.review_button.setVisible(bool(n))  # nothing to review: no button to press
        line = status_line(state, self._fmt, now)
        if state.phase in (SyncPhase.OFFLINE, SyncPhase.PROBLEM):
            line += "\n" + problem_text(state.problem, state.problem_message)
        self.state_text.setText(line)
        syncing = state.phase is SyncPhase.SYNCING
        self.sync_button.setText(_("Stop") if syncing else _("Sync now"))
        self.sync_button.setEnabled(not state.stopping)

    def _on_sync_button_clicked(self) -> None:
        if self._sync.state.phase is SyncPhase.SYNCING:
            self._sync.cancel()
        else:
            self._sync.sync_now()

    def _on_sign_out_clicked(self) -> None:
        self._set_signing_out(True)
        self._sync.sign_out()

    def _set_signing_out(self, busy: bool) -> None:
        self.sign_out_button.setEnabled(not busy)
        self.sign_out_button.setText(_("Signing out…") if busy else _("Sign out"))

    def _on_signed_in(self, result: object) -> None:
        kept = getattr(result, "token_kept", True)
        self.notice.setText("" if kept else no_keyring_text())
        self.notice.setVisible(not kept)


class TeamServerBox(QGroupBox):
    """Signals:
    sig_conflicts_requested: the rep wants to review the conflicts.
    """

    sig_conflicts_requested = Signal()

    def __init__(self, sync: SyncController, fmt: Formatter) -> None:
        super().__init__()
        self.setTitle(_("Team server"))
        self.form = SignInForm(sync)
        self.connected = ConnectedPanel(sync, fmt)
        self.connected.sig_conflicts_requested.connect(self.sig_conflicts_requested.emit)
        self.demo = QLabel(
            _("This is demo data: it is never sent to a team server. Open your own data to sync.")
        )
        self.demo.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (self.form, self.connected, self.demo):
            layout.addWidget(widget)  # one shown at a time: the box is as tall as that one
        sync.sig_state_changed.connect(self.show_state)
        self.show_state(sync.state)

    def show_state(self, state: SyncState) -> None:
        if state.phase is SyncPhase.DEMO:
            current: QWidget = self.demo
        elif state.connected and not state.needs_sign_in:
            self.connected.show_state(state)
            current = self.connected
        else:
            self.form.show_state(state)
            current = self.form
        for widget in (self.form, self.connected, self.demo):
            widget.setVisible(widget is current)
