"""Settings a rep needs: follow-ups and working hours, how indicators are computed, and the
warning before signing in over plain HTTP. What is saved is read back from the database."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt, QTime

from kpidesk.domain.kpis import KpiSettings
from kpidesk.domain.vocabulary import AccountStatus, OfferStatus, Temperature
from kpidesk.services.work_settings import read_work_settings, read_working_time
from kpidesk.store.settings import read_settings
from kpidesk.sync.session import sends_in_clear

NOW = datetime.now(UTC)


@pytest.fixture
def settings_page(desktop):
    desktop.window.show_page("settings")
    return desktop.settings


def stored(workspace, prefix):
    with workspace.db.read() as conn:
        return read_settings(conn, prefix)


def test_work_settings_default_when_never_saved(settings_page, workspace):
    work = read_work_settings(workspace.db)
    assert (work.delay_days, work.hour) == (7, time(9, 30))
    assert work.days == frozenset({1, 2, 3, 4, 5})
    assert (work.start_hour, work.end_hour) == (8, 18)
    box = settings_page.work
    assert box.delay.value() == 7 and box.hour.time() == QTime(9, 30)
    assert [box.days[d].isChecked() for d in range(1, 8)] == [True] * 5 + [False] * 2
    assert stored(workspace, "work.") == {} and stored(workspace, "follow_up.") == {}


def test_work_settings_saved_under_their_keys_and_read_back(qtbot, settings_page, workspace):
    box = settings_page.work
    box.delay.setValue(3)
    box.hour.setTime(QTime(14, 15))
    box.days[5].setChecked(False)  # no Fridays
    box.days[6].setChecked(True)  # Saturdays
    box.start.setValue(7)
    box.end.setValue(17)
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    # The exact keys and values the next-step scheduling reads.
    assert stored(workspace, "follow_up.") == {
        "follow_up.delay_days": 3,
        "follow_up.hour": "14:15",
    }
    assert stored(workspace, "work.") == {
        "work.days": [1, 2, 3, 4, 6],
        "work.start_hour": 7,
        "work.end_hour": 17,
    }
    # Read back as the next-step scheduling reads it.
    work = read_working_time(workspace.db)
    assert work.days == frozenset({1, 2, 3, 4, 6}) and work.hour == time(14, 15)
    assert (work.delay_days, work.start_hour, work.end_hour) == (3, 7, 17)
    assert not work.is_working_day(datetime(2026, 12, 4))  # a Friday
    assert work.is_working_day(datetime(2026, 12, 5))  # a Saturday
    # A fresh page shows what was saved.
    box.delay.setValue(20)
    settings_page.on_shown()
    assert box.delay.value() == 3 and box.days[6].isChecked()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda b: b.end.setValue(7), "end_hour", "end after it starts"),
        (lambda b: b.hour.setTime(QTime(19, 0)), "hour", "from 8:00 to 17:00"),
        (
            lambda b: [box.setChecked(False) for box in b.days.values()],
            "days",
            "at least one working day",
        ),
    ],
)
def test_invalid_work_settings_are_refused_and_nothing_changes(
    qtbot, settings_page, workspace, change, field, words
):
    box = settings_page.work
    box.delay.setValue(2)  # valid, but refused with the rest
    change(box)
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert words in box.errors.text_for(field)
    assert stored(workspace, "work.") == {} and stored(workspace, "follow_up.") == {}
    assert read_work_settings(workspace.db).delay_days == 7


@pytest.fixture
def weighted(workspace):
    """One open offer of 1,000 € on a hot prospect, no probability of its own."""
    account = workspace.accounts.create(
        {"name": "Garage Moreau", "status": AccountStatus.PROSPECT, "temperature": Temperature.HOT}
    )
    workspace.offers.create(
        {"account_id": account.id, "amount_cents": 100_000, "status": OfferStatus.SENT,
         "sent_at": NOW - timedelta(days=2), "title": "Pont"}
    )  # fmt: skip


def test_a_kpi_setting_saved_refreshes_the_indicators(qtbot, desktop, workspace, weighted):
    desktop.window.show_page("indicators")
    tile = desktop.indicators.tile("weighted_pipeline")
    assert (
        desktop.indicators.report["weighted_pipeline"].current.value == 60_000
    )  # cents: 1,000 € × 0.6
    desktop.window.show_page("settings")
    box = desktop.settings.kpi_settings
    assert (box.hot.value(), box.warm.value(), box.cold.value()) == (60, 30, 10)
    box.hot.setValue(80)
    box.stale.setValue(21)
    box.currency.setText("eur")  # typed in lower case: stored as the code
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert stored(workspace, "kpi.") == {
        "kpi.probability_hot": 0.8,
        "kpi.probability_warm": 0.3,
        "kpi.probability_cold": 0.1,
        "kpi.stale_after_days": 21,
        "kpi.currency": "EUR",
    }
    assert workspace.kpis.settings() == KpiSettings(probability_hot=0.8, stale_after_days=21)
    # The write was announced: the indicators were recomputed with 80 %: 1,000 € × 0.8.
    desktop.window.show_page("indicators")
    assert desktop.indicators.report["weighted_pipeline"].current.value == 80_000
    assert "800" in tile.value_label.text()


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda b: b.currency.setText("EU"), "currency", "three-letter code"),
        (lambda b: b.cold.setValue(50), "probability_warm", "at least a warm one's"),
    ],
)
def test_invalid_kpi_settings_are_refused_and_nothing_changes(
    qtbot, settings_page, workspace, change, field, words
):
    box = settings_page.kpi_settings
    box.stale.setValue(30)  # valid, but refused with the rest
    change(box)
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert words in box.errors.text_for(field)
    assert stored(workspace, "kpi.") == {}
    assert workspace.kpis.settings() == KpiSettings()


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("http://crm.example.com:8000", True),
        ("http://192.168.1.20", True),
        ("HTTP://Sales.Example.com/", True),
        ("http://localhost:8000", False),
        ("http://127.0.0.1:8000", False),
        ("http://[::1]:8000", False),
        ("https://crm.example.com", False),
    ],
)
def test_plain_http_to_another_computer_is_warned_before_signing_in(
    qtbot, settings_page, url, warned, monkeypatch
):
    assert sends_in_clear(url) is warned
    form = settings_page.server.form
    calls = []
    monkeypatch.setattr(settings_page._sync, "sign_in", lambda *args: calls.append(args))
    form.server.setText(url)
    form.username.setText("rep")
    form.password.setText("secret")
    qtbot.mouseClick(form.sign_in_button, Qt.MouseButton.LeftButton)
    assert form.clear_text_warning.isVisible() is warned
    if warned:
        assert calls == []  # nothing sent yet
        assert url.strip() in form.clear_text_warning.text()
        assert "not encrypted" in form.clear_text_warning.text()
        qtbot.mouseClick(form.sign_in_button, Qt.MouseButton.LeftButton)  # "Sign in anyway"
    assert calls == [(url, "rep", "secret", None)]


def test_another_address_after_the_warning_is_checked_afresh(qtbot, settings_page, monkeypatch):
    form = settings_page.server.form
    calls = []
    monkeypatch.setattr(settings_page._sync, "sign_in", lambda *args: calls.append(args))
    form.server.setText("http://crm.example.com")
    form.username.setText("rep")
    form.password.setText("secret")
    qtbot.mouseClick(form.sign_in_button, Qt.MouseButton.LeftButton)
    assert form.clear_text_warning.isVisible()
    form.server.setText("http://other.example.com")
    assert not form.clear_text_warning.isVisible() and form.sign_in_button.text() == "Sign in"
    qtbot.mouseClick(form.sign_in_button, Qt.MouseButton.LeftButton)
    assert calls == [] and form.clear_text_warning.isVisible()
