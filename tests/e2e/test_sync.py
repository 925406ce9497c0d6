"""`sync` end to end: stages, verdict authority, awards, epics, idempotency, crash safety."""

from __future__ import annotations

from tests.e2e.conftest import World

FIRST = "Co-Selling with Partners"
COURSES = (
    "Co-Selling with Partners",
    "Account Planning",
    "Account Planning in Gainsight",
    "Generate Pipeline",
    "Manage Forecasting Activities",
)


def _issue(world: World, course: str, learner: str) -> dict:
    return world.sandbox.snapshot()["issues"][
        ("field-enablement/accreditation", f"{course} — @{learner}")
    ]


def _epic(world: World, learner: str) -> dict:
    return next(
        e for (_, t), e in world.sandbox.snapshot()["epics"].items() if t.endswith(f"@{learner}")
    )


def _comments(issue: dict, fragment: str) -> int:
    return sum(fragment in note["body"] for note in issue["notes"])


def _pass(world: World, course: str, learner: str, assessor: str = "sam") -> None:
    person = world.person(learner)
    iid = person.find_issue(course, learner)
    person.tick(iid)
    judge = world.person(assessor)
    judge.add_label(iid, "exam::passed")
    judge.add_label(iid, "practical::approved")


def _enrolled(world: World) -> World:
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0
    return world


def test_badge_is_awarded_once_with_comment_close_and_epic_row(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    assert world.cli("sync").exit_code == 0
    issue = _issue(world, FIRST, "alice")
    assert "accreditation::badge-awarded" in issue["labels"]
    assert issue["state"] == "closed"
    assert _comments(issue, "SAL: Co-Selling with Partners") == 1
    assert "@sam" in issue["notes"][-1]["body"]
    assert "| Badge awarded |" in _epic(world, "alice")["description"]
    world.sandbox.reset_log()
    for _ in range(3):
        assert world.cli("sync").exit_code == 0
    assert world.writes() == 0
    assert _comments(_issue(world, FIRST, "alice"), "SAL: Co-Selling with Partners") == 1


def test_learner_cannot_set_their_own_verdict(world: World) -> None:
    _enrolled(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    alice.add_label(iid, "exam::passed")
    world.person("sam").add_label(iid, "practical::approved")
    world.cli("sync")
    world.cli("sync")
    issue = _issue(world, FIRST, "alice")
    assert "exam::passed" not in issue["labels"]
    assert "accreditation::assessment" in issue["labels"]
    assert issue["state"] == "opened"
    assert _comments(issue, "only when an assessor sets them") == 1


def test_non_assessor_verdict_is_removed_with_one_comment(world: World) -> None:
    _enrolled(world)
    iid = world.person("alice").find_issue(FIRST, "alice")
    world.person("alice").tick(iid)
    world.person("bob").add_label(iid, "practical::approved")
    world.person("sam").add_label(iid, "exam::passed")
    for _ in range(2):
        assert world.cli("sync").exit_code == 0
    issue = _issue(world, FIRST, "alice")
    assert "practical::approved" not in issue["labels"]
    assert "exam::passed" in issue["labels"]
    assert _comments(issue, "only when an assessor sets them") == 1


def test_ticking_moves_the_stage_and_unticking_moves_it_back(world: World) -> None:
    _enrolled(world)
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    bob.tick(iid, ["The different types of partners GitLab works with"])
    world.cli("sync")
    assert "accreditation::in-progress" in _issue(world, FIRST, "bob")["labels"]
    bob.tick(iid, ["The different types of partners GitLab works with"], done=False)
    world.cli("sync")
    labels = _issue(world, FIRST, "bob")["labels"]
    assert "accreditation::enrolled" in labels and "accreditation::in-progress" not in labels


def test_human_text_in_the_epic_survives_every_sync(world: World) -> None:
    _enrolled(world)
    gl = world.person("erin").gl
    group = gl.groups.get("field-enablement", lazy=True)
    epic = next(e for e in group.epics.list(iterator=True) if e.title.endswith("@alice"))
    epic.description = (
        "Manager's note: *go Alice!*  \n\n" + epic.description + "\nPS — trailing words\n"
    )
    epic.save()
    before = epic.description
    _pass(world, FIRST, "alice")
    world.cli("sync")
    after = group.epics.get(epic.iid).description
    assert after.startswith("Manager's note: *go Alice!*  \n\n")
    assert after.endswith("\nPS — trailing words\n")
    assert after != before and "| Badge awarded |" in after


def test_completing_every_course_accredits_the_epic_once(world: World) -> None:
    _enrolled(world)
    for course in COURSES:
        _pass(world, course, "alice")
    assert world.cli("sync").exit_code == 0
    world.cli("sync")
    epic = _epic(world, "alice")
    assert "accreditation::accredited" in epic["labels"]
    assert epic["state"] == "closed"
    assert _comments(epic, "are now accredited") == 1


def test_sync_dry_run_writes_nothing(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    world.sandbox.reset_log()
    result = world.cli("sync", "--dry-run")
    assert result.exit_code == 0
    assert 'award badge "SAL: Co-Selling with Partners"' in result.output
    assert world.writes() == 0


def test_a_crash_at_any_write_of_an_awarding_sync_never_awards_twice(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    _pass(world, FIRST, "bob")
    world.sandbox.reset_log()
    state = world.sandbox.save()  # before the sync each replay is killed in
    world.cli("sync")
    expected = world.sandbox.snapshot()
    writes = world.writes()
    assert writes >= 4
    for k in range(1, writes + 1):
        for applied in (True, False):
            world.sandbox.restore(state)
            world.sandbox.faults.crash_at_write(k, applied=applied)
            world.cli("sync")
            world.sandbox.faults.clear()
            assert world.cli("sync").exit_code == 0
            snap = world.sandbox.snapshot()
            assert (
                _comments(
                    snap["issues"][("field-enablement/accreditation", f"{FIRST} — @alice")],
                    "You have earned",
                )
                == 1
            )
            assert snap == expected, f"write {k}, applied={applied}"
