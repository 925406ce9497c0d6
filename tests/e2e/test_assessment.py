"""The assessment loop end to end: routing once per entry, failing verdicts and retakes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import World, free_seed, survives_a_kill_at_every_write, world_on
from tests.e2e.test_sync import COURSES, FIRST, _enrolled, _issue

ROUTED = "accred-ops:routed"
FAILED = "accred-ops:verdict-failed"


def _configure(world: World, routing: str, usernames: str = "[sam, dana]") -> None:
    config = world.root / "accred.yml"
    text = re.sub(
        r"assessors:\n  groups: \[.*\]\n",
        f"assessors:\n  usernames: {usernames}\n  routing: {routing}\n",
        config.read_text(),
    )
    config.write_text(text)


def _notes(world: World, course: str, learner: str, fragment: str) -> list[str]:
    return [n["body"] for n in _issue(world, course, learner)["notes"] if fragment in n["body"]]


def _sync(world: World) -> str:
    result = world.cli("sync")
    assert result.exit_code == 0, result.output
    return result.output


def test_mention_routes_each_entry_once_and_again_after_leaving(world: World) -> None:
    _enrolled(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    _sync(world)
    routed = _notes(world, FIRST, "alice", ROUTED)
    assert len(routed) == 1 and "@sam" in routed[0] and "@alice has ticked" in routed[0]
    assert "accreditation::assessment" in _issue(world, FIRST, "alice")["labels"]

    world.sandbox.reset_log()
    _sync(world)  # a re-run routes nothing
    assert world.writes() == 0
    assert len(_notes(world, FIRST, "alice", ROUTED)) == 1

    alice.tick(iid, ["I have taken the written exam"], done=False)  # leaves assessment
    _sync(world)
    alice.tick(iid)  # and comes back: no assessor acted since they were told, so nobody again
    _sync(world)
    assert len(_notes(world, FIRST, "alice", ROUTED)) == 1

    world.person("sam").comment(iid, "Please redo the territory plan first.")
    alice.tick(iid, ["I have taken the written exam"], done=False)
    _sync(world)
    alice.tick(iid)  # back after an assessor's word: a new entry, routed again
    _sync(world)
    _sync(world)
    assert len(_notes(world, FIRST, "alice", ROUTED)) == 2


def test_round_robin_spreads_eight_waiting_issues_four_and_four(world: World) -> None:
    _configure(world, "round-robin")
    _enrolled(world)
    for learner, courses in (("alice", COURSES), ("bob", COURSES[:3])):
        person = world.person(learner)
        for course in courses:
            person.tick(person.find_issue(course, learner))
    _sync(world)
    _sync(world)
    waiting = [
        (title, issue)
        for (_, title), issue in world.sandbox.snapshot()["issues"].items()
        if "accreditation::assessment" in issue["labels"] and issue["state"] == "opened"
    ]
    assert len(waiting) == 8
    assessors = [a for _, issue in waiting for a in issue["assignees"] if a in ("sam", "dana")]
    assert sorted(assessors) == ["dana"] * 4 + ["sam"] * 4
    for title, issue in waiting:  # the learner stays assigned; the comment names the assessor
        learner = title.rsplit("@", 1)[1]
        assert learner in issue["assignees"]
        (note,) = [n["body"] for n in issue["notes"] if ROUTED in n["body"]]
        chosen = next(a for a in issue["assignees"] if a != learner)
        assert note.startswith(f"@{chosen}:")


def test_nobody_is_asked_to_assess_their_own_work(world: World) -> None:
    _configure(world, "round-robin", "[alice]")  # alice assesses, but not her own issue
    _enrolled(world)
    alice = world.person("alice")
    alice.tick(alice.find_issue(FIRST, "alice"))
    _sync(world)
    (note,) = _notes(world, FIRST, "alice", ROUTED)
    assert "@alice:" not in note and "@alice," not in note
    assert _issue(world, FIRST, "alice")["assignees"] == ["alice"]


def test_manager_routing_asks_the_managing_assessor_else_falls_back(world: World) -> None:
    _configure(world, "manager", "[sam, dana]")
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(
        cohort.read_text()
        .replace("  - alice\n", "  - {username: alice, manager: dana}\n")
        .replace("  - bob\n", "  - {username: bob, manager: carol}\n")
    )
    _enrolled(world)
    for learner in ("alice", "bob"):
        person = world.person(learner)
        person.tick(person.find_issue(FIRST, learner))
    _sync(world)
    (to_alice,) = _notes(world, FIRST, "alice", ROUTED)
    assert "@dana, as @alice's manager, please assess the practical" in to_alice
    assert "dana" in _issue(world, FIRST, "alice")["assignees"]
    (to_bob,) = _notes(world, FIRST, "bob", ROUTED)  # carol is no assessor: everyone is told
    assert to_bob.startswith("@dana @sam:") and "manager" not in to_bob


def test_a_failed_exam_gets_one_comment_and_a_later_pass_awards(world: World) -> None:
    _enrolled(world)
    alice, sam = world.person("alice"), world.person("sam")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    sam.add_label(iid, "exam::failed")
    sam.add_label(iid, "practical::approved")
    _sync(world)
    _sync(world)
    (told,) = _notes(world, FIRST, "alice", FAILED)
    assert told.startswith('@alice, @sam set ~"exam::failed"') and "retake" in told
    issue = _issue(world, FIRST, "alice")
    assert "accreditation::assessment" in issue["labels"] and "Retake" in issue["labels"]

    sam.remove_label(iid, "exam::failed")
    sam.add_label(iid, "exam::passed")
    _sync(world)
    issue = _issue(world, FIRST, "alice")
    assert issue["state"] == "closed" and "accreditation::badge-awarded" in issue["labels"]
    assert len(_notes(world, FIRST, "alice", FAILED)) == 1
    report = json.loads(world.cli("report", "--format", "json").output)
    (first,) = [c for c in report["courses"] if c["course"] == "co-selling-with-partners"]
    assert (first["failures"], first["retakes"], first["badges"]) == (1, 1, 1)


def test_a_failing_verdict_the_learner_sets_is_refused_not_explained(world: World) -> None:
    _enrolled(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    alice.add_label(iid, "exam::failed")
    _sync(world)
    assert _notes(world, FIRST, "alice", FAILED) == []
    assert "Retake" not in _issue(world, FIRST, "alice")["labels"]


@pytest.fixture
def free_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The usual world on a GitLab Free group: no epics, one assignee per issue."""
    seed = free_seed()
    seed["projects"][0]["members"].append({"username": "dana", "access_level": 30})
    with world_on(seed, tmp_path, monkeypatch) as made:
        yield made


def test_on_free_the_round_robin_mentions_instead_of_assigning(free_world: World) -> None:
    world = free_world
    _configure(world, "round-robin")
    _enrolled(world)
    chosen = []
    for learner in ("alice", "bob"):  # one a run: the second run must remember the first
        person = world.person(learner)
        person.tick(person.find_issue(FIRST, learner))
        _sync(world)
        issue = _issue(world, FIRST, learner)
        assert issue["assignees"] == [learner]  # the learner keeps the only assignee
        (note,) = [n["body"] for n in issue["notes"] if ROUTED in n["body"]]
        chosen.append(note.split(":", 1)[0])
    assert chosen == ["@dana", "@sam"]


def test_a_crash_at_any_write_of_a_routing_sync_routes_once(world: World) -> None:
    _configure(world, "round-robin")
    _enrolled(world)
    for learner in ("alice", "bob"):
        person = world.person(learner)
        person.tick(person.find_issue(FIRST, learner))
    # per issue: comment, assignment, stage; per epic: the table
    assert survives_a_kill_at_every_write(world, _sync) >= 8
