"""A reminder's title says what its lines say: due soon, overdue, or both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kpidesk.domain.reminders import Planned
from kpidesk.presentation import Formatter, using
from kpidesk.presentation.reminders import reminder_words

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


def _due(*minutes: int) -> list[Planned]:
    return [Planned(f"a{i}", NOW + timedelta(minutes=m), "call", f"Client {i}")
            for i, m in enumerate(minutes)]  # fmt: skip


@pytest.mark.parametrize(
    ("minutes", "english", "french"),
    [
        ((5, 10), "2 planned activities due soon", "2 activités planifiées imminentes"),
        ((-30, -5, 10), "3 planned activities due soon or overdue",
         "3 activités planifiées imminentes ou en retard"),
        ((-30, -5), "2 planned activities overdue", "2 activités planifiées en retard"),
    ],
)  # fmt: skip
def test_the_title_follows_the_lines(minutes, english, french):
    fmt = Formatter(tz=ZoneInfo("Europe/Paris"))
    title, text = reminder_words(_due(*minutes), NOW, fmt)
    assert title == english
    assert text.count("(now overdue)") == sum(1 for m in minutes if m <= 0)
    with using("fr"):
        assert reminder_words(_due(*minutes), NOW, Formatter(tz=ZoneInfo("Europe/Paris")))[0] == (
            french
        )
