"""The PyInstaller build's entry point: the same `kpidesk` command as the installed script."""

import sys

from kpidesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
