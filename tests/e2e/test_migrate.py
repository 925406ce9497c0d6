"""`migrate --to issue|epic`: every learner's path moves to the other tracking object with its
progress, awards and path badge, no duplicates, and back again."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import LEARNERS, World
from tests.e2e.test_sync import COURSES, FIRST, _issue, _pass


def _set_tracking(mode: str) -> None:
    config = Path("accred.yml")
    text = config.read_text().replace("  tracking: epic\n", "").replace("  tracking: issue\n", "")
    config.write_text(text.replace("gitlab:\n", f"gitlab:\n  tracking: {mode}\n"))


def _objects(world: World, mode: str) -> dict[str, dict]:
    snap = world.sandbox.snapshot()
    if mode == "epic":
        found = {t: e for (_, t), e in snap["epics"].items()}
    else:
        found = {t: i for (_, t), i in snap["issues"].items() if "Learning path" in i["labels"]}
    return {title.rsplit("@", 1)[1]: obj for title, obj in found.items()}


def _accredited(world: World) -> list[str]:
    report = json.loads(world.cli("report", "--format", "json").output)
    return [lr["username"] for lr in report["learners"] if lr["accredited"]]


def test_a_program_moves_to_learner_issues_and_back_without_losing_anything(world: World) -> None:
    _set_tracking("epic")
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0
    for course in COURSES:
        _pass(world, course, "alice")
    world.person("bob").tick(
        world.person("bob").find_issue(FIRST, "bob"), ["I have taken the written exam"]
    )
    assert world.cli("sync").exit_code == 0
    course_issues = {t: i for (_, t), i in world.sandbox.snapshot()["issues"].items()}

    world.sandbox.reset_log()
    planned = world.cli("migrate", "--to", "issue", "--dry-run").output
    assert "issue: create learner issue" in planned and "create epic" not in planned
    assert planned.count("put the course issues in it") == len(LEARNERS)
    assert planned.count("copy the path badge") == 1  # alice's path only: accredited
    assert world.writes() == 0
    moved = world.cli("migrate", "--to", "issue")
    assert moved.exit_code == 0, moved.output
    assert "now set `gitlab.tracking: issue`" in moved.output

    learner_issues = _objects(world, "issue")
    assert sorted(learner_issues) == sorted(LEARNERS)
    alice = learner_issues["alice"]
    assert alice["state"] == "closed" and "accreditation::accredited" in alice["labels"]
    assert sum("accred-ops:path-award" in n["body"] for n in alice["notes"]) == 1
    assert learner_issues["bob"]["state"] == "opened"
    for epic in _objects(world, "epic").values():
        assert epic["state"] == "closed"
        assert any("now tracked here" in n["body"] for n in epic["notes"])
    assert len(world.sandbox.snapshot()["links"]) == len(LEARNERS) * len(COURSES)
    for title, issue in course_issues.items():  # ticks, labels and awards untouched
        now = world.sandbox.snapshot()["issues"][("field-enablement/accreditation", title)]
        assert (now["description"], now["labels"], now["state"]) == (
            issue["description"],
            issue["labels"],
            issue["state"],
        )

    world.sandbox.reset_log()
    again = world.cli("migrate", "--to", "issue")  # again: nothing to do
    assert world.writes() == 0, [(r.method, r.path) for r in world.sandbox.writes()]
    assert "add issue" not in again.output

    _set_tracking("issue")
    assert world.cli("sync").exit_code == 0
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert world.writes() == 0
    assert _accredited(world) == ["alice"]
    assert "accreditation::badge-awarded" in _issue(world, FIRST, "alice")["labels"]

    back = world.cli("migrate", "--to", "epic")  # the old epics are found again, not duplicated
    assert back.exit_code == 0, back.output
    _set_tracking("epic")
    epics = _objects(world, "epic")
    assert len(world.sandbox.snapshot()["epics"]) == len(LEARNERS)
    assert epics["alice"]["state"] == "closed" and epics["bob"]["state"] == "opened"
    assert sum("accred-ops:path-award" in n["body"] for n in epics["alice"]["notes"]) == 1
    assert all(len(e["issues"]) == len(COURSES) for e in epics.values())
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert _accredited(world) == ["alice"]
