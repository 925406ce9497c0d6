"""The real .gitlab-ci.yml's `validate` job, run locally in a shell by gitlab-emulator (`gle`).

gle runs the job's before_script and script lines with `sh -e` in a copy of the program
repository, with `--ignore-docker` so `image:` is not used. ACCRED_OPS_PACKAGE is set to
`accred-ops`, so the before_script's `pip install --quiet "$ACCRED_OPS_PACKAGE"` finds the
package already installed in this environment and fetches nothing; `accred-ops validate` is
then the one from this environment, found first on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT

BIN = Path(sys.executable).parent  # not resolved: a venv's python is a symlink
CI_FILE = ROOT / ".gitlab-ci.yml"


def run_validate_job(repo: Path) -> subprocess.CompletedProcess[str]:
    gle = shutil.which("gle", path=str(BIN))
    assert gle, f"gitlab-emulator's `gle` is not in {BIN}: install the `test` extra"
    env = {
        **os.environ,
        "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
        "GLE_CONFIG": str(repo.parent / "gle-emulator.yml"),  # not the user's ~/.gle settings
    }
    return subprocess.run(
        [
            gle,
            "--ignore-docker",
            "--var",
            "CI_PIPELINE_SOURCE=push",
            "--var",
            "ACCRED_OPS_PACKAGE=accred-ops",
            "validate",
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_job_installs_what_accred_ops_package_names() -> None:
    """What the other tests rely on: else they would install this copy over the environment."""
    pipeline = yaml.safe_load(CI_FILE.read_text())
    before = pipeline["validate"].get("before_script", pipeline["default"]["before_script"])
    assert before == ['pip install --quiet "$ACCRED_OPS_PACKAGE"']
    assert pipeline["validate"]["script"] == ["accred-ops validate"]


def test_validate_job_passes_on_the_shipped_program(program_dir: Path) -> None:
    shutil.copy(CI_FILE, program_dir / ".gitlab-ci.yml")
    done = run_validate_job(program_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 1 program(s), 1 path(s), 5 course(s), 24 objectives" in done.stdout
    assert "Build complete!" in done.stdout


def test_validate_job_fails_on_a_broken_curriculum(program_dir: Path) -> None:
    shutil.copy(CI_FILE, program_dir / ".gitlab-ci.yml")
    curriculum = program_dir / "curriculum" / "strategic-account-leaders.yml"
    curriculum.write_text(curriculum.read_text().replace("\nid: sal\n", "\nid: sal\nowner: x\n"))
    done = run_validate_job(program_dir)
    assert done.returncode != 0, done.stdout + done.stderr
    assert "curriculum/strategic-account-leaders.yml:" in done.stdout
    assert "unknown key 'owner'" in done.stdout
    assert "OK:" not in done.stdout
    assert "Shell job validate failed" in done.stderr
