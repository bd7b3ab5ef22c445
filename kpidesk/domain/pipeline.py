"""Weighing open offers: the offer's own probability, else one by account temperature."""

from __future__ import annotations

from collections.abc import Mapping

from kpidesk.domain.vocabulary import Temperature

# KPIS.md: hot 0.6, warm 0.3, cold 0.1 unless the rep's settings say otherwise.
DEFAULT_TEMPERATURE_PROBABILITY: Mapping[Temperature, float] = {
    Temperature.HOT: 0.6,
    Temperature.WARM: 0.3,
    Temperature.COLD: 0.1,
}


def win_probability(
    own: float | None,
    temperature: Temperature | None,
    by_temperature: Mapping[Temperature, float] = DEFAULT_TEMPERATURE_PROBABILITY,
) -> float:
    if own is not None:
        return own
    return by_temperature.get(temperature or Temperature.COLD, 0.0)
