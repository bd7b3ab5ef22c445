"""The gettext catalogue: every user-visible literal goes through it, kpidesk.pot is current,
translations keep their placeholders, and the compiled .mo matches its .po."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.presentation.literal_scan import scan_paths, scan_source

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "resources" / "locale"
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "plural_message": (1, 2),
}
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def test_no_user_visible_literal_bypasses_the_catalogue():
    scanned = [ROOT / "kpidesk" / "ui", ROOT / "kpidesk" / "commands", ROOT / "kpidesk" / "cli.py",
               ROOT / "kpidesk" / "presentation"]  # fmt: skip
    findings = scan_paths(scanned, ROOT)
    assert not findings, "texts not marked for translation:\n" + "\n".join(map(str, findings))


def test_the_scan_flags_what_bypasses_the_catalogue_and_only_that():
    source = """
label.setText("Signed in")
button = QPushButton("Cancel")
print(f"Sent {n} changes")
sys.stderr.write("no database" + suffix)
parser.add_argument("--json", help="print JSON")
raise UsageError("the password is empty")
label.setToolTip("Which period: {period}".format(period=p))

label.setText(_("Signed in"))
print(_("Sent {n} changes").format(n=n))
combo.addItem(_("Week"), "week")
label.setText(f"{value} · {other}")
label.setText(record["name"])
label.setText(fmt.day(today, "full"))
widget.setObjectName("tileTitle")
action.setShortcut("Ctrl+L")
box.setText("<b>" + _("Hot") + "</b>")
parser.add_argument("--tz", help=_("your time zone"))
"""
    flagged = [(f.line, f.text) for f in scan_source(source)]
    assert flagged == [
        (2, "Signed in"),
        (3, "Cancel"),
        (4, "Sent "),
        (4, " changes"),
        (5, "no database"),
        (6, "print JSON"),
        (7, "the password is empty"),
        (8, "Which period: {period}"),
    ]


def _extracted_ids() -> set[str]:
    method_map = [("kpidesk/server/**", "ignore"), ("kpidesk/**.py", "python")]
    ids = set()
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            ids.add((context, msgid))
    return ids


def _catalogue_ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return {(m.context, m.id[0] if m.pluralizable else m.id) for m in catalogue if m.id}


def test_the_committed_template_is_current():
    extracted = _extracted_ids()
    committed = _catalogue_ids(LOCALE / "kpidesk.pot")
    assert extracted - committed == set(), "new texts: run `make translations`"
    assert committed - extracted == set(), "texts gone from the code: run `make translations`"


def test_each_language_has_every_text_of_the_template():
    template = _catalogue_ids(LOCALE / "kpidesk.pot")
    for po in LOCALE.glob("*/LC_MESSAGES/kpidesk.po"):
        assert _catalogue_ids(po) == template, f"{po}: run `make translations`"


def _names(text: str) -> set[str]:
    return {name.split("!")[0].split(":")[0] for name in PLACEHOLDER.findall(text)}


def test_translations_keep_the_placeholders_of_the_source():
    for po in LOCALE.glob("*/LC_MESSAGES/kpidesk.po"):
        with po.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or not message.string:
                continue
            if message.pluralizable:
                wanted = _names(message.id[0]) | _names(message.id[1])
                for form in message.string:
                    assert not form or _names(form) <= wanted, (po, message.id, form)
                    assert not form or _names(form) >= wanted - {"n"}, (po, message.id, form)
            else:
                assert _names(message.string) == _names(message.id), (po, message.id)


def _pairs(catalogue) -> dict:
    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    def translated(m) -> bool:  # Babel reads an empty plural msgstr back as the msgids
        ids = set(m.id) if m.pluralizable else {m.id}
        forms = m.string if m.pluralizable else [m.string]
        return any(form and form not in ids for form in forms)

    return {plain(m.id): plain(m.string) for m in catalogue if m.id and translated(m)}


def test_the_compiled_catalogue_is_the_po():
    for po in LOCALE.glob("*/LC_MESSAGES/kpidesk.po"):
        with po.open("rb") as handle:
            source = _pairs(read_po(handle))
        with po.with_suffix(".mo").open("rb") as handle:
            compiled = _pairs(read_mo(handle))
        assert compiled == source, f"{po}: run `make translations` to compile it"
