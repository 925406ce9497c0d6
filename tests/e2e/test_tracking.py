"""The core scenario in every tracking mode: epics (Premium), and learner issues with linked
course issues, found out on a Free group (`tracking: auto`) or asked for (`tracking: issue`)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from accred_ops.app.demo import GROUP
from accred_ops.sandbox import Sandbox
from tests.conftest import copy_program
from tests.e2e.conftest import LEARNERS, World, seed_with
from tests.e2e.test_sync import COURSES, FIRST, _pass

MODES = {
    "epic": ("premium", "auto"),
    "epic through Work Items": ("premium", "auto\n  api: workitems"),
    "issue on a Free group": ("free", "auto"),
    "issue asked for": ("premium", "issue"),
}


@pytest.fixture(params=sorted(MODES))
def mode_world(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, World]]:
    tier, tracking = MODES[request.param]
    seed = copy.deepcopy(seed_with("dana"))
    seed["groups"][0]["tier"] = tier
    with Sandbox(seed) as sandbox:
        from accred_ops.app.demo import write_workspace

        copy_program(tmp_path)
        for name in ("example.yml", "self-paced.yml"):
            (tmp_path / "cohorts" / name).unlink()
        config = write_workspace(
            tmp_path, None, LEARNERS, cohort="q4", concurrency=1, full_sync_every_hours=0
        )
        config.write_text(
            config.read_text().replace("gitlab:\n", f"gitlab:\n  tracking: {tracking}\n")
        )
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("GITLAB_URL", sandbox.url)
        monkeypatch.setenv("GITLAB_TOKEN", sandbox.token_for("accred-bot"))
        monkeypatch.setenv("ACCRED_MAX_RETRIES", "2")
        yield ("issue" if "issue" in request.param else "epic"), World(sandbox, tmp_path)


def _learner_objects(world: World, mode: str) -> dict[str, dict]:
    """Each learner's tracking object (epic or learner issue), by username."""
    snap = world.sandbox.snapshot()
    if mode == "epic":
        found = {title: e for (_, title), e in snap["epics"].items()}
    else:
        found = {
            title: i for (_, title), i in snap["issues"].items() if "Learning path" in i["labels"]
        }
    return {title.rsplit("@", 1)[1]: obj for title, obj in found.items()}


def alice_url(world: World, mode: str) -> str:
    """The web address of alice's tracking object, as GitLab gives it."""
    bot = world.person("accred-bot")
    if mode == "epic":
        epics = bot.gl.groups.get(GROUP, lazy=True).epics.list(get_all=True)
        return next(e.web_url for e in epics if e.title.endswith("@alice"))
    issues = bot.project.issues.list(get_all=True, labels=["Learning path"])
    return next(i.web_url for i in issues if i.title.endswith("@alice"))


def test_the_core_scenario_in_every_mode(mode_world: tuple[str, World]) -> None:
    mode, world = mode_world
    assert world.cli("setup").exit_code == 0
    world.sandbox.reset_log()
    enrolled = world.cli("enroll")
    assert enrolled.exit_code == 0, enrolled.output
    if mode == "issue":
        assert ("learner issues" in enrolled.output) == (
            "tracking: auto" in Path("accred.yml").read_text()
        )
    writes = {(r.method, r.path.rsplit("/", 1)[-1]) for r in world.sandbox.writes()}
    through_graphql = "api: workitems" in Path("accred.yml").read_text()
    assert (("POST", "graphql") in writes) == through_graphql
    assert (("POST", "epics") in writes) == (mode == "epic" and not through_graphql)
    objects = _learner_objects(world, mode)
    assert sorted(objects) == sorted(LEARNERS)
    snap = world.sandbox.snapshot()
    course_issues = [i for i in snap["issues"].values() if "Learning path" not in i["labels"]]
    assert len(course_issues) == len(LEARNERS) * len(COURSES)
    if mode == "epic":
        assert all(len(e["issues"]) == len(COURSES) for e in objects.values())
        assert all(i["epic"] for i in course_issues)
    else:
        assert snap["epics"] == {}
        assert len(snap["links"]) == len(LEARNERS) * len(COURSES)
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert world.writes() == 0

    # a verdict from a non-assessor is refused; an assessor's counts; every badge, then the path
    world.person("carol").add_label(world.person("bob").find_issue(FIRST, "bob"), "exam::passed")
    for course in COURSES:
        _pass(world, course, "alice")
    synced = world.cli("sync")
    assert synced.exit_code == 0, synced.output
    assert "set by @carol, not an assessor" in synced.output
    alice = _learner_objects(world, mode)["alice"]
    assert "accreditation::accredited" in alice["labels"] and alice["state"] == "closed"
    assert sum("accred-ops:path-award" in n["body"] for n in alice["notes"]) == 1
    assert alice["description"].count("| Badge awarded |") == len(COURSES)

    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert world.writes() == 0
    report = json.loads(world.cli("report", "--format", "json").output)
    assert [c["accredited"] for c in report["cohorts"]] == [1]
    accredited = [lr["username"] for lr in report["learners"] if lr["accredited"]]
    assert accredited == ["alice"]
    assert report["learners"][0]["epic_url"] == alice_url(world, mode)
