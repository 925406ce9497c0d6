"""`setup` and `enroll` through the real CLI, python-gitlab and the sandbox over HTTP."""

from __future__ import annotations

import pytest

from accred_ops.app.demo import write_workspace
from tests.e2e.conftest import LEARNERS, World, survives_a_kill_at_every_write

COURSES = 5


def test_setup_creates_labels_and_board_once(world: World) -> None:
    assert world.cli("setup").exit_code == 0
    board = world.sandbox.snapshot()["boards"]
    assert next(iter(board.values())) == [
        "accreditation::enrolled",
        "accreditation::in-progress",
        "accreditation::assessment",
    ]
    world.sandbox.reset_log()
    assert world.cli("setup").exit_code == 0
    assert world.writes() == 0


def test_enroll_opens_one_epic_and_five_linked_assigned_issues_per_learner(world: World) -> None:
    world.cli("setup")
    result = world.cli("enroll")
    assert result.exit_code == 0, result.output
    snap = world.sandbox.snapshot()
    assert len(snap["epics"]) == len(LEARNERS)
    assert len(snap["issues"]) == len(LEARNERS) * COURSES
    for (_, title), issue in snap["issues"].items():
        learner = title.rsplit("@", 1)[1]
        assert issue["assignees"] == [learner]
        assert issue["epic"].endswith(f"— @{learner}")
        assert "accreditation::enrolled" in issue["labels"]
        assert (
            "- [ ] The different types of partners" in issue["description"]
            or "- [ ] " in issue["description"]
        )


def test_issue_has_due_date_marker_and_progress_links(world: World) -> None:
    world.cli("enroll")
    snap = world.sandbox.snapshot()
    issue = snap["issues"][("field-enablement/accreditation", "Co-Selling with Partners — @alice")]
    assert issue["due_date"] == "2026-12-15"
    assert (
        "<!-- accred-ops:issue learner=alice program=sal path=territory-and-pipeline course=co-selling-with-partners -->"
        in issue["description"]
    )
    epic = next(e for (_, t), e in snap["epics"].items() if t.endswith("@alice"))
    assert "/-/issues/" in epic["description"]  # the progress table links each course issue


def test_rerun_sends_zero_writes(world: World) -> None:
    world.cli("setup")
    world.cli("enroll")
    world.sandbox.reset_log()
    result = world.cli("enroll")
    assert result.exit_code == 0
    assert world.writes() == 0


def test_dry_run_prints_the_plan_and_writes_nothing(world: World) -> None:
    result = world.cli("enroll", "--dry-run")
    assert result.exit_code == 0
    assert (
        'create epic "Strategic Account Leader Field Accreditation: Building the Territory & Pipeline — @alice"'
        in result.output
    )
    assert "would make" in result.output
    assert world.writes() == 0


def test_unknown_learner_is_named_and_others_are_enrolled(world: World) -> None:
    write_workspace(
        world.root,
        None,
        ["alice", "ghost", "bob"],
        cohort="q4",
        concurrency=1,
        full_sync_every_hours=0,
    )
    result = world.cli("enroll")
    assert result.exit_code == 1
    assert "cohorts/q4.yml:8: no GitLab user 'ghost'" in result.output  # traced to its line
    titles = [t for (_, t) in world.sandbox.snapshot()["issues"]]
    assert not any("ghost" in t for t in titles)
    assert sum(t.endswith("@bob") for t in titles) == COURSES


@pytest.mark.parametrize("status", [429, 502])
def test_transient_failures_are_retried(world: World, status: int) -> None:
    world.sandbox.faults.fail(status, times=3, retry_after=0)
    world.sandbox.faults.fail(status, times=2, writes_only=True, retry_after=0)
    result = world.cli("enroll")
    assert result.exit_code == 0, result.output
    assert len(world.sandbox.snapshot()["issues"]) == len(LEARNERS) * COURSES


def test_a_crash_at_any_write_then_a_rerun_ends_like_an_uninterrupted_run(world: World) -> None:
    world.cli("setup")

    def enroll(w: World) -> None:
        assert w.cli("enroll").exit_code == 0

    writes = survives_a_kill_at_every_write(world, enroll, killed=("enroll",))
    assert writes >= len(LEARNERS) * (COURSES + 2)


def test_concurrent_enrollment_creates_everything_once(world: World) -> None:
    learners = ["alice", "bob", "carol", "dana", "erin"]
    write_workspace(world.root, None, learners, cohort="q4", concurrency=5, full_sync_every_hours=0)
    world.sandbox.faults.latency = 0.01
    assert world.cli("enroll").exit_code == 0
    snap = world.sandbox.snapshot()
    assert len(snap["epics"]) == len(learners)
    assert len(snap["issues"]) == len(learners) * COURSES
    for epic in snap["epics"].values():
        assert len(epic["issues"]) == COURSES
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert world.writes() == 0


def test_every_listing_asks_for_100_a_page(world: World) -> None:
    world.cli("enroll")
    world.cli("sync")
    listings = [
        r
        for r in world.sandbox.log
        if r.method == "GET" and r.path.rstrip("/").endswith(("issues", "epics", "labels", "all"))
    ]
    assert listings
    assert all(str(r.query.get("per_page")) == "100" for r in listings), listings
