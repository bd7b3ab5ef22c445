"""This computer's preferences that come before any database is open: the language.

The language is chosen before the first word is drawn (the window's title, the CLI's help), and
is the same whichever database is open (the rep's or the demo), so it lives in a small JSON
file in the user's configuration folder, not in a database; the app and the CLI both read it.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

LANGUAGE = "language"
# The languages kpidesk speaks (a complete catalogue each), as the locale they are written in.
LANGUAGES = ("fr_FR", "en_GB")


def preferences_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("kpidesk", appauthor=False)) / "preferences.json"


def _read(path: Path) -> dict[str, object]:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:  # unreadable or garbled: the defaults, said in the log
        log.warning("preferences not read (%s): defaults used", type(exc).__name__)
        return {}
    return stored if isinstance(stored, dict) else {}


def chosen_language(path: Path | None = None) -> str | None:
    """The language chosen in Settings, or None to follow the system."""
    value = _read(path or preferences_path()).get(LANGUAGE)
    return value if value in LANGUAGES else None


def choose_language(tag: str | None, path: Path | None = None) -> None:
    """Remember ``tag`` (one of :data:`LANGUAGES`), or None to follow the system again."""
    if tag is not None and tag not in LANGUAGES:
        raise ValueError(f"not a language kpidesk speaks: {tag!r}")
    path = path or preferences_path()
    stored = _read(path)
    if tag is None:
        stored.pop(LANGUAGE, None)
    else:
        stored[LANGUAGE] = tag
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.new-{os.getpid()}")
    aside.write_text(json.dumps(stored, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(aside, path)  # whole or not at all: a crash never leaves half a file
