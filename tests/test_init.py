"""`accred-ops init`: a program repository that validates at once, never written over."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from accred_ops import __version__
from accred_ops.cli import main

FILES = [
    "accred.yml",
    "curriculum/strategic-account-leaders.yml",
    "cohorts/example.yml",
    ".gitlab-ci.yml",
    ".gitlab/issue_templates/Accreditation enrollment.md",
    ".gitlab/issue_templates/Course feedback.md",  # every course issue links to it
]


def _cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_init_writes_a_program_that_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = _cli("init", "program")
    assert result.exit_code == 0, result.output
    for name in FILES:
        assert (tmp_path / "program" / name).is_file(), name
        assert f"wrote program/{name}" in result.output
    assert "next: set gitlab.group and gitlab.project in accred.yml" in result.output
    monkeypatch.chdir(tmp_path / "program")
    checked = _cli("validate")
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("OK: 1 program(s), 1 path(s), 5 course(s), 24 objectives")


def test_the_pipeline_installs_this_version_and_has_no_tool_test_job(tmp_path: Path) -> None:
    _cli("init", str(tmp_path), "--copied-pipeline")  # the include form: tests/test_component.py
    pipeline = yaml.safe_load((tmp_path / ".gitlab-ci.yml").read_text())
    assert pipeline["variables"]["ACCRED_OPS_PACKAGE"] == f"accred-ops=={__version__}"
    assert "test" not in pipeline
    assert {"validate", "plan", "sync", "pages"} <= set(pipeline)


def test_init_refuses_to_overwrite_and_names_the_files(tmp_path: Path) -> None:
    (tmp_path / "accred.yml").write_text("# ours\n")
    (tmp_path / "cohorts").mkdir()
    (tmp_path / "cohorts" / "example.yml").write_text("# ours\n")
    result = _cli("init", str(tmp_path))
    assert result.exit_code == 2
    assert "already has accred.yml, cohorts/example.yml; nothing was written" in result.output
    assert "--force" in result.output
    assert not (tmp_path / "curriculum").exists()
    assert (tmp_path / "accred.yml").read_text() == "# ours\n"
    assert _cli("init", str(tmp_path), "--force").exit_code == 0
    assert "group: field-enablement" in (tmp_path / "accred.yml").read_text()


def test_the_demo_plays_its_own_program_inside_a_users_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cli("init", str(tmp_path))
    program = tmp_path / "curriculum" / "strategic-account-leaders.yml"
    program.write_text(program.read_text().replace("id: sal\n", "id: ae\n"))
    monkeypatch.chdir(tmp_path)
    result = _cli("demo")
    assert result.exit_code == 0, result.output
    assert "no program" not in result.output
    assert "== Badges awarded" in result.output
    assert "To see the board in a browser: " in result.output and "demo --keep" in result.output


def test_every_scaffold_file_is_package_data() -> None:
    """A wheel carries only package data: `init` must find its files in an installed
    accred-ops too, not only in a source checkout."""
    import fnmatch
    import tomllib

    from accred_ops.app.init import FILES

    root = Path(__file__).resolve().parent.parent
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["accred_ops"]
    for source in FILES.values():
        assert any(fnmatch.fnmatch(f"scaffold/{source}", p) for p in patterns), source


@pytest.mark.parametrize(
    ("today", "start"),
    [("2026-12-06T10:00:00Z", "2026-12-07"), ("2031-02-28T10:00:00Z", "2031-03-03")],
)
def test_the_example_cohort_starts_the_first_monday_after_init_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, today: str, start: str
) -> None:
    monkeypatch.setenv("ACCRED_NOW", today)  # a Sunday; a Friday
    assert _cli("init", str(tmp_path)).exit_code == 0
    cohort = yaml.safe_load((tmp_path / "cohorts" / "example.yml").read_text())
    assert str(cohort["start"]) == start
    assert "# optional" in (tmp_path / "cohorts" / "example.yml").read_text()  # comments kept


def test_the_assessor_groups_comment_says_what_the_code_does(tmp_path: Path) -> None:
    _cli("init", str(tmp_path))
    text = (tmp_path / "accred.yml").read_text()
    assert "direct or inherited" not in text
    assert yaml.safe_load(text)["assessors"]["inherited"] is False


def test_demo_keep_prints_what_the_sandbox_prints_and_the_program_folder() -> None:
    from accred_ops.app.demo import run_demo

    lines: list[str] = []
    run_demo(lines.append, keep=True, wait=lambda: None)
    shown = "\n".join(lines)
    assert "GITLAB_URL=http://127.0.0.1:" in shown
    assert "accred-bot: demo-bot-token   <- accred-ops's own (GITLAB_TOKEN)" in shown
    assert "the demo's program folder" in shown and "accred-ops status alice" in shown


def test_the_commands_demo_keep_offers_work_in_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`demo --keep` says: cd there, export the two variables, then report, status, badges
    export. Each of them must work as printed (the folder needs a badge issuer)."""
    from accred_ops.app.demo import run_demo

    lines: list[str] = []
    results: dict[str, int] = {}

    def try_them() -> None:
        shown = "\n".join(lines)
        folder = shown.split("the demo's program folder (accred.yml, cohorts/, curriculum/): ")[1]
        monkeypatch.chdir(folder.splitlines()[0])
        url = shown.split("GITLAB_URL=")[1].split()[0]
        monkeypatch.setenv("GITLAB_URL", url)
        monkeypatch.setenv("GITLAB_TOKEN", "demo-bot-token")
        monkeypatch.delenv("ACCRED_CONFIG", raising=False)
        out = str(tmp_path / "badges")
        for args in (
            ["report"],
            ["status", "alice"],
            ["badges", "export", "--out", out, "--base-url", "https://example.com/badges"],
        ):
            results[args[0]] = _cli(*args).exit_code

    run_demo(lines.append, keep=True, wait=try_them)
    assert results == {"report": 0, "status": 0, "badges": 0}
    assert (tmp_path / "badges").is_dir()


@pytest.mark.parametrize(
    ("args", "knob"),
    [((), "the input `package`"), (("--copied-pipeline",), "set ACCRED_OPS_PACKAGE")],
)
def test_the_local_install_note_names_the_knob_of_the_pipeline_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], knob: str
) -> None:
    """The component's `.gitlab-ci.yml` has no ACCRED_OPS_PACKAGE to set: its knob is `package`."""
    local = '{"url": "file:///src/accred-ops", "dir_info": {}}'
    monkeypatch.setattr("accred_ops.app.init.metadata.distribution", lambda _: _Dist(local))
    result = CliRunner().invoke(main, ["init", str(tmp_path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert knob in result.output
    pipeline = (tmp_path / ".gitlab-ci.yml").read_text()
    assert ("ACCRED_OPS_PACKAGE" in pipeline) == bool(args)


class _Dist:
    def __init__(self, direct: str) -> None:
        self.direct = direct

    def read_text(self, name: str) -> str:
        return self.direct


def test_the_demo_names_the_command_a_reader_can_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After `python3 dev.py demo` the tool is not on PATH: its hints name `.venv/bin/...`."""
    from accred_ops.app import demo

    program = tmp_path / ".venv" / "bin" / "accred-ops"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [str(program), "demo"])
    monkeypatch.setattr(demo.shutil, "which", lambda name: None)
    assert demo.how_to_run() == ".venv/bin/accred-ops"
    assert demo.how_to_run(absolute=True) == str(program.resolve())
    monkeypatch.setattr(sys, "argv", [str(Path(demo.__file__).parent.parent / "__main__.py")])
    assert demo.how_to_run() == f"{sys.executable} -m accred_ops"
    monkeypatch.setattr(demo.shutil, "which", lambda name: "/usr/local/bin/accred-ops")
    assert demo.how_to_run() == "accred-ops"
