"""A merge request's plan, end to end: `sync --dry-run --plan` writes it, `mr-note` posts it on
the merge request once and edits that note on later pipelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from accred_ops.app.demo import PROJECT
from tests.e2e.conftest import World

PIPELINE_ENV = {
    "CI_MERGE_REQUEST_PROJECT_PATH": PROJECT,
    "CI_PIPELINE_URL": "https://gitlab.example.com/p/-/pipelines/7",
    "CI_COMMIT_SHORT_SHA": "abc1234",
}


@pytest.fixture
def merge_request(world: World, monkeypatch: pytest.MonkeyPatch) -> int:
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0
    iid = world.sandbox.add_merge_request(PROJECT, "erin", "Add dana to the q4 cohort")
    for name, value in {**PIPELINE_ENV, "CI_MERGE_REQUEST_IID": str(iid)}.items():
        monkeypatch.setenv(name, value)
    return iid


def _notes(world: World, iid: int) -> list[str]:
    mr = world.person("accred-bot").project.mergerequests.get(iid, lazy=True)
    return [n.body for n in mr.notes.list(get_all=True) if not n.system]


def _pipeline(world: World) -> str:
    """The plan job: the dry run, then the note. Returns what mr-note printed."""
    world.sandbox.reset_log()
    assert world.cli("sync", "--dry-run", "--plan", "plan.md").exit_code == 0
    assert world.writes() == 0
    done = world.cli("mr-note", "plan.md")
    assert done.exit_code == 0, done.output
    return done.output


def test_the_plan_note_is_posted_once_then_edited_in_place(
    world: World, merge_request: int
) -> None:
    assert _pipeline(world).startswith("plan note created: ")
    (note,) = _notes(world, merge_request)
    assert "would make **no change** in GitLab" in note
    assert "[this pipeline](https://gitlab.example.com/p/-/pipelines/7) for abc1234" in note

    cohort = Path("cohorts/q4.yml")
    cohort.write_text(cohort.read_text() + "  - dana\n")  # the merge request's change
    assert _pipeline(world).startswith("plan note updated: ")
    (note,) = _notes(world, merge_request)
    assert "would make **7 changes**" in note
    assert '@dana: create epic "' in note and "<details>" in note

    assert _pipeline(world).startswith("plan note unchanged: ")
    assert world.writes() == 0
    assert Path("plan.md").read_text() in note


def test_mr_note_outside_a_merge_request_pipeline_is_a_usage_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("plan.md").write_text("plan")
    monkeypatch.delenv("CI_MERGE_REQUEST_IID", raising=False)
    done = world.cli("mr-note", "plan.md")
    assert done.exit_code == 2
    assert "give --project and --mr" in done.output
    assert world.cli("mr-note", "missing.md", "--project", PROJECT, "--mr", "1").exit_code == 2
