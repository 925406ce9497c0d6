"""The README's "Run it on GitLab" steps 2 and 3, run as written: from an empty folder, `init`,
`validate`, the sandbox, `setup`, `enroll --dry-run`, `enroll`, `sync`, `status`.

Step 1 (`pip install` of a tagged release) needs the network and a published release; its
lines are only checked to be what the README says a program repository installs.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops import __version__
from accred_ops.cli import main
from accred_ops.sandbox import Sandbox

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
SECTION = README[README.index("## Run it on GitLab") : README.index("**4. On your GitLab:**")]
BLOCKS = re.findall(r"```sh\n(.*?)```", SECTION, re.S)


def test_the_section_shows_install_init_and_sandbox_steps() -> None:
    assert len(BLOCKS) == 3
    install = BLOCKS[0]
    assert f"@v{__version__}" in install and f"accred-ops=={__version__}" in SECTION
    assert "not published on PyPI" in SECTION


def test_the_readme_first_hour_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("GITLAB_URL", "GITLAB_TOKEN", "ACCRED_CONFIG", "CI_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)
    with Sandbox() as sandbox:
        port = sandbox.url.rsplit(":", 1)[1]
        ran = []
        for line in "\n".join(BLOCKS[1:]).splitlines():
            line = line.split("#", 1)[0].strip().replace("127.0.0.1:8080", f"127.0.0.1:{port}")
            if not line:
                continue
            words = shlex.split(line)
            if words[0] == "cd":
                monkeypatch.chdir(words[1])
            elif words[0] == "export":
                for pair in words[1:]:
                    monkeypatch.setenv(*pair.split("=", 1))
            elif words[:2] == ["accred-ops", "sandbox"]:
                assert words[-1] == "&"  # served in the background: here, `sandbox` above
            else:
                assert words[0] == "accred-ops", line
                result = CliRunner().invoke(main, words[1:], catch_exceptions=False)
                assert result.exit_code == 0, f"{line}\n{result.output}"
                ran.append((line, result.output))
        outputs = dict(ran)
        assert outputs["accred-ops validate"].startswith("OK: 1 program(s)")
        assert "would make" in outputs["accred-ops enroll --dry-run"]
        assert "enroll: 2 learners, made" in outputs["accred-ops enroll"]
        assert "@alice — Strategic Account Leader" in outputs["accred-ops status alice"]
        assert len(sandbox.snapshot()["epics"]) == 2
