"""`accred-ops preview`: what enroll would write, offline."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops.cli import main
from accred_ops.files.load import load_workspace

COURSE = "co-selling-with-partners"


def test_course_issue_has_every_objective_unticked_both_items_and_the_marker(
    program_dir: Path,
) -> None:
    result = CliRunner().invoke(
        main, ["preview", "--cohort", "example", "--learner", "alice", "--course", COURSE]
    )
    assert result.exit_code == 0, result.output
    course = load_workspace(program_dir / "accred.yml").programs["sal"].paths[0].courses[0]
    for objective in course.objectives:
        assert f"- [ ] {objective}\n" in result.output
    assert "- [ ] I have taken the written exam\n" in result.output
    assert "- [ ] I have submitted my practical assessment\n" in result.output
    assert (
        f"<!-- accred-ops:issue learner=alice program=sal path=territory-and-pipeline course={COURSE} -->"
        in result.output
    )
    assert (
        "https://gitlab.edcast.com/insights/ECL-9a30df21-dff0-4ac5-8ffa-e67429860dfd"
        in result.output
    )
    assert "**Please finish by:** 2026-12-15" in result.output


def test_epic_has_progress_section_and_marker(program_dir: Path) -> None:
    result = CliRunner().invoke(main, ["preview", "--cohort", "example", "--learner", "bob"])
    assert result.exit_code == 0
    assert "<!-- accred-ops:progress:start -->" in result.output
    assert "| Account Planning | Enrolled | pending | pending | — |" in result.output
    assert (
        "<!-- accred-ops:epic learner=bob program=sal path=territory-and-pipeline -->"
        in result.output
    )


def test_template_override_in_the_program_repository_wins(program_dir: Path) -> None:
    (program_dir / "templates" / "path_award.md.j2").unlink()  # fall back to the package default
    (program_dir / "templates" / "course_issue.md.j2").write_text("Custom for {{ learner }}\n")
    result = CliRunner().invoke(
        main, ["preview", "--cohort", "example", "--learner", "alice", "--course", COURSE]
    )
    assert result.output.startswith("Custom for alice\n")
    assert CliRunner().invoke(main, ["validate"]).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cohort", "nope", "--learner", "alice"], "no cohort 'nope'"),
        (["--cohort", "example", "--learner", "zed"], "'zed' is not a learner of cohort example"),
        (["--cohort", "example", "--learner", "alice", "--course", "x"], "has no course 'x'"),
    ],
    ids=["unknown-cohort", "unknown-learner", "unknown-course"],
)
def test_preview_usage_errors(program_dir: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["preview", *args])
    assert result.exit_code == 2
    assert message in result.output
