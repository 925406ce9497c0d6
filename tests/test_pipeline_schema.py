"""Every pipeline accred-ops ships or shows is valid against GitLab's published CI schema.

`check-jsonschema` vendors GitLab's `ci.json` (`--builtin-schema vendor.gitlab-ci`), so this runs
offline: the repository's `.gitlab-ci.yml`, the one `accred-ops init` writes, and every YAML
block of the README that defines a job (it has a `script:`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from accred_ops.app.init import pipeline

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
SNIPPETS = [
    block
    for block in re.findall(r"```ya?ml\n(.*?)```", README, re.S)
    if re.search(r"^\s+script:", block, re.M)
]


def _gitlab_ci_errors(path: Path) -> str:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.gitlab-ci",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return "" if done.returncode == 0 else done.stdout + done.stderr


def test_the_repositorys_pipeline_is_valid() -> None:
    assert _gitlab_ci_errors(ROOT / ".gitlab-ci.yml") == ""


def test_the_pipeline_init_writes_is_valid(tmp_path: Path) -> None:
    written = tmp_path / ".gitlab-ci.yml"
    written.write_text(pipeline("accred-ops==0.1.0"))
    assert _gitlab_ci_errors(written) == ""


def test_the_readme_shows_pipeline_snippets() -> None:
    assert SNIPPETS, "the README shows no job; this test would check nothing"


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda s: s.split(":", 1)[0].strip())
def test_every_readme_pipeline_snippet_is_valid(snippet: str, tmp_path: Path) -> None:
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(snippet)
    assert _gitlab_ci_errors(path) == ""


def test_an_invalid_pipeline_is_caught(tmp_path: Path) -> None:
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text("sync:\n  script: accred-ops sync\n  when: sometimes\n")
    assert "sometimes" in _gitlab_ci_errors(path)


def test_the_scheduled_pages_job_needs_no_signing_key() -> None:
    """Without ACCRED_BADGE_KEY, `badges export` with no --format writes 2.0 only and exits 0;
    an explicit ob3 would fail the first scheduled pipeline."""
    text = (ROOT / ".gitlab-ci.yml").read_text()
    (line,) = [x for x in text.splitlines() if "accred-ops badges export" in x]
    assert "--format" not in line
