"""The active language: gettext catalogues and the Babel locale every text is rendered with.

Why one piece of process state: like Qt's ``installTranslator``, the language is chosen once by
a composition root (``kpidesk.ui.app``, ``kpidesk.cli``) from the system locale, and every
sentence of every layer (widgets, item models, the CLI, domain messages rendered late) reads
it. Passing a translator down to each of those would thread one more argument through hundreds
of calls for a value that never changes while the process runs. Tests switch it with
:func:`using`. Nothing else in ``kpidesk.presentation`` holds state.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import TYPE_CHECKING

# Babel's locale data is read when a number or a date is first written, not to choose the
# language: the window paints before Babel is imported (tests/benchmarks/bench_startup.py).
if TYPE_CHECKING:
    from babel import Locale

DOMAIN = "kpidesk"
FALLBACK_LOCALE = "en_GB"  # no locale configured (C, POSIX): write like en_GB, as the app does
ENV_OVERRIDE = "KPIDESK_LANG"
LIKELY = {"en": "en_GB", "fr": "fr_FR"}  # a language alone, as the reps of each one write


@dataclass(frozen=True)
class Language:
    """A catalogue and the locale its numbers and dates are written in.

    ``name`` is the tag as a locale name ("fr_FR"); ``locale``, Babel's locale for it, is made
    on first use (a tag Babel does not know writes like en_GB).
    """

    name: str
    catalogue: gettext.NullTranslations

    @cached_property
    def locale(self) -> Locale:
        from babel import Locale, UnknownLocaleError

        try:
            return Locale.parse(self.name)
        except (UnknownLocaleError, ValueError):
            return Locale.parse(FALLBACK_LOCALE)

    @property
    def code(self) -> str:
        return self.locale.language


def repository_locale_folder() -> Path:
    """The source catalogues' folder in a checkout (``make translations`` and tests)."""
    return Path(__file__).resolve().parents[2] / "resources" / "locale"


def locale_folder() -> Traversable:
    """Where the compiled catalogues are: ``<locale>/LC_MESSAGES/kpidesk.mo``.

    Installed, they are package data of ``kpidesk.resources`` (the repository's ``resources/``
    mapped by setuptools); until that mapping exists in this branch, the repository's folder
    next to the package is used, which is where an editable install finds them too.
    """
    try:
        return resources.files("kpidesk.resources") / "locale"
    except ModuleNotFoundError:
        return repository_locale_folder()


def _catalogue(name: str) -> gettext.NullTranslations:
    folder = locale_folder()
    for candidate in (name, name.split("_")[0]):
        mo = folder / candidate / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if mo.is_file():
            with mo.open("rb") as handle:
                return gettext.GNUTranslations(handle)
    return gettext.NullTranslations()  # English is the source: msgids are the English texts


def locale_name(tag: str) -> str:
    """A locale tag ("fr", "fr-FR.UTF-8", "FR_fr") as the locale name kpidesk writes in
    ("fr_FR"), read without Babel: a language alone takes its likely territory (``LIKELY``),
    nothing configured (C, POSIX) is en_GB. Babel reads the same tags the same way
    (tests/presentation/test_language_tags.py); a tag it does not know falls back later."""
    name = tag.split(".")[0].split("@")[0].replace("-", "_")
    if name in ("", "C", "POSIX") or name.lower() == "en_us_posix":
        return FALLBACK_LOCALE
    parts = name.split("_")
    language = parts[0].lower()
    if not language.isalpha():
        return FALLBACK_LOCALE
    rest = [p.title() if len(p) == 4 and p.isalpha() else p.upper() for p in parts[1:] if p]
    has_territory = any(len(p) in (2, 3) and p.isalnum() for p in rest)
    if not has_territory and language in LIKELY:  # "en" alone would write like the US
        return LIKELY[language] if not rest else "_".join([language, *rest])
    return "_".join([language, *rest])


def load_language(tag: str) -> Language:
    """A language from a locale tag ("fr", "fr_FR", "fr-FR.UTF-8"); unknown tags fall back."""
    name = locale_name(tag)
    return Language(name, _catalogue(name))


def system_language_tag(
    environ: Mapping[str, str] | None = None,
    fallback: str = FALLBACK_LOCALE,
    chosen: str | None = None,
) -> str:
    """KPIDESK_LANG if set, else the language ``chosen`` in Settings, else the POSIX locale
    variables in gettext's order, else ``fallback`` (the app passes the system's locale as Qt
    reads it: Windows sets no LANG)."""
    environ = os.environ if environ is None else environ
    override = environ.get(ENV_OVERRIDE, "")
    if override or chosen:
        return override or str(chosen)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").split(":")[0]
        if value:
            return value
    return fallback


_active = load_language(FALLBACK_LOCALE)  # the documented process-wide setting (see above)


def install(language: Language | str) -> Language:
    """Make a language the process's; returns the one it replaces."""
    global _active
    previous = _active
    _active = language if isinstance(language, Language) else load_language(language)
    return previous


def active() -> Language:
    return _active


@contextmanager
def using(language: Language | str) -> Iterator[Language]:
    """For tests: render in another language inside the block."""
    previous = install(language)
    try:
        yield _active
    finally:
        install(previous)


def _(text: str) -> str:
    """The text in the active language (English source text when not translated)."""
    return _active.catalogue.gettext(text) if text else ""


def ngettext(singular: str, plural: str, n: int) -> str:
    """The sentence for ``n`` things, by the language's plural rule; fill ``{n}`` yourself."""
    return _active.catalogue.ngettext(singular, plural, n)


def pgettext(context: str, text: str) -> str:
    """A short text that another one spells the same in English ("Other" kind vs purpose)."""
    return _active.catalogue.pgettext(context, text)


def N_(text: str) -> str:
    """Marks a text for extraction; it is translated later, where it is shown, with ``_``."""
    return text
