"""kpidesk: a field sales rep's own indicators, offline first, synced with the team."""

__version__ = "0.1.0"
