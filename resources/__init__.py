"""kpidesk's resources: the stylesheet, icons (with their licence) and translation catalogues.

This folder is installed as the package ``kpidesk.resources`` (pyproject.toml maps it), so the
code finds these files with ``importlib.resources.files("kpidesk.resources")`` wherever kpidesk
is installed (a wheel, an editable install, a PyInstaller build), never relative to the
repository or the working directory. ``screenshots/`` is for the README and does not ship.
"""
