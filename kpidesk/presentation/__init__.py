"""Qt-free words and formats: every user-visible sentence and number of the GUI, the CLI and the
report goes through here, in the active language (see ``translation``) and its locale.

``from kpidesk.presentation import _, N_, ngettext, Formatter`` is what most callers need; the
modules ``labels``, ``periods``, ``kpis``, ``sync`` and ``conflicts`` render the domain's values.
"""

from kpidesk.presentation.formats import DASH, Formatter
from kpidesk.presentation.translation import (
    N_,
    Language,
    _,
    active,
    install,
    load_language,
    ngettext,
    pgettext,
    system_language_tag,
    using,
)

__all__ = [
    "DASH",
    "N_",
    "Formatter",
    "Language",
    "_",
    "active",
    "install",
    "load_language",
    "ngettext",
    "pgettext",
    "system_language_tag",
    "using",
]
