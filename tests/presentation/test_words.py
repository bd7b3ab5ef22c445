"""Words and formats without Qt: CLDR numbers and dates per locale, the catalogue's French,
plural rules, and the one process-wide language."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from kpidesk.domain.i18n import Message
from kpidesk.domain.kpis import KPIS
from kpidesk.domain.periods import period_containing
from kpidesk.domain.vocabulary import ActivityKind
from kpidesk.presentation import Formatter, _, active, load_language, system_language_tag, using
from kpidesk.presentation.kpis import KpiDisplay
from kpidesk.presentation.labels import message_text
from kpidesk.presentation.periods import period_name
from kpidesk.presentation.sync import changes_waiting

PARIS = ZoneInfo("Europe/Paris")
NNBSP, NBSP = "\u202f", "\u00a0"  # CLDR fr: narrow no-break space in groups, no-break before €


def test_money_in_french_and_in_english():
    with using("fr_FR"):
        assert Formatter().money(1_240_000, decimals=2) == "12" + NNBSP + "400,00" + NBSP + "€"
        assert Formatter().money(1_240_000) == "12" + NNBSP + "400" + NBSP + "€"
    with using("en_GB"):
        assert Formatter().money(1_240_000, decimals=2) == "€12,400.00"
        assert Formatter().money(1_240_000) == "€12,400"
        assert Formatter().money(None) == "—"


def test_percent_number_and_date_per_locale():
    with using("fr_FR"):
        fmt = Formatter()
        assert fmt.percent(2 / 3) == "67" + NBSP + "%"
        assert fmt.number(1234.5, 1) == "1" + NNBSP + "234,5"
        assert fmt.day(date(2026, 3, 10)) == "10/03/2026"
    with using("en_GB"):
        fmt = Formatter()
        assert fmt.percent(2 / 3) == "67%"
        assert fmt.percent(0.714, 1) == "71.4%"
        assert fmt.number(1234.5, 1) == "1,234.5"
        assert fmt.day(date(2026, 3, 10), "medium") == "10 Mar 2026"


def test_relative_times():
    now = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    with using("en_GB"):
        assert Formatter().days_ago(now - timedelta(days=3), now) == "3 days ago"
        assert Formatter().days_ago(now - timedelta(hours=30), now) == "yesterday"
    with using("fr_FR"):
        assert Formatter().days_ago(now - timedelta(days=3), now) == "il y a 3 jours"


def test_the_french_catalogue_names_indicators_periods_and_words():
    with using("fr"):
        assert _(KPIS["conversion"].label) == "Taux de transformation"
        assert period_name(period_containing("month", date(2026, 11, 5), PARIS)) == "novembre 2026"
        assert period_name(period_containing("quarter", date(2026, 11, 5), PARIS)) == "T4 2026"
        assert _("Hot") == "Chaud"
    assert _(KPIS["conversion"].label) == "Conversion rate"  # English again outside the block
    assert period_name(period_containing("month", date(2026, 11, 5), PARIS)) == "November 2026"


def test_plural_forms_follow_each_language():
    fmt = Formatter()
    assert changes_waiting(1, fmt) == "1 change waiting"
    assert changes_waiting(0, fmt) == "0 changes waiting"
    assert changes_waiting(12, fmt) == "12 changes waiting"
    with using("fr"):
        fmt = Formatter()
        assert changes_waiting(1, fmt) == "1 modification en attente"
        assert changes_waiting(0, fmt) == "0 modification en attente"  # French: 0 is singular
        assert changes_waiting(12, fmt) == "12 modifications en attente"


def test_a_domain_message_with_a_plural():
    late = Message("It was due {n} day ago.", {"n": 1}, plural="It was due {n} days ago.")
    assert message_text(late) == "It was due 1 day ago."
    assert message_text(Message(late.template, {"n": 4}, late.plural)) == "It was due 4 days ago."
    assert Message(late.template, {"n": 4}, late.plural).english() == "It was due 4 days ago."


def test_a_vocabulary_value_in_a_message_is_shown_in_the_reps_words():
    """`kpidesk today` said "En retard : call avec …": the enum's label was looked up under
    the wrong key, so its raw value showed."""
    overdue = Message("Overdue: {kind} with {account}", {"kind": ActivityKind.CALL,
                                                         "account": "Hôtel du Lac"})  # fmt: skip
    assert message_text(overdue) == "Overdue: Call with Hôtel du Lac"
    with using("fr"):
        assert message_text(overdue) == f"En retard{NBSP}: Appel avec Hôtel du Lac"


def test_a_kpi_value_reads_the_same_everywhere():
    display = KpiDisplay(Formatter())
    assert display.value(KPIS["conversion"], 5 / 7) == "71%"
    assert display.value(KPIS["revenue"], 1_100_002) == "€11,000"
    assert display.value(KPIS["sales_cycle"], 23.44) == "23.4 days"


def test_the_language_comes_from_the_override_then_the_system():
    assert system_language_tag({"KPIDESK_LANG": "fr_FR", "LANG": "en_US.UTF-8"}) == "fr_FR"
    assert system_language_tag({"LC_ALL": "", "LANG": "fr_FR.UTF-8"}) == "fr_FR.UTF-8"
    assert system_language_tag({}, fallback="fr_BE") == "fr_BE"  # e.g. Windows: no LANG
    assert str(load_language("fr_FR.UTF-8").locale) == "fr_FR"
    assert str(load_language("C").locale) == "en_GB"  # nothing configured: like en_GB
    assert str(load_language("xx_YY").locale) == "en_GB"
    assert str(load_language("en").locale) == "en_GB"


def test_using_restores_the_language_even_on_error():
    before = active()
    try:
        with using("fr"):
            raise RuntimeError
    except RuntimeError:
        pass
    assert active() is before


def test_the_presentation_package_imports_no_qt():
    code = (
        "import sys, pkgutil, importlib, kpidesk.presentation as p\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        "    importlib.import_module(f'{p.__name__}.{m.name}')\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_store_error_is_said_from_its_kind_and_file(tmp_path):
    from kpidesk.presentation.errors import store_error_text
    from kpidesk.store.errors import StoreError
    from kpidesk.store.files import inspect_file

    try:
        inspect_file(tmp_path)  # a folder
    except StoreError as exc:
        error = exc
    assert (error.kind, error.path) == ("folder", tmp_path)  # the engine gives kind and file
    assert store_error_text(error) == f"{tmp_path} is a folder, not a kpidesk database"


def test_a_ratio_reads_as_a_number_and_a_change_too_small_to_show_has_no_arrow():
    from kpidesk.domain.kpis import Direction, Trend, definition
    from kpidesk.presentation import Formatter, using
    from kpidesk.presentation.kpis import KpiDisplay

    with using("en"):
        display = KpiDisplay(Formatter())
        offers_per_visit = definition("visit_to_offer")
        assert display.value(offers_per_visit, 0.4321) == "0.43"  # not "43%"
        assert display.delta(offers_per_visit, 0.1) == "+0.10"  # not "+10 pts"
        conversion = definition("conversion")
        tiny = Trend(Direction.UP, 0.004, None, True)  # +0.4 points: shown as +0 pts
        assert display.trend(conversion, tiny) == "= unchanged"
        real = Trend(Direction.UP, 0.05, None, True)
        assert display.trend(conversion, real) == "▲ +5 pts"


def test_each_vocabulary_names_its_own_other():
    # The vocabularies are str-based enums: their "other" values are equal as dict keys, and
    # one table of labels once showed "Other purpose" for an activity's kind and a source.
    from kpidesk.domain.vocabulary import AccountSource, ActivityKind, ActivityPurpose
    from kpidesk.presentation.labels import label

    assert label(ActivityKind.OTHER) == "Other"
    assert label(AccountSource.OTHER) == "Other source"
    assert label(ActivityPurpose.OTHER) == "Other purpose"
