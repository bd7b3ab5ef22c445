"""Render the main pages to PNG files for the README (`make screenshots`).

Rendering is offscreen (no X server needed) on the 5-year demo data set with a fixed end date,
so the pictures change only when the pages do. Usage:
    python resources/screenshots/capture.py [OUTPUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PAGES = ("today", "indicators", "pipeline", "accounts", "journal")
SIZE = (1360, 820)


def main() -> int:
    from PySide6.QtCore import QSettings

    from kpidesk.services.demo import create_demo_database
    from kpidesk.services.workspace import open_workspace
    from kpidesk.ui.app import create_application
    from kpidesk.ui.desktop import build_pages
    from kpidesk.ui.main_window import MainWindow
    from kpidesk.ui.tasks import TaskRunner

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = create_demo_database(Path(tmp) / "demo.sqlite", 2, 1, date.today()).path
        app = create_application()
        workspace = open_workspace(db)
        window = MainWindow(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        window.resize(*SIZE)
        window.show()
        desktop = build_pages(window, workspace, TaskRunner(window, synchronous=True))
        indicators = desktop.indicators
        for key in PAGES:
            window.show_page(key)
            if key == "indicators":
                # The last whole month: the running one may be only a day old.
                indicators.show_period(indicators.period.previous())
            app.processEvents()
            target = out / f"{key}.png"
            window.grab().save(str(target))
            print(f"wrote {target}")
        window.show_page("indicators")
        indicators.open_detail("conversion")
        app.processEvents()
        window.grab().save(str(out / "indicator_detail.png"))
        indicators.detail.tabs.setCurrentIndex(1)  # the offers counted
        app.processEvents()
        window.grab().save(str(out / "indicator_records.png"))
        indicators.detail.close_panel()
        print(f"wrote {out / 'indicator_detail.png'} and {out / 'indicator_records.png'}")
        desktop.accounts.open_account(desktop.directory.snapshot.accounts[3].id)
        window.show_page("accounts")
        app.processEvents()
        window.grab().save(str(out / "account.png"))
        actions = desktop.actions
        dialog = actions.log_activity(desktop.directory.snapshot.accounts[5].id)
        dialog.outcome.setText("Devis demandé pour le printemps")
        app.processEvents()
        dialog.grab().save(str(out / "quick_log.png"))
        print(f"wrote {out / 'account.png'} and {out / 'quick_log.png'}")
        workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
