"""The catalogue holds exactly the indicators of KPIS.md, each fully described and translatable."""

import ast
import inspect

from kpidesk.domain.kpis import CATALOGUE, KPIS, LENSES, KpiGroup, KpiUnit, Lens, in_group
from kpidesk.domain.kpis import catalogue as catalogue_module
from kpidesk.presentation import _, using

# The keys of KPIS.md, by its tables.
KPIS_MD = {
    KpiGroup.QUANTITIES: {
        "visits", "calls", "follow_ups", "offers_sent", "new_prospects", "new_clients",
    },
    KpiGroup.MONEY: {"revenue", "margin", "margin_rate", "average_deal"},
    KpiGroup.RATES: {
        "conversion", "visit_to_offer", "follow_up_rate", "retention", "recommendation",
    },
    KpiGroup.PIPELINE: {
        "pipeline_value", "weighted_pipeline", "hot_prospects", "stale_offers", "sales_cycle",
        "pipeline_velocity",
    },
}  # fmt: skip


def test_every_key_of_kpis_md_once_in_its_group():
    assert len(CATALOGUE) == len(KPIS) == 21
    for group, keys in KPIS_MD.items():
        assert {d.key for d in in_group(group)} == keys


def test_units_and_directions():
    assert KPIS["revenue"].unit is KpiUnit.MONEY
    assert KPIS["conversion"].unit is KpiUnit.RATE and KPIS["conversion"].has_interval
    assert KPIS["visit_to_offer"].unit is KpiUnit.RATIO and not KPIS["visit_to_offer"].has_interval
    assert KPIS["sales_cycle"].unit is KpiUnit.DAYS
    assert KPIS["pipeline_velocity"].unit is KpiUnit.MONEY_PER_DAY
    lower_is_better = {d.key for d in CATALOGUE if not d.higher_is_better}
    assert lower_is_better == {"stale_offers", "sales_cycle"}


def _french(text: str) -> str:
    with using("fr"):
        return _(text)


def test_every_definition_is_complete():
    for d in CATALOGUE:
        for text in (d.label, _french(d.label), d.definition, d.formula, d.levers):
            assert text.strip(), d.key
        assert d.label != _french(d.label), d.key  # KPIS.md's French label, from fr.po
    # Indicators that count over the period are paced; levels are not.
    assert {d.key for d in CATALOGUE if d.accumulates} == {
        "visits", "calls", "follow_ups", "offers_sent", "new_prospects", "new_clients",
        "revenue", "margin",
    }  # fmt: skip


def test_lenses_of_kpis_md():
    prospecting = [(i.key, i.part) for i in LENSES[Lens.PROSPECTING]]
    assert prospecting == [
        ("visits", "prospecting"),
        ("new_prospects", None),
        ("hot_prospects", None),
        ("visit_to_offer", None),
        ("new_clients", None),
        ("recommendation", None),
    ]
    assert {i.key for i in LENSES[Lens.CLOSING]} == {
        "conversion", "follow_up_rate", "follow_ups", "stale_offers", "sales_cycle", "average_deal",
    }  # fmt: skip
    assert KPIS["follow_ups"].lenses == frozenset({Lens.CLOSING})
    assert KPIS["revenue"].lenses == frozenset()


def _marked_strings() -> set[str]:
    """Literal strings passed to N_(...) in the catalogue's source."""
    tree = ast.parse(inspect.getsource(catalogue_module))
    marked = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "N_":
            assert isinstance(node.args[0], ast.Constant), "extraction needs a literal string"
            marked.add(node.args[0].value)
    return marked


def test_english_texts_are_marked_for_the_catalogue():
    marked = _marked_strings()
    for d in CATALOGUE:
        for text in (d.label, d.definition, d.formula, d.levers, *([d.note] if d.note else [])):
            assert text in marked, (d.key, text)
