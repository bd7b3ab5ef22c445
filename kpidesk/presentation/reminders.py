"""The words of a reminder: the notification's title and its lines, in the rep's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel.dates import format_time

from kpidesk.domain.reminders import Planned
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.presentation.formats import Formatter
from kpidesk.presentation.labels import label
from kpidesk.presentation.translation import _, ngettext

MAX_LINES = 4  # a notification bubble shows a few lines; the Today page has the rest


def _kind(planned: Planned) -> str:
    try:
        return label(ActivityKind(planned.kind))
    except ValueError:
        return planned.kind


def _when(planned: Planned, now: datetime, fmt: Formatter) -> str:
    local = fmt.local(planned.due_at)
    clock = format_time(local.time(), "short", locale=fmt.locale)
    if planned.due_at <= now:
        return _("{time} (now overdue)").format(time=clock)
    return _("{time}, {delay}").format(time=clock, delay=fmt.time_ahead(planned.due_at - now))


def reminder_words(due: Sequence[Planned], now: datetime, fmt: Formatter) -> tuple[str, str]:
    """(title, text) for the planned activities ``due`` (earliest first, at least one)."""
    if len(due) == 1:
        (only,) = due
        title = _("{kind} with {account}").format(
            kind=_kind(only), account=only.account_name or _("an account")
        )
        return title, _when(only, now, fmt)
    # The title says what the lines say: "due soon" over a list of overdue calls misleads.
    overdue = sum(1 for p in due if p.due_at <= now)
    if overdue == len(due):
        title = ngettext("{n} planned activity overdue", "{n} planned activities overdue", len(due))
    elif overdue:
        title = ngettext(
            "{n} planned activity due soon or overdue",
            "{n} planned activities due soon or overdue",
            len(due),
        )
    else:
        title = ngettext(
            "{n} planned activity due soon", "{n} planned activities due soon", len(due)
        )
    title = title.format(n=len(due))
    lines = [
        _("{when}: {kind} with {account}").format(
            when=_when(p, now, fmt), kind=_kind(p).lower(), account=p.account_name or "…"
        )
        for p in due[:MAX_LINES]
    ]
    if len(due) > MAX_LINES:
        rest = len(due) - MAX_LINES
        lines.append(ngettext("and {n} more", "and {n} more", rest).format(n=rest))
    return title, "\n".join(lines)
