#!/usr/bin/env python3
"""Task runner that needs nothing but Python 3.11+: it makes `.venv`, installs, then runs.

    python3 dev.py demo    # the whole flow on the built-in GitLab sandbox
    python3 dev.py test    # ruff, then the test suite
    python3 dev.py lint    # ruff check and format check only
    python3 dev.py bench   # the benchmarks (slow)

The virtual environment is (re)installed whenever pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")


def ensure_venv() -> None:
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing accred-ops and its test tools into .venv ...", flush=True)
    run(
        str(BIN / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-e",
        f"{ROOT}[test]",
    )
    stamp.write_text(wanted)


def run(*command: str) -> None:
    code = subprocess.call(command, cwd=ROOT)
    if code:
        sys.exit(code)


def main(argv: list[str]) -> None:
    task, *rest = argv or ["test"]
    ensure_venv()
    if task == "demo":
        run(str(BIN / "accred-ops"), "demo", *rest)
    elif task == "lint":
        run(str(BIN / "ruff"), "check", ".")
        run(str(BIN / "ruff"), "format", "--check", ".")
    elif task == "test":
        main(["lint"])
        run(str(BIN / "python"), "-m", "pytest", *rest)
    elif task == "bench":
        run(str(BIN / "python"), "-m", "benchmarks.run", *rest)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
