"""The language is chosen from its tag without Babel (the window paints before Babel is
imported), and reads every tag as Babel's parsing did: the reference below is the reading
kpidesk used before, through ``babel.Locale.parse``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from babel import Locale, UnknownLocaleError

from kpidesk.presentation.translation import FALLBACK_LOCALE, LIKELY, load_language, locale_name


def babel_reading(tag: str) -> str:
    """The locale kpidesk wrote in before (Babel's parse, the fallback, the likely territory)."""
    name = tag.split(".")[0].split("@")[0].replace("-", "_")
    try:
        locale = Locale.parse(name) if name not in ("", "C", "POSIX") else None
    except (UnknownLocaleError, ValueError):
        locale = None
    if locale is None or str(locale) == "en_US_POSIX":
        locale = Locale.parse(FALLBACK_LOCALE)
    if locale.territory is None and locale.language in LIKELY:
        locale = Locale.parse(LIKELY[locale.language])
    return str(locale)


TAGS = [
    "fr", "fr_FR", "fr-FR", "fr_FR.UTF-8", "fr_FR.utf8", "fr_FR@euro", "fr_BE", "fr_CA.UTF-8",
    "fr_CH", "fr_LU", "en", "en_GB", "en_US", "en-US", "en_US.UTF-8", "en_IE", "en_US_POSIX",
    "C", "POSIX", "C.UTF-8", "", "de_DE.UTF-8", "de", "es_ES", "it_IT", "nl_BE", "pt_BR",
    "zh_Hant_TW", "sr_Latn_RS", "FR_fr", "xx_YY", "english", "French_France.1252",
]  # fmt: skip


UNKNOWN = {"xx_YY", "english", "French_France.1252"}  # Babel reads no locale from these


@pytest.mark.parametrize("tag", TAGS)
def test_a_tag_writes_in_the_locale_babel_read_from_it(tag):
    language = load_language(tag)
    assert str(language.locale) == babel_reading(tag)
    if tag not in UNKNOWN:  # a tag Babel knows keeps its name; an unknown one writes like en_GB
        assert locale_name(tag) == babel_reading(tag)


@pytest.mark.parametrize(("tag", "french"), [("fr_FR.UTF-8", True), ("fr", True),
                                              ("fr-BE", True), ("en_GB", False), ("C", False),
                                              ("xx_YY", False), ("de_DE", False)])  # fmt: skip
def test_the_texts_are_french_for_a_french_tag_only(tag, french):
    catalogue = load_language(tag).catalogue
    assert (catalogue.gettext("Today") == "Aujourd'hui") is french


def test_choosing_the_language_imports_no_babel():
    code = ("import sys; from kpidesk.presentation import install, Formatter; install('fr_FR');"
            " Formatter(); print('babel' in sys.modules)")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
