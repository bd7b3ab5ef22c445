"""French is complete and reads as French.

The completeness test guards the whole catalogue: other branches add texts in parallel, so its
failure lists every msgid still without French (to be translated when they merge). The screen
tests compare what key screens show with French written by hand, so a msgstr left in English,
a swapped entry or a lost plural form shows up as a sentence a rep would not read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from babel.messages.pofile import read_po

from kpidesk.domain.i18n import plural_message
from kpidesk.domain.kpis import KPIS
from kpidesk.domain.kpis.definition import GROUP_LABELS, KpiGroup
from kpidesk.domain.periods import period_containing
from kpidesk.presentation import Formatter, _, using
from kpidesk.presentation.kpis import KpiDisplay, kpi_text
from kpidesk.presentation.labels import message_text
from kpidesk.presentation.periods import period_name
from kpidesk.presentation.sync import status_line
from tests.presentation.test_catalogue import LOCALE, _extracted_ids

FRENCH_PO = LOCALE / "fr" / "LC_MESSAGES" / "kpidesk.po"
PARIS = ZoneInfo("Europe/Paris")
NBSP, NNBSP = "\u00a0", "\u202f"


def _read(path):
    with path.open("rb") as handle:
        return read_po(handle)


def _key(message) -> tuple[str | None, str]:
    return (message.context, message.id[0] if message.pluralizable else message.id)


def _translated(message, nplurals: int) -> bool:
    if message.fuzzy:  # a guess by msgmerge, never reviewed: gettext would not show it anyway
        return False
    if message.pluralizable:
        forms = list(message.string)
        # Babel reads an empty plural msgstr back as the msgids: count those as missing too.
        return len(forms) >= nplurals and all(f and f not in message.id for f in forms[:nplurals])
    return bool(message.string)


def test_every_text_of_the_app_has_a_french_translation():
    french = _read(FRENCH_PO)
    done = {_key(m) for m in french if m.id and _translated(m, french.num_plurals)}
    wanted = {_key(m) for m in _read(LOCALE / "kpidesk.pot") if m.id}
    wanted |= _extracted_ids()  # texts added in the code since the last `make translations`
    missing = sorted(wanted - done, key=lambda key: key[1].lower())
    listing = "\n".join(
        f"  msgid {text!r}" + (f" (context {context!r})" if context else "")
        for context, text in missing
    )
    assert not missing, (
        f"{len(missing)} text(s) without French in {FRENCH_PO.name} (a fuzzy entry counts as "
        f"missing; plural entries need all {french.num_plurals} forms). Run `make translations`, "
        f"then translate:\n{listing}"
    )


def test_the_french_catalogue_passes_babels_checks():
    # `pybabel compile` exits 1 on these (e.g. a msgid Babel took for a %-format), which fails
    # `make translations`: catch it here, with the entry named.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _read(FRENCH_PO).check()]
    assert problems == []


def test_a_stale_offer_has_one_french_name_everywhere():
    """ "Stale" is "dormante" in the indicator, so Settings, hints and errors say it too (one
    screen said "Offre endormie après" beside "Offres dormantes")."""
    french = _read(FRENCH_PO)
    stale = [m for m in french if m.id and "stale" in str(m.id).lower()]
    assert len(stale) >= 8  # the indicator, its hints, the setting, its error, the team view
    for message in stale:
        forms = message.string if message.pluralizable else (message.string,)
        for form in forms:
            words = form.lower().replace("&", "")  # an accelerator splits the word
            assert "dormant" in words, (message.id, form)
            assert not any(w in words for w in ("endormi", "endort", "périmé", "en sommeil"))


def test_the_indicators_page_in_french():
    expected = {
        "conversion": "Taux de transformation",
        "visit_to_offer": "Offres par visite",
        "follow_up_rate": "Taux de relance",
        "retention": "Taux de fidélisation",
        "recommendation": "Taux de recommandation",
        "visits": "Visites",
        "calls": "Appels",
        "follow_ups": "Relances",
        "offers_sent": "Offres envoyées",
        "new_prospects": "Nouveaux prospects",
        "new_clients": "Nouveaux clients",
        "revenue": "Chiffre d'affaires",
        "margin": "Marge",
        "margin_rate": "Taux de marge",
        "average_deal": "Panier moyen",
        "pipeline_value": "Valeur du pipeline",
        "weighted_pipeline": "Pipeline pondéré",
        "hot_prospects": "Prospects chauds",
        "stale_offers": "Offres dormantes",
        "sales_cycle": "Cycle de vente",
        "pipeline_velocity": "Vélocité du pipeline",
    }
    with using("fr"):
        assert {key: kpi_text(kpi.label) for key, kpi in KPIS.items()} == expected
        assert [_(GROUP_LABELS[g]) for g in KpiGroup] == [
            "Taux",
            "Volumes",
            "Montants",
            "Qualité du pipeline",
        ]
        assert kpi_text(KPIS["conversion"].formula) == (
            "offres gagnées ÷ offres décidées (gagnées + perdues + abandonnées)"
        )
        display = KpiDisplay(Formatter())
        assert display.value(KPIS["conversion"], 5 / 7) == "71" + NBSP + "%"
        assert display.value(KPIS["sales_cycle"], 23.44) == "23,4 jours"
        assert display.value(KPIS["pipeline_velocity"], 123_456) == (
            "1" + NNBSP + "235" + NBSP + "€ / jour"
        )
        assert _("Ahead of pace · target {target}").format(target="40") == (
            "En avance · objectif 40"
        )
        assert _("{kpi}: behind pace for {month}").format(kpi="CA", month="novembre") == (
            "CA" + NBSP + ": en retard sur l'objectif de novembre"
        )
        assert _("Behind pace · target {target}").format(target="40") == ("En retard · objectif 40")
        month = period_containing("month", date(2026, 11, 5), PARIS)
        assert _("My indicators: {period} ({zone})").format(
            period=period_name(month), zone="Europe/Paris"
        ) == ("Mes indicateurs" + NBSP + ": novembre 2026 (Europe/Paris)")
        # A comparison line of the detail and the tooltips: French spaces its colon.
        september = period_containing("month", date(2026, 9, 5), PARIS)
        value = SimpleNamespace(value=0.33, rate=None, coverage=None)
        assert display.comparison(KPIS["conversion"], value, september) == (
            "septembre 2026" + NBSP + ": 33" + NBSP + "%"
        )


def test_the_today_page_in_french():
    with using("fr"):
        assert _("Due today and overdue ({n})").format(n=3) == (
            "Prévu aujourd'hui et en retard (3)"
        )
        assert _("Worth doing today") == "À faire aujourd'hui"
        assert _("Closest to closing") == "Les plus proches de la signature"
        for days, french in (
            (4, "C'était prévu il y a 4 jours."),
            (1, "C'était prévu il y a 1 jour."),
        ):
            late = plural_message(
                "It was due {days} day ago.", "It was due {days} days ago.", "days", days=days
            )
            assert message_text(late) == french
        assert _("Call {account}: a hot prospect gone quiet").format(account="Dupont SA") == (
            "Appeler Dupont SA" + NBSP + ": un prospect chaud sans nouvelles"
        )


def test_the_sync_status_bar_in_french():
    now = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    offline = SimpleNamespace(
        phase=SimpleNamespace(value="offline"),
        pending=12,
        next_try_at=now + timedelta(minutes=2),
        last_sync_at=None,
        stopping=False,
        progress=None,
    )
    with using("fr"):
        line = status_line(offline, Formatter(), now)
    assert line.startswith("Hors ligne · 12 modifications en attente · prochain essai dans ")
    assert "next" not in line and "waiting" not in line
