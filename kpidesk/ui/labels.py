"""Display names of the trade's words, translated at display time.

The dictionaries hold English source strings marked for ``lupdate``; :func:`label` translates
them with the application's current translator.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from PySide6.QtCore import QCoreApplication, QDate, QLocale

from kpidesk.domain.i18n import QT_TRANSLATE_NOOP, Message, Money, Percent
from kpidesk.domain.vocabulary import (
    AccountSource,
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)
from kpidesk.ui.formatting import Formatter

CTX = "Vocabulary"

_LABELS: dict[StrEnum, str] = {
    AccountStatus.SUSPECT: QT_TRANSLATE_NOOP("Vocabulary", "Suspect"),
    AccountStatus.PROSPECT: QT_TRANSLATE_NOOP("Vocabulary", "Prospect"),
    AccountStatus.CLIENT: QT_TRANSLATE_NOOP("Vocabulary", "Client"),
    AccountStatus.FORMER: QT_TRANSLATE_NOOP("Vocabulary", "Former client"),
    Temperature.COLD: QT_TRANSLATE_NOOP("Vocabulary", "Cold"),
    Temperature.WARM: QT_TRANSLATE_NOOP("Vocabulary", "Warm"),
    Temperature.HOT: QT_TRANSLATE_NOOP("Vocabulary", "Hot"),
    AccountSource.PROSPECTING: QT_TRANSLATE_NOOP("Vocabulary", "Prospecting"),
    AccountSource.REFERRAL: QT_TRANSLATE_NOOP("Vocabulary", "Referral"),
    AccountSource.INBOUND: QT_TRANSLATE_NOOP("Vocabulary", "Inbound request"),
    AccountSource.EVENT: QT_TRANSLATE_NOOP("Vocabulary", "Event"),
    AccountSource.OTHER: QT_TRANSLATE_NOOP("Vocabulary", "Other source"),
    ActivityKind.CALL: QT_TRANSLATE_NOOP("Vocabulary", "Call"),
    ActivityKind.VISIT: QT_TRANSLATE_NOOP("Vocabulary", "Visit"),
    ActivityKind.EMAIL: QT_TRANSLATE_NOOP("Vocabulary", "E-mail"),
    ActivityKind.OTHER: QT_TRANSLATE_NOOP("Vocabulary", "Other"),
    ActivityPurpose.PROSPECTING: QT_TRANSLATE_NOOP("Vocabulary", "Prospecting"),
    ActivityPurpose.FOLLOW_UP: QT_TRANSLATE_NOOP("Vocabulary", "Follow-up"),
    ActivityPurpose.ACCOUNT_MANAGEMENT: QT_TRANSLATE_NOOP("Vocabulary", "Account management"),
    ActivityPurpose.OTHER: QT_TRANSLATE_NOOP("Vocabulary", "Other purpose"),
    OfferStatus.DRAFT: QT_TRANSLATE_NOOP("Vocabulary", "Draft"),
    OfferStatus.SENT: QT_TRANSLATE_NOOP("Vocabulary", "Sent"),
    OfferStatus.WON: QT_TRANSLATE_NOOP("Vocabulary", "Won"),
    OfferStatus.LOST: QT_TRANSLATE_NOOP("Vocabulary", "Lost"),
    OfferStatus.ABANDONED: QT_TRANSLATE_NOOP("Vocabulary", "Abandoned"),
}


def label(value: StrEnum) -> str:
    return QCoreApplication.translate(CTX, _LABELS[value])


def _display(value: object) -> object:
    if isinstance(value, Message):
        return message_text(value)
    if isinstance(value, Money):
        return Formatter().money(value.cents, value.currency)
    if isinstance(value, Percent):
        return Formatter().percent(value.fraction)
    if isinstance(value, StrEnum) and value in _LABELS:
        return label(value)
    if isinstance(value, date):
        return QLocale().toString(
            QDate(value.year, value.month, value.day), QLocale.FormatType.ShortFormat
        )
    return value


def message_text(message: Message) -> str:
    """A domain message in the rep's language, placeholders filled (enums and dates in the
    rep's words and locale)."""
    params = {key: _display(value) for key, value in message.params.items()}
    return QCoreApplication.translate(message.context, message.template).format(**params)
