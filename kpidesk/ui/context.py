"""What every page needs, built once by the composition root (``ui/app.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kpidesk.presentation import Formatter
from kpidesk.services.workspace import Workspace
from kpidesk.ui.events import DataEvents
from kpidesk.ui.tasks import TaskRunner


class Notifier(Protocol):
    """Shows the rep what just happened, with an optional undo, or what went wrong."""

    def notify(self, text: str, undo: Callable[[], None] | None = None) -> None: ...

    def error(self, text: str) -> None: ...


@dataclass(frozen=True)
class UiContext:
    workspace: Workspace
    tasks: TaskRunner
    events: DataEvents
    fmt: Formatter
    notifier: Notifier
