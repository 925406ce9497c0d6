"""`gitlab.previous_tool_users` and the detection of another tool user cannot be turned against
the program: a learner (or any person) on the list is refused, a name nobody holds is refused,
and a learner's lookalike of the tool's writing stops nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import World, free_seed, world_on
from tests.e2e.test_new_token import NEW, _carry_forward, _objects, _with_new_bot
from tests.security.integrity_world import Attacker

RECORD = (
    '<!-- accred-ops:learner-record {"learner":"{who}","program":"sal",'
    '"path":"territory-and-pipeline","cohort":"q4","via":"file","issues":{},'
    '"awards":{},"revoked":[]} -->'
)


@pytest.fixture
def enrolled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """GitLab Free (learner issues, records in comments); dana, a Guest who is no learner."""
    seed = _with_new_bot(free_seed())
    seed["projects"][0]["members"].append({"username": "dana", "access_level": 10})
    with world_on(seed, tmp_path, monkeypatch) as world:
        assert world.cli("setup").exit_code == 0
        assert world.cli("enroll").exit_code == 0
        world.sandbox.reset_log()
        yield world


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("alice", "'alice' is a cohort learner"),  # by mistake, or by a learner's merge request
        ("group_9_bot_gone", "'group_9_bot_gone' is no GitLab user now"),  # anyone could take it
        ("erin", "'erin' is not a bot user"),  # a person's account is never the tool
    ],
)
def test_a_listed_name_that_is_not_an_earlier_tool_user_is_refused_before_any_write(
    enrolled: World, name: str, says: str
) -> None:
    world = enrolled
    before = _objects(world)
    _carry_forward(world, name)
    for command in (("sync",), ("sync", "--dry-run"), ("report",), ("status", "alice")):
        result = world.cli(*command)
        assert result.exit_code == 2, (command, result.output)
        assert says in result.output, (command, result.output)
    if name == "alice":  # refused from the file alone: with its line, nothing sent at all
        assert "accred.yml:2:" in world.cli("validate").output
    assert world.writes() == 0 and _objects(world) == before


@pytest.mark.parametrize("who", ["alice", "dana"])
def test_a_lookalike_of_the_tools_writing_stops_no_sync(enrolled: World, who: str) -> None:
    """A learner (alice) or another member (dana) opens a labelled learner issue and posts a
    copy of a record on it: only a bot user's own record on its own object is another tool
    user's writing, so the sync goes on (and enrols nobody)."""
    world = enrolled
    person = Attacker(world, who)
    iid = person.create(
        title=f"Learning path: Territory and Pipeline — @{who}",
        labels="program::sal,Learning path,cohort::q4",
        description=RECORD.replace("{who}", who),
    )
    assert iid is not None
    assert person.comment(iid, RECORD.replace("{who}", who))
    result = world.cli("sync")
    assert result.exit_code == 0, result.output
    assert "written by the tool user" not in result.output
    assert world.cli("status", "alice").exit_code == 0


def test_a_copied_sealed_record_makes_nobody_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With ACCRED_RECORD_KEY set, dana (a Guest, no learner) copies alice's sealed record —
    every award in it — onto a learner issue of her own, and the old bot user is deleted so
    that nothing is the tool's by author any more: the seal binds the record to alice's learner
    issue, so dana's copy is nobody's, and the new user enrols dana nowhere."""
    monkeypatch.setenv("ACCRED_RECORD_KEY", "yet-another-long-random-secret")
    seed = _with_new_bot(free_seed())
    seed["projects"][0]["members"].append({"username": "dana", "access_level": 10})
    with world_on(seed, tmp_path, monkeypatch) as world:
        assert world.cli("setup").exit_code == 0
        assert world.cli("enroll").exit_code == 0
        snapshot = world.sandbox.snapshot()["issues"]
        alice = next(
            i
            for (_, t), i in snapshot.items()
            if t.endswith("@alice") and "Learning path" in i["labels"]
        )
        sealed = next(n["body"] for n in alice["notes"] if "record-seal" in n["body"])
        forged = sealed.replace('"learner":"alice"', '"learner":"dana"')
        dana = Attacker(world, "dana")
        for body in (sealed, forged):
            iid = dana.create(
                title="Learning path: Territory and Pipeline — @dana",
                labels="program::sal,Learning path,cohort::q4",
                description=body,
            )
            assert iid is not None and dana.comment(iid, body)
        before = _objects(world)
        world.sandbox.world.delete_user("accred-bot")
        monkeypatch.setenv("GITLAB_TOKEN", world.sandbox.token_for(NEW))
        result = world.cli("sync")
        assert result.exit_code == 0, result.output
        assert _objects(world) == before  # nothing new, nothing adopted for dana
        assert "dana" not in world.cli("report", "--format", "csv").output
