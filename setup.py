"""Only what pyproject.toml cannot say: the package list.

The repository's ``resources/`` folder is installed as the package ``kpidesk.resources``
(``[tool.setuptools.package-dir]`` in pyproject.toml). ``[tool.setuptools.packages.find]`` only
discovers packages by walking folders, so it cannot add a package mapped from elsewhere, and an
explicit list in pyproject.toml would have to name every sub-package by hand. Everything else
(metadata, the mapping itself, which files ship) stays in pyproject.toml.
"""

from setuptools import find_namespace_packages, find_packages, setup

# The data folders (styles/, locale/fr/LC_MESSAGES/...) are listed as namespace packages too, as
# setuptools asks, or it warns that each is "importable but absent from `packages`". The README's
# screenshots never ship.
RESOURCE_FOLDERS = find_namespace_packages(where="resources", exclude=["screenshots*"])

setup(
    packages=[
        *find_packages(include=["kpidesk", "kpidesk.*"]),
        "kpidesk.resources",
        *(f"kpidesk.resources.{folder}" for folder in RESOURCE_FOLDERS),
    ]
)
