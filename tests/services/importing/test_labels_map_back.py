"""Each import field's label, in English and in French, is a column name the import maps back
to that field: a list kpidesk exported (whose headers are those labels) imports in either
language, and the mapping screen's words are names the guess knows."""

from __future__ import annotations

import pytest

from kpidesk.domain.import_columns import FIELDS, guess_field
from kpidesk.presentation import _, translation


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_field_label_maps_back_to_its_field(language):
    with translation.using(language):
        wrong = {f.key: (_(f.label), guess_field(_(f.label))) for f in FIELDS
                 if guess_field(_(f.label)) != f.key}  # fmt: skip
    assert wrong == {}
