"""Rows 8 and 11, assessor groups, and the board: who can pass whom, and what the board shows.

Row 8 is played on the sandbox's default world (`accred-ops sandbox` with no seed): learners
are Guests of the project only, as the README advises; then with the old mistake (a learner in
the parent group) to show that an assessor group now means its own members.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import gitlab
import pytest

from accred_ops.app.demo import GROUP, PROJECT, write_workspace
from accred_ops.sandbox import Sandbox
from tests.conftest import copy_program
from tests.e2e.conftest import LEARNERS, World
from tests.e2e.conftest import world as world  # the e2e world fixture, shared
from tests.e2e.test_sync import COURSES, FIRST, _comments, _enrolled, _issue, _pass
from tests.security.test_hardening_text import free_world as free_world  # shared fixture

VERDICTS = ("exam::passed", "practical::approved")


@pytest.fixture
def default_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    with Sandbox() as sandbox:  # no seed: the world `accred-ops sandbox` serves
        copy_program(tmp_path)
        for name in ("example.yml", "self-paced.yml"):
            (tmp_path / "cohorts" / name).unlink()
        write_workspace(tmp_path, None, LEARNERS, cohort="q4", full_sync_every_hours=0)
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("GITLAB_URL", sandbox.url)
        monkeypatch.setenv("GITLAB_TOKEN", sandbox.token_for("accred-bot"))
        yield World(sandbox, tmp_path)


def _ticked(world: World, learner: str = "alice") -> int:
    person = world.person(learner)
    iid = person.find_issue(FIRST, learner)
    person.tick(iid)
    return iid


def test_row8_in_the_default_world_learners_cannot_pass_each_other(default_world: World) -> None:
    world = _enrolled(default_world)
    iid = _ticked(world)
    bob = world.person("bob")
    for verdict in VERDICTS:
        with pytest.raises(gitlab.GitlabUpdateError) as err:  # a Guest, not bob's issue
            bob.add_label(iid, verdict)
        assert err.value.response_code == 403
    bob.comment(iid, "\n".join(f'/label ~"{v}"' for v in VERDICTS))  # stays text
    assert world.cli("sync").exit_code == 0
    issue = _issue(world, FIRST, "alice")
    assert issue["state"] == "opened" and not set(VERDICTS) & set(issue["labels"])
    for verdict in VERDICTS:  # the assessor still can
        world.person("sam").add_label(iid, verdict)
    assert world.cli("sync").exit_code == 0
    assert "accreditation::badge-awarded" in _issue(world, FIRST, "alice")["labels"]


def test_row8_a_learner_in_the_parent_group_is_not_an_assessor(default_world: World) -> None:
    """The old mistake: bob a Reporter of the parent group, so an inherited member of the
    assessors subgroup. By default only the subgroup's own members judge."""
    world = _enrolled(default_world)
    world.sandbox.add_member(GROUP, "bob", 20)
    iid = _ticked(world)
    for verdict in VERDICTS:
        world.person("bob").add_label(iid, verdict)
    for _ in range(2):
        assert world.cli("sync").exit_code == 0
    issue = _issue(world, FIRST, "alice")
    assert issue["state"] == "opened" and not set(VERDICTS) & set(issue["labels"])
    assert _comments(issue, "only when an assessor sets them") == 2


def test_assessors_inherited_true_restores_members_all(default_world: World) -> None:
    world = _enrolled(default_world)
    config = world.root / "accred.yml"
    config.write_text(config.read_text() + "  inherited: true\n")
    world.sandbox.add_member(GROUP, "erin", 40)  # already: the enablement team judges too
    iid = _ticked(world)
    for verdict in VERDICTS:
        world.person("erin").add_label(iid, verdict)
    assert world.cli("sync").exit_code == 0
    assert "accreditation::badge-awarded" in _issue(world, FIRST, "alice")["labels"]


def test_setup_and_sync_name_a_learner_who_is_also_an_assessor_once(
    default_world: World,
) -> None:
    world = default_world
    world.sandbox.add_member(f"{GROUP}/assessors", "carol", 30)
    setup = world.cli("setup")
    assert setup.exit_code == 0
    assert setup.output.count("carol: both a cohort learner and an assessor") == 1
    assert world.cli("enroll").exit_code == 0
    iid = _ticked(world, "carol")
    world.person("sam").add_label(iid, "practical::approved")  # a verdict: groups are read
    sync = world.cli("sync")
    assert sync.output.count("carol: both a cohort learner and an assessor") == 1


# --- row 11: strip the marker and retitle an accredited learner issue ---------------------------


def test_row11_a_stripped_and_retitled_learner_issue_is_not_opened_again(
    free_world: World,
) -> None:
    world = _enrolled(free_world)
    for course in COURSES:
        _pass(world, course, "alice")
    assert world.cli("sync").exit_code == 0
    project = world.person("bob").project
    (mine,) = [
        i
        for i in project.issues.list(iterator=True, labels="Learning path", state="all")
        if i.title.endswith("@alice")
    ]
    assert mine.state == "closed"
    mine = project.issues.get(mine.iid)
    mine.description = mine.description.replace("<!-- accred-ops:", "<!-- gone:")
    mine.title = "Something else entirely"
    mine.save()
    for _ in range(2):
        assert world.cli("sync").exit_code == 0
    snap = world.sandbox.snapshot()
    paths = [i for i in snap["issues"].values() if "Learning path" in i["labels"]]
    assert len(paths) == len(LEARNERS)  # alice's retitled one is still her only one
    announced = sum(_comments(i, "are now accredited") for i in snap["issues"].values())
    assert announced == 1


# --- the board shows the program only -----------------------------------------------------------


def test_board_lists_hold_only_program_issues_where_the_tier_allows_a_scope(
    world: World,
) -> None:
    _enrolled(world)
    assert world.cli("dashboard").exit_code == 0
    assert world.cli("sync", "--full").exit_code == 0  # writes the sync record
    world.person("erin").project.issues.create({"title": "Team offsite"})
    lists = world.sandbox.board_issues(GROUP, "Field Enablement")
    shown = [title for titles in lists.values() for title in titles]
    assert len(shown) == 5 * len(LEARNERS)  # every course issue, nothing else
    assert all(" — @" in title for title in shown), shown
    world.sandbox.reset_log()
    assert world.cli("setup").exit_code == 0  # idempotent: the scope is not sent again
    assert world.writes() == 0


def test_a_free_group_board_is_not_scoped_and_setup_says_so(free_world: World) -> None:
    result = free_world.cli("setup")
    assert result.exit_code == 0
    assert "the board shows every open issue of the group" in result.output
    free_world.sandbox.reset_log()
    assert free_world.cli("setup").exit_code == 0 and free_world.writes() == 0
    assert PROJECT  # the project the Free board's issues live in
