"""Attacks on a rubric's practical (core/judging.py), each with the attacker's own token on the
sandbox, through the CLI: a score counts only by its author, once per eligible assessor, and a
tally once posted is the verdict."""

from __future__ import annotations

import gitlab
import pytest

from accred_ops.app.demo import PROJECT
from tests.e2e import conftest as e2e
from tests.e2e.conftest import World
from tests.e2e.rubric_world import (
    MODERATION,
    TALLY,
    labels,
    notes,
    ready,
    score,
    sync,
    with_rubric,
)

world = e2e.world  # the end-to-end fixture: the real CLI against the sandbox


def _notes_as(world: World, who: str, iid: int):
    client = gitlab.Gitlab(world.sandbox.url, private_token=world.sandbox.token_for(who))
    return client.projects.get(PROJECT, lazy=True).issues.get(iid, lazy=True).notes


def _first_note_of(world: World, author: str, iid: int, who: str) -> object:
    notes_ = _notes_as(world, who, iid)
    found = next(n for n in notes_.list(get_all=True) if n.author["username"] == author)
    return notes_.get(found.id, lazy=True)


def test_a_learner_posting_a_scoring_form_counts_for_nothing(world: World) -> None:
    with_rubric(world)
    ready(world)
    score(world, "sam", (4, 4, 4))
    score(world, "alice", (5, 5, 5), "I rate myself highly")
    sync(world)
    assert notes(world, TALLY) == []
    assert "practical::approved" not in labels(world)
    assert not [n for n in notes(world, "@alice, your scoring form") if n]  # no reply either


def test_a_learner_cannot_edit_an_assessors_comment_and_the_tally_uses_what_the_author_wrote(
    world: World,
) -> None:
    with_rubric(world)
    iid = ready(world)
    score(world, "sam", (2, 2, 2))
    note = _first_note_of(world, "sam", iid, "alice")
    note.body = "discovery: 5\nvalue: 5\nnext-steps: 5"
    with pytest.raises(gitlab.GitlabUpdateError):  # GitLab: only the author edits a comment
        note.save()
    score(world, "dana", (2, 3, 2))
    sync(world)
    (tally,) = notes(world, TALLY)
    assert "verdict=fail" in tally and "| 2 | 2 |" in tally


def test_an_assessor_scoring_twice_counts_once(world: World) -> None:
    with_rubric(world)
    ready(world)
    score(world, "sam", (2, 2, 2))
    score(world, "sam", (5, 5, 5), "second thoughts")
    sync(world)
    assert notes(world, TALLY) == []  # one assessor, however many comments
    score(world, "dana", (4, 4, 4))
    sync(world)
    (tally,) = notes(world, TALLY)  # sam's latest comment replaced his first
    assert "verdict=pass" in tally and "by=sam:dana" in tally


def test_the_learners_manager_does_not_count_when_excluded(world: World) -> None:
    with_rubric(world, manager="dana", assessors="sam, dana, carol")
    ready(world)
    score(world, "sam", (4, 4, 4))
    score(world, "dana", (5, 5, 5))
    sync(world)
    assert notes(world, TALLY) == []
    score(world, "carol", (4, 4, 4))
    sync(world)
    (tally,) = notes(world, TALLY)
    assert "by=sam:carol" in tally and "dana" not in tally.split("by=")[1]


def test_an_assessor_removed_before_the_verdict_no_longer_counts(world: World) -> None:
    with_rubric(world)
    ready(world)
    score(world, "sam", (4, 4, 4))
    with_rubric(world, assessors="dana, carol", enroll=False)  # sam leaves the assessors
    score(world, "dana", (4, 4, 4))
    sync(world)
    assert notes(world, TALLY) == []  # sam's score waits on an assessor who no longer is one
    score(world, "carol", (5, 4, 4))
    sync(world)
    (tally,) = notes(world, TALLY)
    assert "by=dana:carol" in tally


def test_an_assessor_removed_after_the_verdict_leaves_it_standing(world: World) -> None:
    with_rubric(world)
    ready(world)
    score(world, "sam", (2, 2, 2))
    score(world, "dana", (2, 2, 3))
    sync(world)
    assert "practical::changes-requested" in labels(world)
    with_rubric(world, assessors="carol", enroll=False)
    world.sandbox.reset_log()
    sync(world)
    assert "practical::changes-requested" in labels(world)  # the tally is the proof
    assert len(notes(world, TALLY)) == 1


def test_a_moderator_who_is_the_learner_is_neither_mentioned_nor_counted(world: World) -> None:
    with_rubric(world, moderators="alice, erin")
    ready(world)
    score(world, "sam", (5, 5, 5))
    score(world, "dana", (2, 2, 2))
    sync(world)
    (called,) = notes(world, MODERATION)
    assert called.startswith("@erin:") and "@alice " not in called.split("\n")[0]
    score(world, "alice", (5, 5, 5))
    sync(world)
    assert notes(world, TALLY) == []
    score(world, "erin", (2, 3, 2))
    sync(world)
    (tally,) = notes(world, TALLY)
    assert "moderator=erin" in tally and "verdict=fail" in tally


def test_a_scoring_comment_edited_after_the_verdict_changes_nothing(world: World) -> None:
    with_rubric(world)
    iid = ready(world)
    score(world, "sam", (2, 2, 2))
    score(world, "dana", (2, 3, 2))
    sync(world)
    assert "practical::changes-requested" in labels(world)
    note = _first_note_of(world, "sam", iid, "sam")
    note.body = "discovery: 5\nvalue: 5\nnext-steps: 5"
    note.save()  # the author may edit: the closed round does not hear it
    score(world, "dana", (5, 5, 5))  # and one fresh score is not a round
    sync(world)
    found = labels(world)
    assert len(notes(world, TALLY)) == 1
    assert "practical::changes-requested" in found and "practical::approved" not in found


def test_a_practical_label_set_by_hand_on_a_rubric_course_is_removed(world: World) -> None:
    with_rubric(world)
    iid = ready(world)
    world.person("alice").add_label(iid, "practical::approved")
    world.person("sam").comment(iid, "fine by me")
    sync(world)
    assert "practical::approved" not in labels(world)
    world.person("sam").add_label(iid, "practical::approved")  # an assessor alone decides nothing
    sync(world)
    found = labels(world)
    assert "practical::approved" not in found and "accreditation::badge-awarded" not in found
    told = notes(world, "accred-ops:rubric-label")
    assert (
        len(told) == 2 and told[0].startswith("Hello @alice,") and told[1].startswith("Hello @sam,")
    )
    assert "scored against its rubric" in told[1]
    sync(world)
    assert len(notes(world, "accred-ops:rubric-label")) == 2  # once per label event
