"""The plan as Markdown: what reviewers read on a merge request."""

from __future__ import annotations

from accred_ops.app.planfile import MR_NOTE_MARKER, note_body, plan_markdown
from accred_ops.sync.results import LearnerResult, RunResult


def _result(lines: int, title: str = "Course") -> RunResult:
    return RunResult(
        dry_run=True,
        group_lines=['create group label ~"cohort::q1" (#dbd7e8)'],
        learners=[
            LearnerResult("q1", "dana", [f'create issue "{title} {n}"' for n in range(lines)]),
            LearnerResult("q1", "zed", error="no GitLab user 'zed'"),
        ],
    )


def test_summary_counts_changes_learners_and_failures() -> None:
    text = plan_markdown(_result(5), "sync", {})
    assert "would make **6 changes** (1 in the group, the rest for 1 learner)" in text
    assert "**1 learner failed** (the `FAILED` lines below)." in text
    assert "@zed: FAILED: no GitLab user 'zed'" in text
    assert "this pipeline" not in text  # no CI variables, no link


def test_long_plans_are_cut_in_the_note_with_a_pointer_to_the_artifact() -> None:
    text = plan_markdown(_result(50), "sync", {}, max_lines=10)
    assert text.count('@dana: create issue "') == 9
    assert "... and 42 more lines: see the job's plan artifact" in text


def test_titles_cannot_close_the_code_block_nor_run_quick_actions() -> None:
    text = plan_markdown(_result(1, "```\n/merge"), "sync", {})
    fence = text.split("<details>")[1].split("\n")[2][:-4]  # the opening fence, before "text"
    assert set(fence) == {"`"} and len(fence) == 4
    assert not any(line.startswith("/merge") for line in text.splitlines())


def test_the_note_ends_with_the_marker_that_finds_it_again() -> None:
    assert note_body("plan\n").endswith(f"plan\n\n{MR_NOTE_MARKER}\n")


def test_one_line_is_one_line() -> None:
    one = RunResult(dry_run=True, group_lines=['create group label ~"cohort::q1" (#dbd7e8)'])
    assert "The changes (1 line)" in plan_markdown(one, "sync", {})
    assert "The changes (7 lines)" in plan_markdown(_result(5), "sync", {})
