"""A practical scored against a rubric, end to end through the CLI on the sandbox: two
eligible assessors, agreement awards, disagreement calls the moderator once, retakes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import World, free_seed, survives_a_kill_at_every_write, world_on
from tests.e2e.rubric_world import (
    FORM_PROBLEM,
    MODERATION,
    TALLY,
    labels,
    notes,
    ready,
    score,
    sync,
    with_rubric,
)
from tests.e2e.test_sync import FIRST, _epic, _issue

ROUTED = "accred-ops:routed"
AWARD = "accred-ops:award"


def test_routing_comment_carries_the_scoring_form(world: World) -> None:
    with_rubric(world)
    ready(world)
    (routed,) = notes(world, ROUTED)
    assert "```\ndiscovery: \nvalue: \nnext-steps: \n```" in routed
    assert "2 assessor(s)" in routed


def test_two_agreeing_assessors_award_with_per_criterion_results(world: World) -> None:
    with_rubric(world)
    ready(world)
    score(world, "sam", (4, 4, 3), "Good discovery.")
    sync(world)
    assert notes(world, TALLY) == []  # one assessor is not enough
    assert "practical::approved" not in labels(world)
    score(world, "dana", (5, 4, 4))
    sync(world)
    (tally,) = notes(world, TALLY)
    assert "the practical passes" in tally and "verdict=pass" in tally
    assert "| Discovery questions (`discovery`) | 4 | 5 | 4.5 | Advanced |" in tally
    issue = _issue(world, FIRST, "alice")
    assert "practical::approved" in issue["labels"]
    assert "accreditation::badge-awarded" in issue["labels"] and issue["state"] == "closed"
    (award,) = notes(world, AWARD)
    assert "| Discovery questions | 4.5 | Advanced |" in award
    assert "by @sam, @dana" in award and "by=dana:sam" in award
    (on_epic,) = [n["body"] for n in _epic(world, "alice")["notes"] if "rubric-epic" in n["body"]]
    assert "| Discovery questions | 4.5 | Advanced |" in on_epic
    world.sandbox.reset_log()
    sync(world)
    assert world.writes() == 0


def test_disagreement_mentions_the_moderator_once_and_the_moderator_decides(
    world: World,
) -> None:
    with_rubric(world)
    ready(world)
    score(world, "sam", (5, 5, 5))
    score(world, "dana", (2, 3, 3))
    sync(world)
    (called,) = notes(world, MODERATION)
    assert called.startswith("@erin:") and "pass and another's fail" in called
    sync(world)
    assert len(notes(world, MODERATION)) == 1
    assert notes(world, TALLY) == []
    score(world, "sam", (5, 5, 5), "I insist")  # after the call, only a moderator decides
    sync(world)
    assert notes(world, TALLY) == []
    score(world, "erin", (4, 3, 4))
    sync(world)
    (tally,) = notes(world, TALLY)
    assert "as moderator @erin scored it" in tally and "moderator=erin" in tally
    assert "accreditation::badge-awarded" in labels(world)


def test_a_malformed_form_gets_one_reply_and_counts_for_nothing(world: World) -> None:
    with_rubric(world)
    iid = ready(world)
    world.person("sam").comment(iid, "discovery: 9\nvalue: 4\ntone: 3\nsee you")
    sync(world)
    sync(world)
    (reply,) = notes(world, FORM_PROBLEM)
    assert "'discovery: 9': the score must be from 1 to 5" in reply
    assert "'tone' is not a criterion" in reply and "'next-steps' has no score" in reply
    assert reply.startswith("@sam,")
    score(world, "dana", (4, 4, 4))
    sync(world)
    assert notes(world, TALLY) == []  # sam's broken form is no second score


def test_changes_requested_starts_a_retake_that_needs_fresh_scores(world: World) -> None:
    with_rubric(world)
    iid = ready(world)
    score(world, "sam", (2, 2, 3))
    score(world, "dana", (2, 3, 3))
    sync(world)
    (tally,) = notes(world, TALLY)
    assert "changes requested" in tally
    found = labels(world)
    assert "practical::changes-requested" in found and "Retake" in found
    (failed,) = notes(world, "accred-ops:verdict-failed")
    assert failed.startswith('@alice, the assessors\' scores set ~"practical::changes-requested"')
    assert "3. The next round needs a fresh set of scores" in failed
    score(world, "sam", (4, 4, 4))  # round 2: dana's old scores no longer count
    sync(world)
    assert len(notes(world, TALLY)) == 1
    score(world, "dana", (4, 5, 4))
    sync(world)
    first, second = notes(world, TALLY)
    assert "round 1" in first
    assert "round 2" in second and "verdict=pass" in second
    assert "2 scoring comment(s) of earlier rounds are superseded" in second
    found = labels(world)
    assert "practical::approved" in found and "practical::changes-requested" not in found
    assert "accreditation::badge-awarded" in found
    assert iid


def test_round_robin_asks_the_next_assessor_until_enough_have_scored(world: World) -> None:
    with_rubric(world, assessors="sam, dana, carol")
    config = world.root / "accred.yml"
    config.write_text(
        config.read_text().replace("  moderators:", "  routing: round-robin\n  moderators:")
    )
    iid = ready(world)
    (routed,) = notes(world, ROUTED)
    first = routed.split(":")[0].removeprefix("@")
    score(world, first, (4, 4, 4))
    sync(world)
    sync(world)
    (asked,) = notes(world, "accred-ops:rubric-next")
    chosen = asked.split(":")[0].removeprefix("@")
    assert chosen not in (first, "alice") and "1 of 2 assessors have scored" in asked
    assert chosen in _issue(world, FIRST, "alice")["assignees"]
    score(world, chosen, (4, 4, 4))
    sync(world)
    assert len(notes(world, TALLY)) == 1 and len(notes(world, "accred-ops:rubric-next")) == 1
    assert iid


@pytest.mark.parametrize(
    "scores", [((4, 4, 3), (5, 4, 4)), ((2, 2, 3), (2, 3, 2)), ((5, 5, 5), (2, 2, 2))]
)
def test_a_crash_at_any_write_of_the_verdict_sync_ends_in_the_same_world(
    world: World, scores: tuple[tuple[int, int, int], tuple[int, int, int]]
) -> None:
    """Agreeing to pass (award), agreeing to fail (retake), disagreeing (the moderator)."""
    with_rubric(world)
    ready(world)
    score(world, "sam", scores[0])
    score(world, "dana", scores[1])
    assert survives_a_kill_at_every_write(world, sync) >= 1


@pytest.fixture
def free_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The usual world on GitLab Free: learner issues instead of epics, one assignee."""
    seed = free_seed()
    seed["projects"][0]["members"].append({"username": "dana", "access_level": 30})
    seed["projects"][0]["members"].append({"username": "erin", "access_level": 20})
    with world_on(seed, tmp_path, monkeypatch) as made:
        yield made


def test_on_gitlab_free_the_learner_issue_gets_the_results(free_world: World) -> None:
    world = free_world
    with_rubric(world)
    ready(world)
    score(world, "sam", (4, 4, 4))
    score(world, "dana", (4, 5, 4))
    sync(world)
    assert "accreditation::badge-awarded" in labels(world)
    learner_issue = next(  # unassigned: the learner's path, named in its title
        i
        for (_, title), i in world.sandbox.snapshot()["issues"].items()
        if "Learning path" in i["labels"] and title.endswith("@alice")
    )
    (results,) = [n["body"] for n in learner_issue["notes"] if "rubric-epic" in n["body"]]
    assert "| Value articulation | 4.5 | Advanced |" in results
