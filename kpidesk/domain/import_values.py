"""Reading a spreadsheet cell as a kpidesk value: amounts, dates, statuses, kinds.

Office files are typed by hand: "12 400,00 €", "1.250,5", "12/03/26", "Gagné", an Excel serial
number where a date was expected. Each parser returns the value or None for an empty cell, and
raises :class:`CellError` with a sentence (a :class:`Message`) saying what it could not read.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from kpidesk.domain.i18n import N_, Message
from kpidesk.domain.vocabulary import (
    AccountSource,
    AccountStatus,
    ActivityKind,
    ActivityPurpose,
    OfferStatus,
    Temperature,
)

E = TypeVar("E", bound=StrEnum)


class CellError(ValueError):
    """A cell kpidesk cannot read; ``message`` says why in the rep's words."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.english())
        self.message = message


@functools.lru_cache(maxsize=8192)  # a file names the same accounts and words again and again
def fold(text: str) -> str:
    """Lower case, no accents, single spaces: "  Étape " and "etape" are the same word."""
    if text.isascii():
        return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", bare.casefold()).split())


_NOT_WORD = re.compile(r"[^\w%]+")


def text_of(value: Any) -> str | None:
    """A cell as trimmed text; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


# Every space a spreadsheet puts between thousands: space, no-break, narrow no-break, thin.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_CURRENCY = re.compile(r"(€|eur|euros?|\$|usd|£|gbp|chf|ht|ttc)", re.IGNORECASE)


def parse_decimal(value: Any) -> Decimal | None:
    """A number typed the French or the English way: "12 400,00 €", "12,400.00", "1.250,5"."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _CURRENCY.sub("", _SPACES.sub("", str(value)))
    if not text:
        return None
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()+")
    if "," in text and "." in text:
        # The last separator is the decimal one: "1.250,50" (French) or "1,250.50" (English).
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        text = text.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in text:
        head, _sep, tail = text.rpartition(",")
        # "1,250" with exactly three digits after one comma is English thousands; "12,5" and
        # "12,50" are a French decimal comma.
        if text.count(",") > 1 or (len(tail) == 3 and head.isdigit() and len(head) <= 3):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")  # "1.250.000": dots as thousands
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(Message(N_("{value!r} is not a number."), {"value": str(value)})) from None
    if not number.is_finite():
        raise CellError(Message(N_("{value!r} is not a number."), {"value": str(value)}))
    return -number if negative else number


# The way most amounts are typed ("12 400,00 €", "980", "-35,5"): French thousands, a
# decimal comma, the euro sign. Read with integer arithmetic, as parse_decimal would read them
# (tests/domain/test_import_values_fast.py checks both agree); any other text goes the long way.
_PLAIN_AMOUNT = re.compile(
    r"(-?)(\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+|\d{1,12})(?:,(\d\d?))? ?€?"
)


def parse_cents(value: Any) -> int | None:
    """An amount in integer cents; None (unknown) for an empty cell, never zero."""
    if type(value) is str:
        plain = _PLAIN_AMOUNT.fullmatch(value.strip())
        if plain is not None:
            sign, units, decimals = plain.groups()
            digits = units.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
            digits = digits.replace("\u2009", "")
            if len(digits) <= 12:  # under 10**13 (a longer one is refused the long way)
                cents = int(digits) * 100 + (int(decimals.ljust(2, "0")) if decimals else 0)
                return -cents if sign else cents
    number = parse_decimal(value)
    if number is None:
        return None
    if abs(number) >= Decimal(10) ** 13:
        raise CellError(Message(N_("{value!r} is too large for an amount."), {"value": str(value)}))
    return int((number * 100).quantize(Decimal(1)))


def parse_probability(value: Any) -> float | None:
    """ "30 %", "30", 0.3 and "0,3" are all 30 %."""
    if isinstance(value, str) and "%" in value:
        number = parse_decimal(value.replace("%", ""))
        return None if number is None else _fraction(float(number) / 100, value)
    number = parse_decimal(value)
    if number is None:
        return None
    fraction = float(number) if number <= 1 else float(number) / 100
    return _fraction(fraction, value)


def _fraction(fraction: float, value: Any) -> float:
    if not 0.0 <= fraction <= 1.0:
        raise CellError(
            Message(N_("{value!r} is not a probability between 0 and 100 %."), {"value": value})
        )
    return fraction


# --- words ---------------------------------------------------------------------------------

_OFFER_STATUS = {
    OfferStatus.DRAFT: ("draft", "brouillon", "a faire", "a envoyer", "en preparation"),
    OfferStatus.SENT: (
        "sent", "envoye", "envoyee", "en cours", "engaging", "open", "ouvert", "ouverte",
        "en attente", "pending", "proposition", "negociation", "negotiation", "relance",
    ),
    OfferStatus.WON: ("won", "gagne", "gagnee", "signe", "signee", "accepte", "acceptee",
                      "commande", "closed won"),
    OfferStatus.LOST: ("lost", "perdu", "perdue", "refuse", "refusee", "closed lost"),
    OfferStatus.ABANDONED: ("abandoned", "abandonne", "abandonnee", "annule", "annulee",
                            "sans suite", "cancelled", "canceled"),
}  # fmt: skip
_ACCOUNT_STATUS = {
    AccountStatus.SUSPECT: ("suspect", "lead"),
    AccountStatus.PROSPECT: ("prospect", "prospection", "engaging", "en cours"),
    AccountStatus.CLIENT: ("client", "customer", "cliente", "actif"),
    AccountStatus.FORMER: (
        "former",
        "former client",
        "ancien client",
        "ancien",
        "perdu",
        "inactif",
        "lost",
    ),
}
_TEMPERATURE = {
    Temperature.COLD: ("cold", "froid", "froide"),
    Temperature.WARM: ("warm", "tiede", "chaud moyen"),
    Temperature.HOT: ("hot", "chaud", "chaude", "brulant"),
}
_SOURCE = {
    AccountSource.PROSPECTING: ("prospecting", "prospection", "porte a porte", "phoning"),
    AccountSource.REFERRAL: ("referral", "recommandation", "parrainage", "bouche a oreille"),
    AccountSource.INBOUND: (
        "inbound",
        "inbound request",
        "entrant",
        "site web",
        "website",
        "demande entrante",
    ),
    AccountSource.EVENT: ("event", "salon ou evenement", "salon", "evenement", "trade show"),
    AccountSource.OTHER: ("other", "other source", "autre source", "autre"),
}
_ACTIVITY_KIND = {
    ActivityKind.CALL: ("call", "appel", "telephone", "tel", "phone", "appel telephonique"),
    ActivityKind.VISIT: ("visit", "visite", "rdv", "rendez vous", "meeting", "rencontre"),
    ActivityKind.EMAIL: ("email", "e mail", "mail", "courriel"),
    ActivityKind.OTHER: ("other", "autre"),
}
_PURPOSE = {
    ActivityPurpose.PROSPECTING: ("prospecting", "prospection"),
    ActivityPurpose.FOLLOW_UP: ("follow up", "follow_up", "relance", "suivi d offre"),
    ActivityPurpose.ACCOUNT_MANAGEMENT: (
        "account management",
        "suivi de compte",
        "suivi client",
        "fidelisation",
    ),
    ActivityPurpose.OTHER: ("other", "other purpose", "autre objet", "autre"),
}


# The app's own labels (presentation/labels.py, in English and French) are in these lists too, so
# a list kpidesk exported imports back unchanged.


def _vocabulary(table: dict[Any, tuple[str, ...]]) -> dict[str, Any]:
    return {fold(word): member for member, words in table.items() for word in (*words, member)}


_WORDS: dict[type, dict[str, Any]] = {
    OfferStatus: _vocabulary(_OFFER_STATUS),
    AccountStatus: _vocabulary(_ACCOUNT_STATUS),
    Temperature: _vocabulary(_TEMPERATURE),
    AccountSource: _vocabulary(_SOURCE),
    ActivityKind: _vocabulary(_ACTIVITY_KIND),
    ActivityPurpose: _vocabulary(_PURPOSE),
}


def parse_word(enum_cls: type[E], value: Any) -> E | None:
    """A status, kind or temperature written in French or English, any case or accents."""
    text = text_of(value)
    if text is None:
        return None
    found = _WORDS[enum_cls].get(fold(text))
    if found is None:
        raise CellError(
            Message(N_("{value!r} is not a value kpidesk knows here."), {"value": text})
        )
    return found


# --- dates ---------------------------------------------------------------------------------

DAY_FIRST, MONTH_FIRST, YEAR_FIRST = "day_first", "month_first", "year_first"
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})(?:[ T](\d{1,2})[:h](\d{2}))?")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 because of Lotus's leap-year bug


AMBIGUOUS = Message(
    N_("Every date in this column reads both ways (03/04 is 3 April or March 4): say whether"
       " days or months come first.")
)  # fmt: skip


class AmbiguousDatesError(CellError):
    """Every date of a column reads both ways (03/04/2026): the rep must say which."""


def date_order(values: Iterable[Any]) -> str | None:
    """Day-first or month-first, decided from the whole column.

    A "13/02/2026" proves day-first, a "02/13/2026" month-first; a column with both is an
    error, and one where every date reads both ways raises :class:`AmbiguousDatesError`.
    None: the column holds no slash dates at all (ISO, serials, real dates).
    """
    day_first = month_first = False
    any_slash = False
    for value in values:
        if not isinstance(value, str):
            continue
        match = _NUMERIC_DATE.match(value.strip())
        if match is None or len(match.group(1)) == 4:
            continue
        any_slash = True
        first, second = int(match.group(1)), int(match.group(2))
        day_first |= first > 12 >= second
        month_first |= second > 12 >= first
    if day_first and month_first:
        raise CellError(
            Message(N_("This column mixes day-first and month-first dates (13/02 and 02/13)."))
        )
    if day_first:
        return DAY_FIRST
    if month_first:
        return MONTH_FIRST
    if any_slash:
        raise AmbiguousDatesError(AMBIGUOUS)
    return None


def parse_instant(value: Any, order: str | None, tz: ZoneInfo) -> datetime | None:
    """A date or date-time as an aware UTC instant. A bare date is that day's start in ``tz``
    (the rep's zone), so it falls on the same day in every indicator."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        local = value if value.tzinfo else value.replace(tzinfo=tz)
        return local.astimezone(ZoneInfo("UTC"))
    if isinstance(value, date):
        return datetime.combine(value, time(), tz).astimezone(ZoneInfo("UTC"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value, tz)
    return _text_instant(str(value).strip(), order, tz)


@functools.lru_cache(maxsize=8192)  # a column repeats its dates: each is read once
def _text_instant(text: str, order: str | None, tz: ZoneInfo) -> datetime | None:
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text), tz)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _numeric(text, order)
    return parse_instant(parsed, order, tz)


def _serial(number: float, tz: ZoneInfo) -> datetime:
    if not 1 <= number < 2_958_466:  # 9999-12-31
        raise CellError(Message(N_("{value} is not a date."), {"value": number}))
    moment = datetime.combine(_EXCEL_EPOCH, time()) + timedelta(days=number)
    return moment.replace(tzinfo=tz).astimezone(ZoneInfo("UTC"))


def _numeric(text: str, order: str | None) -> datetime:
    match = _NUMERIC_DATE.match(text)
    if match is None:
        raise CellError(Message(N_("{value!r} is not a date."), {"value": text}))
    a, b, c = (int(match.group(i)) for i in (1, 2, 3))
    hour, minute = int(match.group(4) or 0), int(match.group(5) or 0)
    if len(match.group(1)) == 4:
        year, month, day = a, b, c
    else:
        day, month = (a, b) if order != MONTH_FIRST else (b, a)
        year = c if len(match.group(3)) == 4 else _century(c)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        raise CellError(Message(N_("{value!r} is not a date."), {"value": text})) from None


def _century(two_digits: int) -> int:
    # Sales files hold recent and planned dates: "26" is 2026, "95" is 1995.
    return 2000 + two_digits if two_digits < 70 else 1900 + two_digits
