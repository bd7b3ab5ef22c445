"""What the pages' import loads: the sync stack (httpx with click, rich and pygments; keyring),
the import wizard, the demo generator and the PDF writers load when the rep uses them, and
each page but Today with the page, on its first visit: not while the first page is being built
(DESIGN: heavy imports wait)."""

from __future__ import annotations

import os
import subprocess

LOADED_LATER = (
    "httpx",
    "click",
    "rich",
    "pygments",
    "keyring",
    "kpidesk.sync.transport",
    "kpidesk.sync.client",
    "kpidesk.ui.dialogs.import_wizard",
    "kpidesk.services.demo",
    "kpidesk.services.demo_world",
    "kpidesk.ui.report.pdf",
    "kpidesk.ui.report.agenda_pdf",
    "kpidesk.ui.pages.indicators",
    "kpidesk.ui.pages.pipeline",
    "kpidesk.ui.pages.accounts",
    "kpidesk.ui.pages.settings",
    "kpidesk.ui.dialogs.conflicts",
    "kpidesk.ui.dialogs.shortcuts",
    "kpidesk.ui.pages.team",
    "kpidesk.ui.pages.sharing_box",
    "kpidesk.ui.dialogs.proposal",
    "kpidesk.services.one_on_one",
    "kpidesk.services.importing.service",
    "kpidesk.ui.pages.journal",
    "kpidesk.services.calendar_export",
)
# Everything the app imports on its way to the pages (kpidesk.ui.app's worker, then on_opened).
PAGES_IMPORT = (
    "import sys, kpidesk.ui.app, kpidesk.services.backups, kpidesk.store.errors, "
    "kpidesk.ui.desktop, kpidesk.ui.first_run; "
    "print('\\n'.join(sorted(sys.modules)))"
)


def _modules_after(python_exe: str, code: str) -> set[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [python_exe, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return set(done.stdout.split())


def _loaded(modules: set[str], name: str) -> bool:
    return name in modules or any(module.startswith(name + ".") for module in modules)


def test_the_pages_import_leaves_the_sync_stack_wizard_demo_and_pdf_for_later(python_exe):
    modules = _modules_after(python_exe, PAGES_IMPORT)
    assert "kpidesk.ui.pages.today" in modules  # the first page's module was indeed imported
    assert [name for name in LOADED_LATER if _loaded(modules, name)] == []


def test_a_sync_still_finds_httpx_and_keyring_when_it_needs_them(python_exe):
    """The lazy imports resolve: a connection's transport and the keyring check load them."""
    code = (
        "import sys; from kpidesk.sync.credentials import CredentialStore; "
        "from kpidesk.sync import session; "
        "CredentialStore().has_keyring(); "
        "session._make_http_client('http://127.0.0.1:9', None).close(); "
        "print('\\n'.join(sorted(sys.modules)))"
    )
    modules = _modules_after(python_exe, code)
    assert {"httpx", "keyring", "kpidesk.sync.transport"} <= modules
