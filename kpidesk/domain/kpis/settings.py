"""The rep's settings that change how indicators are computed, with their defaults."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from kpidesk.domain.checks import Problem
from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.vocabulary import Temperature

# The window of a follow-up (KPIS.md, follow_up_rate): fixed by the definition, not a setting.
FOLLOW_UP_WINDOW_DAYS = 7

SETTING_PREFIX = "kpi."


@dataclass(frozen=True, slots=True)
class KpiSettings:
    """Stored in the local ``setting`` table as ``kpi.<field>`` keys (JSON values)."""

    probability_hot: float = 0.6
    probability_warm: float = 0.3
    probability_cold: float = 0.1
    stale_after_days: int = 14
    currency: str = "EUR"  # money indicators sum the offers in this currency only

    def probability(self, temperature: Temperature | str | None) -> float:
        """The chance of winning an offer without its own probability, by account temperature.

        An offer whose account is unknown (deleted, or not synced yet) is weighted as cold.
        """
        if temperature == Temperature.HOT:
            return self.probability_hot
        if temperature == Temperature.WARM:
            return self.probability_warm
        return self.probability_cold

    @classmethod
    def from_settings(cls, stored: Mapping[str, Any]) -> KpiSettings:
        """Read ``kpi.*`` values; a missing or unusable value keeps its default."""
        values: dict[str, Any] = {}
        for field in fields(cls):
            raw = stored.get(SETTING_PREFIX + field.name)
            if raw is not None and _valid(field.name, raw):
                values[field.name] = raw
        return cls(**values)

    def to_settings(self) -> dict[str, Any]:
        return {SETTING_PREFIX + name: value for name, value in asdict(self).items()}


def _valid(name: str, value: Any) -> bool:
    if name.startswith("probability_"):
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and math.isfinite(value)
            and 0.0 <= value <= 1.0
        )
    if name == "stale_after_days":
        return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 365
    if name == "currency":
        return isinstance(value, str) and len(value) == 3 and value.isalpha()
    return False


def check_kpi_settings(settings: KpiSettings) -> list[Problem]:
    """What a rep may not save: each problem names its field (the settings' attribute)."""
    problems = [
        Problem(name, Message(N_("A chance of winning is between 0 % and 100 %.")))
        for name in ("probability_hot", "probability_warm", "probability_cold")
        if not _valid(name, getattr(settings, name))
    ]
    if not problems and not (
        settings.probability_hot >= settings.probability_warm >= settings.probability_cold
    ):
        problems.append(
            Problem(
                "probability_warm",
                Message(
                    N_(
                        "A hot account's chance is at least a warm one's, and a warm one's "
                        "at least a cold one's."
                    )
                ),
            )
        )
    if not _valid("stale_after_days", settings.stale_after_days):
        problems.append(
            Problem("stale_after_days", Message(N_("An offer goes stale after 1 to 365 days.")))
        )
    if not _valid("currency", settings.currency):
        problems.append(
            Problem(
                "currency",
                Message(N_("A currency is its three-letter code, like EUR, CHF or USD.")),
            )
        )
    return problems
