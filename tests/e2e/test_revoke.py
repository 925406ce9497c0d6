"""`revoke`: a badge withdrawn on the record, the epic no longer accredited, never re-awarded."""

from __future__ import annotations

from tests.e2e.conftest import World
from tests.e2e.test_sync import COURSES, FIRST, _comments, _enrolled, _epic, _issue, _pass


def test_revoking_a_path_badge_course_unaccredits_the_epic(world: World) -> None:
    _enrolled(world)
    for course in COURSES:
        _pass(world, course, "alice")
    world.cli("sync")
    result = world.cli(
        "revoke", "alice", "co-selling-with-partners", "--reason", "Exam answers were copied"
    )
    assert result.exit_code == 0, result.output
    issue = _issue(world, FIRST, "alice")
    assert "accreditation::revoked" in issue["labels"]
    assert "accreditation::badge-awarded" not in issue["labels"]
    assert _comments(issue, "Exam answers were copied") == 1
    epic = _epic(world, "alice")
    assert "accreditation::accredited" not in epic["labels"] and epic["state"] == "opened"
    assert "| Badge revoked |" in epic["description"]


def test_revoke_is_idempotent_and_sync_never_reawards(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    world.cli("sync")
    world.cli("revoke", "alice", "co-selling-with-partners", "--reason", "x")
    world.sandbox.reset_log()
    assert world.cli("revoke", "alice", "co-selling-with-partners", "--reason", "x").exit_code == 0
    assert world.cli("sync").exit_code == 0
    assert world.writes() == 0
    assert _comments(_issue(world, FIRST, "alice"), "has been revoked") == 1


def test_revoking_what_was_never_awarded_is_refused(world: World) -> None:
    _enrolled(world)
    world.sandbox.reset_log()
    result = world.cli("revoke", "bob", "co-selling-with-partners", "--reason", "x")
    assert result.exit_code == 2
    assert "has no 'SAL: Co-Selling with Partners' badge to revoke" in result.output
    assert world.writes() == 0


def test_revoking_a_course_without_award_lists_the_learners_awarded_courses(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    world.cli("sync")
    world.sandbox.reset_log()
    result = world.cli("revoke", "alice", "account-planning", "--reason", "x")
    assert result.exit_code == 2
    assert "their awarded courses: co-selling-with-partners" in result.output
    nothing = world.cli("revoke", "bob", "account-planning", "--reason", "x")
    assert "they have no awarded course yet" in nothing.output
    assert world.writes() == 0


def test_revoking_for_an_unknown_user_lists_the_courses_learners(world: World) -> None:
    _enrolled(world)
    result = world.cli("revoke", "zed", "co-selling-with-partners", "--reason", "x")
    assert result.exit_code == 2
    assert "its learners: alice, bob, carol" in result.output
    assert "course ids" not in result.output
