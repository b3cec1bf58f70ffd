#!/usr/bin/env python3
"""Developer entry point that needs nothing but Python 3.11+.

    python3 dev.py serve   # embedded PostgreSQL, migrations, demo data, logins and docs URL, then serve
    python3 dev.py test    # the whole test suite against real PostgreSQL
    python3 dev.py lint    # ruff check, ruff format --check, mypy, lint-imports (the layer contracts)

It finds `uv` on PATH or installs it once into .data/tools, installs the locked dependencies with
`uv sync --frozen`, and runs the command through `uv run`. Extra arguments are passed on
(`python3 dev.py test -k consent`, `python3 dev.py serve --port 9000`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
TOOLS = ROOT / ".data" / "tools"
UV_REQUIREMENT = "uv>=0.5,<1"


def find_uv() -> str:
    found = shutil.which("uv")
    if found:
        return found
    bindir = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    local = bindir / ("uv.exe" if os.name == "nt" else "uv")
    if not local.exists():
        print(f"installing {UV_REQUIREMENT} into {TOOLS} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
        subprocess.run(
            [
                str(bindir / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                UV_REQUIREMENT,
            ],
            check=True,
        )
    return str(local)


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print("loyalty needs Python 3.11 or newer", file=sys.stderr)
        return 2
    commands = {
        "serve": ["loyalty", "up"],
        "test": ["pytest"],
        "lint": None,
    }
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    uv = find_uv()
    os.chdir(ROOT)
    subprocess.run([uv, "sync", "--frozen", "--quiet"], check=True)
    run = [uv, "run", "--frozen", "--"]
    if command == "lint":
        for step in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"], ["lint-imports"]):
            result = subprocess.run(run + step, check=False)
            if result.returncode != 0:
                return result.returncode
        return 0
    try:
        return subprocess.run(run + commands[command] + extra, check=False).returncode  # type: ignore[operator]
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
