"""Humans in the loop: what people do to issues and epics never loses a tick or duplicates one."""

from __future__ import annotations

import re

from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _comments, _enrolled, _epic, _issue, _pass

OBJECTIVE = "The different types of partners GitLab works with"


def _edit(world: World, learner: str, course: str, change) -> int:  # type: ignore[no-untyped-def]
    person = world.person(learner)
    iid = person.find_issue(course, learner)
    issue = person.project.issues.get(iid)
    change(issue)
    issue.save()
    return iid


def test_deleted_marker_does_not_duplicate_the_issue(world: World) -> None:
    _enrolled(world)
    _edit(
        world,
        "bob",
        FIRST,
        lambda i: setattr(
            i, "description", re.sub(r"<!-- accred-ops:issue [^>]*-->", "", i.description)
        ),
    )
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert len(world.issues()) == 15
    assert world.writes() == 0


def test_retitled_issue_and_epic_keep_their_identity(world: World) -> None:
    _enrolled(world)
    _edit(world, "bob", FIRST, lambda i: setattr(i, "title", "My partner course"))
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert len(world.issues()) == 15 and world.writes() == 0


def test_typo_fix_in_an_objective_keeps_the_tick(world: World) -> None:
    _enrolled(world)
    _edit(
        world,
        "bob",
        FIRST,
        lambda i: setattr(
            i,
            "description",
            i.description.replace(
                f"- [ ] {OBJECTIVE}", "- [x] The diferent types of partners GitLab works with"
            ),
        ),
    )
    world.cli("sync")
    assert "accreditation::in-progress" in _issue(world, FIRST, "bob")["labels"]


def test_reordered_checklist_and_own_items(world: World) -> None:
    _enrolled(world)

    def reorder(issue) -> None:  # type: ignore[no-untyped-def]
        lines = issue.description.split("\n")
        items = [line for line in lines if line.startswith("- [ ] ")]
        rest = [line for line in lines if not line.startswith("- [ ] ")]
        ticked = [line.replace("- [ ]", "- [x]") for line in reversed(items)]
        issue.description = "\n".join([*rest, *ticked, "- [ ] My own reminder to call Sam"])

    _edit(world, "carol", FIRST, reorder)
    world.cli("sync")
    assert "accreditation::assessment" in _issue(world, FIRST, "carol")["labels"]


def test_deleted_stage_label_comes_back(world: World) -> None:
    _enrolled(world)
    iid = world.person("bob").find_issue(FIRST, "bob")
    world.person("erin").remove_label(iid, "accreditation::enrolled")
    world.cli("sync")
    assert "accreditation::enrolled" in _issue(world, FIRST, "bob")["labels"]


def test_reopened_award_is_closed_again_and_never_reawarded(world: World) -> None:
    _enrolled(world)
    _pass(world, FIRST, "alice")
    world.cli("sync")
    iid = world.person("alice").find_issue(FIRST, "alice")
    world.person("erin").set_state(iid, "reopen")
    world.cli("sync")
    issue = _issue(world, FIRST, "alice")
    assert issue["state"] == "closed"
    assert _comments(issue, "You have earned") == 1


def test_issue_moved_out_of_its_epic_is_put_back(world: World) -> None:
    _enrolled(world)
    erin = world.person("erin").gl
    group = erin.groups.get("field-enablement", lazy=True)
    bob_epic = next(e for e in group.epics.list(iterator=True) if e.title.endswith("@bob"))
    iid = world.person("alice").find_issue(FIRST, "alice")
    issue_id = world.person("alice").project.issues.get(iid).id
    bob_epic.issues.create({"issue_id": issue_id})
    world.cli("sync")
    assert _issue(world, FIRST, "alice")["epic"] == next(
        t for (_, t) in world.sandbox.snapshot()["epics"] if t.endswith("@alice")
    )
    assert len(_epic(world, "bob")["issues"]) == 5


def test_a_course_added_after_enrollment_reaches_every_learner(world: World) -> None:
    _enrolled(world)
    curriculum = world.root / "curriculum" / "strategic-account-leaders.yml"
    curriculum.write_text(
        curriculum.read_text()
        + "      - id: negotiation\n        title: Negotiation\n        objectives: [Close a deal]\n"
    )
    assert world.cli("sync").exit_code == 0
    titles = [t for (_, t) in world.sandbox.snapshot()["issues"]]
    assert sorted(t for t in titles if t.startswith("Negotiation")) == [
        "Negotiation — @alice",
        "Negotiation — @bob",
        "Negotiation — @carol",
    ]
    assert "Negotiation" in _epic(world, "bob")["description"]


def test_a_course_removed_after_enrollment_leaves_its_issues_alone(world: World) -> None:
    _enrolled(world)
    curriculum = world.root / "curriculum" / "strategic-account-leaders.yml"
    text = curriculum.read_text()
    start = text.index("      - id: manage-forecasting-activities")
    curriculum.write_text(text[:start])
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert len(world.issues()) == 15
    assert "Manage Forecasting Activities" not in _epic(world, "bob")["description"]
