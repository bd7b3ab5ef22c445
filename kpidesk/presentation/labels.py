"""The trade's words (statuses, kinds, sources...) and the domain's messages, in the rep's
language; values inside a message are formatted in the rep's locale."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from kpidesk.domain.i18n import Message, Money, Percent
from kpidesk.domain.outcomes import Outcome, outcome_key
from kpidesk.domain.vocabulary import (
    AccountSource,
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)
from kpidesk.presentation.formats import Formatter
from kpidesk.presentation.translation import N_, _, ngettext

# Keyed by (vocabulary, value): the enums are str-based, so AccountSource.OTHER, ActivityKind.OTHER
# and ActivityPurpose.OTHER are equal as keys ("other") and a plain dict kept only the last one.
_LABEL_LIST: tuple[tuple[StrEnum, str], ...] = (
    (AccountStatus.SUSPECT, N_("Suspect")),
    (AccountStatus.PROSPECT, N_("Prospect")),
    (AccountStatus.CLIENT, N_("Client")),
    (AccountStatus.FORMER, N_("Former client")),
    (Temperature.COLD, N_("Cold")),
    (Temperature.WARM, N_("Warm")),
    (Temperature.HOT, N_("Hot")),
    (AccountSource.PROSPECTING, N_("Prospecting")),
    (AccountSource.REFERRAL, N_("Referral")),
    (AccountSource.INBOUND, N_("Inbound request")),
    (AccountSource.EVENT, N_("Event")),
    (AccountSource.OTHER, N_("Other source")),
    (ActivityKind.CALL, N_("Call")),
    (ActivityKind.VISIT, N_("Visit")),
    (ActivityKind.EMAIL, N_("E-mail")),
    (ActivityKind.OTHER, N_("Other")),
    (ActivityPurpose.PROSPECTING, N_("Prospecting")),
    (ActivityPurpose.FOLLOW_UP, N_("Follow-up")),
    (ActivityPurpose.ACCOUNT_MANAGEMENT, N_("Account management")),
    (ActivityPurpose.OTHER, N_("Other purpose")),
    (OfferStatus.DRAFT, N_("Draft")),
    (OfferStatus.SENT, N_("Sent")),
    (OfferStatus.WON, N_("Won")),
    (OfferStatus.LOST, N_("Lost")),
    (OfferStatus.ABANDONED, N_("Abandoned")),
)


_LABELS: dict[tuple[type, str], str] = {(type(v), v.value): text for v, text in _LABEL_LIST}


def label(value: StrEnum) -> str:
    """A vocabulary value's display name; a value without one is shown as it is."""
    source = _LABELS.get((type(value), value.value)) if isinstance(value, StrEnum) else None
    return _(source) if source else str(value)


def _display(value: object, fmt: Formatter) -> object:
    if isinstance(value, Message):
        return message_text(value, fmt)
    if isinstance(value, Money):
        return fmt.money(value.cents, value.currency)
    if isinstance(value, Percent):
        return fmt.percent(value.fraction)
    if isinstance(value, StrEnum) and (type(value), value.value) in _LABELS:
        return label(value)
    if isinstance(value, date):
        return fmt.day(value)
    return value


def message_text(message: Message, fmt: Formatter | None = None) -> str:
    """A domain message in the rep's language, placeholders filled (enums, money, dates in the
    rep's words and locale)."""
    fmt = fmt or Formatter()
    if message.plural:
        count = int(message.params.get(message.count, 0))
        template = ngettext(message.template, message.plural, count)
    else:
        template = _(message.template)
    params = {key: _display(value, fmt) for key, value in message.params.items()}
    return template.format(**params)


_OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.REACHED: N_("Reached"),
    Outcome.VOICEMAIL: N_("Voicemail"),
    Outcome.NO_ANSWER: N_("No answer"),
    Outcome.MEETING_SET: N_("Meeting set"),
    Outcome.MEETING_HELD: N_("Meeting held"),
    Outcome.OFFER_REQUESTED: N_("Quote requested"),
    Outcome.NOT_INTERESTED: N_("Not interested"),
    Outcome.REPLIED: N_("Replied"),
    Outcome.NO_REPLY: N_("No reply"),
    Outcome.DONE: N_("Done"),
}


def outcome_label(outcome: Outcome) -> str:
    return _(_OUTCOME_LABELS[outcome])


def outcome_text(stored: str | None) -> str:
    """A stored outcome as the rep reads it: a structured one in their words, an old free-text
    one as it was written, none as ""."""
    key = outcome_key(stored)
    return outcome_label(key) if key is not None else (stored or "")
