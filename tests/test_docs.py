"""The project's documents stand on their own: every link resolves inside the repository, and
docs/indicators.md describes every indicator and suggestion rule the code has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpidesk.domain.kpis import CATALOGUE
from kpidesk.domain.suggestions import RULES

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def anchors(document: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    text = CODE_BLOCK.sub("", document.read_text(encoding="utf-8"))
    headings = re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def local_links(document: Path) -> list[str]:
    text = CODE_BLOCK.sub("", document.read_text(encoding="utf-8"))
    return [t for t in LINK.findall(text) if not re.match(r"[a-z]+:", t)]


def resolves(document: Path, target: str) -> bool:
    path_part, _, anchor = target.partition("#")
    path = (document.parent / path_part).resolve() if path_part else document
    if not path.is_relative_to(ROOT) or not path.exists():
        return False
    return not anchor or path.suffix != ".md" or anchor in anchors(path)


def test_there_are_documents_to_check():
    names = {d.name for d in DOCUMENTS}
    assert {"indicators.md", "sync.md", "architecture.md", "operations.md"} <= names


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_link_resolves_inside_the_repository(document: Path):
    assert [t for t in local_links(document) if not resolves(document, t)] == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_no_document_points_at_the_design_folder_outside_the_repository(document: Path):
    assert "../shared" not in document.read_text(encoding="utf-8")


def test_every_indicator_and_suggestion_rule_is_described():
    text = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    missing = [d.key for d in CATALOGUE if f"(`{d.key}`)" not in text]
    missing += [rule for rule in RULES if f"| `{rule}` |" not in text]
    assert missing == []
