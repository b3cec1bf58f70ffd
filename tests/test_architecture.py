"""The layer contracts in pyproject.toml ([tool.importlinter]) hold: imports only point down (core, the
domains in their order, workflows, controllers and the app), and only the app imports controllers.
`python3 dev.py lint` runs the same check; here it also fails the test suite."""

from __future__ import annotations

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_points_down_the_layers() -> None:
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    finally:
        os.chdir(cwd)
    assert status == 0, "an import points up a layer: run `python3 dev.py lint` to see which"
