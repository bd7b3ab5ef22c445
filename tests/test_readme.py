"""The README's indicator table says what the catalogue says."""

from pathlib import Path

from kpidesk.domain.kpis import CATALOGUE, KpiUnit
from kpidesk.presentation import _, using

README = Path(__file__).resolve().parents[1] / "README.md"

UNIT_WORDS = {
    KpiUnit.COUNT: "count",
    KpiUnit.MONEY: "money (cents)",
    KpiUnit.RATE: "rate (0–1)",
    KpiUnit.RATIO: "ratio",
    KpiUnit.DAYS: "days",
    KpiUnit.MONEY_PER_DAY: "money per day (cents)",
}


def indicator_rows() -> list[str]:
    """The table rows, in catalogue order (paste them into the README when the catalogue moves)."""
    with using("fr"):  # the French labels are the French catalogue's
        french = {d.key: _(d.label) for d in CATALOGUE}
    return [
        f"| `{d.key}` | {d.label} ({french[d.key]}) | {d.formula} | {UNIT_WORDS[d.unit]} |"
        for d in CATALOGUE
    ]


def test_readme_lists_every_indicator_as_the_catalogue_defines_it():
    lines = README.read_text(encoding="utf-8").splitlines()
    rows = [line for line in lines if line.startswith("| `") and line.count("|") == 5]
    assert rows == indicator_rows()


if __name__ == "__main__":
    print("\n".join(indicator_rows()))
