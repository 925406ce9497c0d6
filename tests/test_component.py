"""The accred-ops CI/CD component (`templates/pipeline.yml`): where GitLab's catalog finds it,
valid against GitLab's CI schema (its `spec:` header and its jobs), and, with its inputs filled
in as GitLab would, the same jobs as the copied pipeline; `init` writes the `include:` form,
pinned, and still the copied file on request."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from accred_ops import __version__
from accred_ops.app.init import component_pipeline, pipeline
from accred_ops.cli import main
from tests.test_pipeline_schema import _gitlab_ci_errors

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "templates" / "pipeline.yml"
HEADER, BODY = COMPONENT.read_text().split("\n---\n")
INPUT = re.compile(r"\$\[\[\s*inputs\.([a-z_]+)\s*\]\]")


def _filled(inputs: dict[str, object]) -> str:
    """The body with every `$[[ inputs.x ]]` replaced as GitLab does: the given value, else the
    default (a missing mandatory input is an error there too)."""
    spec = yaml.safe_load(HEADER)["spec"]["inputs"]

    def value(match: re.Match[str]) -> str:
        name = match[1]
        if name in inputs:
            found = inputs[name]
        else:
            assert "default" in spec[name], f"mandatory input {name} not given"
            found = spec[name]["default"]
        return str(found).lower() if isinstance(found, bool) else str(found)

    return INPUT.sub(value, BODY)


def test_the_catalog_finds_one_component_in_templates() -> None:
    """GitLab's catalog reads `templates/<name>.yml` and `templates/<name>/template.yml` as
    committed files: the component is a real file (not a link), the only YAML there; the Jinja
    templates beside it (`*.md.j2`) are not components."""
    assert COMPONENT.is_file() and not COMPONENT.is_symlink()
    tracked = subprocess.run(
        ["git", "ls-files", "-s", "templates"], cwd=ROOT, capture_output=True, text=True
    ).stdout.splitlines()
    modes = {line.split()[-1]: line.split()[0] for line in tracked}
    assert modes["templates/pipeline.yml"] == "100644"
    assert [p for p in modes if p.endswith((".yml", ".yaml"))] == ["templates/pipeline.yml"]
    assert all(p.endswith(".md.j2") for p in modes if p != "templates/pipeline.yml")


def test_the_header_and_the_jobs_are_valid_ci(tmp_path: Path) -> None:
    for name, text in (("header", HEADER), ("body", BODY)):
        path = tmp_path / f"{name}.yml"
        path.write_text(text)
        assert _gitlab_ci_errors(path) == "", name


def test_every_input_used_is_declared_and_every_declared_input_used() -> None:
    declared = set(yaml.safe_load(HEADER)["spec"]["inputs"])
    assert set(INPUT.findall(BODY)) == declared


@pytest.mark.parametrize(
    "inputs",
    [{"version": "0.1.0"}, {"version": "0.1.0", "dry_run": True, "cohort": "q4", "credly": True}],
)
def test_filled_in_it_is_valid_and_runs_the_copied_pipelines_jobs(
    inputs: dict, tmp_path: Path
) -> None:
    filled = _filled(inputs)
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(filled)
    assert _gitlab_ci_errors(path) == ""
    jobs = {k: v for k, v in yaml.safe_load(filled).items() if not k.startswith(".")}
    copied = yaml.safe_load(pipeline("accred-ops==0.1.0"))
    copied_jobs = {k: v for k, v in copied.items() if isinstance(v, dict) and "script" in v}
    assert set(jobs) == set(copied_jobs)
    for name, job in jobs.items():
        for key in ("rules", "resource_group", "interruptible", "retry", "artifacts"):
            assert job.get(key) == copied_jobs[name].get(key), (name, key)
        commands = [line for line in copied_jobs[name]["script"] if "accred-ops" in line]
        for command in commands:
            assert any(command.split(" --")[0] in line for line in job["script"]), (name, command)


def test_the_install_line_pins_the_version_or_takes_a_requirement_as_is() -> None:
    hidden = yaml.safe_load(_filled({"version": "0.1.0"}))[".accred-ops"]
    script = hidden["before_script"][0]
    plain = subprocess.run(
        ["sh", "-c", script.replace("pip install --quiet", "echo")],
        capture_output=True,
        text=True,
    )
    assert plain.stdout.strip() == "accred-ops==0.1.0"
    git = "accred-ops @ git+https://gitlab.example.com/tools/accred-ops.git@v0.1.0"
    hidden = yaml.safe_load(_filled({"version": "0.1.0", "package": git}))[".accred-ops"]
    shown = subprocess.run(
        ["sh", "-c", hidden["before_script"][0].replace("pip install --quiet", "echo")],
        capture_output=True,
        text=True,
    )
    assert shown.stdout.strip() == git


def test_the_sync_arguments_follow_the_inputs() -> None:
    def args(inputs: dict) -> str:
        job = yaml.safe_load(_filled({"version": "0.1.0", **inputs}))
        env = {k: str(v) for k, v in job[".accred-ops"]["variables"].items()}
        line = job["sync"]["script"][0].replace("accred-ops sync", 'printf "%s|" ')
        done = subprocess.run(["sh", "-c", line], env=env, capture_output=True, text=True)
        return done.stdout

    assert args({}) == "--dashboard|"
    assert args({"cohort": "q4 2026", "dry_run": True}) == "--dashboard|--cohort|q4 2026|--dry-run|"


def test_init_writes_the_pinned_include_and_it_is_valid(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = (tmp_path / ".gitlab-ci.yml").read_text()
    assert _gitlab_ci_errors(tmp_path / ".gitlab-ci.yml") == ""
    (include,) = yaml.safe_load(text)["include"]
    assert include["component"] == f"$CI_SERVER_FQDN/tools/accred-ops/pipeline@{__version__}"
    assert include["inputs"]["version"] == __version__
    assert set(yaml.safe_load(text)) == {"include"}  # the whole pipeline is the include


def test_init_can_still_write_the_copied_pipeline(tmp_path: Path) -> None:
    args = ["init", str(tmp_path), "--copied-pipeline", "--component-project", "x/y"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert (tmp_path / ".gitlab-ci.yml").read_text() == pipeline(
        yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text())["variables"]["ACCRED_OPS_PACKAGE"]
    )


def test_a_git_installed_accred_ops_is_pinned_by_its_requirement() -> None:
    git = "accred-ops @ git+https://gitlab.example.com/tools/accred-ops.git@abc123"
    include = yaml.safe_load(component_pipeline(git, "tools/accred-ops"))["include"][0]
    assert include["inputs"] == {"version": __version__, "package": git}


def test_the_readmes_include_snippets_are_valid(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text() + (ROOT / "docs" / "component.md").read_text()
    blocks = [b for b in re.findall(r"```ya?ml\n(.*?)```", readme, re.S) if "component:" in b]
    assert len(blocks) >= 2
    for block in blocks:
        path = tmp_path / ".gitlab-ci.yml"
        path.write_text(block)
        assert _gitlab_ci_errors(path) == "", block
