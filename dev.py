#!/usr/bin/env python3
"""Task runner that needs nothing but Python 3.11+: it makes `.venv`, installs, then runs.

    python3 dev.py demo    # the whole flow on the built-in GitLab sandbox
    python3 dev.py test    # ruff, then the test suite (also makes .venv-validator/)
    python3 dev.py lint    # ruff check and format check only
    python3 dev.py dates   # the suite again under shifted system clocks (needs `faketime`)
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
# 1EdTech's Open Badges 2.0 validator, for the badge tests only. Its pins (click 6.7, jsonschema
# 2.6, ...) clash with the product's, so it lives in its own environment, `.venv-validator/`,
# made by `test` (never by `demo`), and tests/badges/test_validator.py runs it in a subprocess.
VALIDATOR = [
    ["--no-deps", "openbadges==1.1.2", "openbadges-bakery==1.2.4"],
    [
        "aniso8601",
        "future==0.16.0",
        "jsonschema==2.6.0",
        "language-tags==0.4.3",
        "pydux==0.2.2",
        "PyLD==0.7.1",
        "python-mimeparse==1.6.0",
        "requests-cache==0.4.13",
        "rfc3986==0.4.1",
        "validators==0.11.2",
        "six",
        "pypng",
        "defusedxml<1",
        "pytz",
        "python-jose",
        "pycryptodome",
        "requests",
        "responses",
    ],
]
# Shifted system clocks for `dates` (libfaketime's syntax; "@" starts the clock there and lets it
# run) and what each runs: the whole suite a year on, the date-driven tests at two more dates.
# Every test pins its own dates (tests/conftest.py), so each of these must pass as it does today.
DATE_SENSITIVE = ["tests/core", "tests/reports", "tests/badges", "tests/e2e/test_reminders.py"]
SHIFTED_CLOCKS = [
    ("+365d", []),
    ("+30d", DATE_SENSITIVE),
    ("@2031-02-28 12:00:00", DATE_SENSITIVE),
]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
VALIDATOR_VENV = ROOT / ".venv-validator"


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs on whatever python3 is)
        sys.exit(f"accred-ops needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    if not (BIN / "python").exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing accred-ops and its test tools into .venv ...", flush=True)
    # pip's own chatter (notices about this machine's package sources) is shown only on failure
    done = subprocess.run(
        [*_pip(BIN), "-e", f"{ROOT}[test]"], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"{done.stdout}{done.stderr}pip could not install accred-ops (see above)")
    stamp.write_text(wanted)


def ensure_validator() -> None:
    """The Open Badges 2.0 validator in `.venv-validator/`, apart from the product's packages.
    A failed install only skips the validator tests: it is not the product."""
    stamp = VALIDATOR_VENV / ".installed"
    wanted = hashlib.sha256(repr(VALIDATOR).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    bin_dir = VALIDATOR_VENV / BIN.name
    print("installing the Open Badges 2.0 validator into .venv-validator ...", flush=True)
    venv.create(VALIDATOR_VENV, with_pip=True, clear=True)
    for packages in VALIDATOR:
        # pip reports the validator's own old pins as conflicts: expected here, so kept quiet
        done = subprocess.run([*_pip(bin_dir), *packages], cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            if os.environ.get("CI"):  # in CI a skipped validator would hide a failure
                sys.exit(f"{done.stderr}the Open Badges 2.0 validator did not install")
            print(
                done.stderr, "the validator did not install; its tests will be skipped", flush=True
            )
            return
    stamp.write_text(wanted)


def _pip(bin_dir: Path) -> list[str]:
    return [
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
    ]


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
        ensure_validator()
        main(["lint"])
        # one worker per core: each test has its own sandbox (own port) and its own folder
        run(str(BIN / "python"), "-m", "pytest", "-n", "auto", *rest)
    elif task == "dates":
        ensure_validator()
        for shift, paths in SHIFTED_CLOCKS:
            print(f"== the suite with the system clock at {shift}", flush=True)
            pytest = [str(BIN / "python"), "-m", "pytest", "-n", "auto", "-p", "no:cacheprovider"]
            run("faketime", "-f", shift, *pytest, *paths, *rest)
    elif task == "bench":
        run(str(BIN / "python"), "-m", "benchmarks.run", *rest)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
