"""What a rubric course's texts say to people, end to end through the CLI on the sandbox."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World
from tests.e2e.rubric_world import TALLY, labels, notes, ready, score, sync, with_rubric
from tests.e2e.test_sync import _epic

AWARD = "accred-ops:award"


@pytest.mark.parametrize("who", ["alice", "sam"])
def test_a_hand_set_verdicts_removal_says_the_tally_sets_it(world: World, who: str) -> None:
    """The learner or an assessor sets `practical::approved` by hand: the sync's line for its
    removal gives the reason (the tool's tally sets a rubric practical's verdict), not a stage."""
    with_rubric(world)
    iid = ready(world)
    world.person(who).add_label(iid, "practical::approved")
    output = sync(world)
    assert "practical::approved" not in labels(world)
    (line,) = [line for line in output.splitlines() if 'remove ~"practical::approved"' in line]
    assert "(stage assessment)" not in line
    assert "the tool sets the practical's verdict from the assessors' scores" in line
    assert "a practical label set by hand is removed" in line


def test_a_result_between_named_levels_reads_with_their_names(world: World) -> None:
    """The scale names 1 Basic, 3 Proficient, 5 Advanced: a result of 4 reads "between
    Proficient and Advanced" in the tally, the award comment and the epic, never a bare 4."""
    with_rubric(world)
    ready(world)
    score(world, "sam", (4, 4, 4))
    score(world, "dana", (5, 4, 4))
    sync(world)
    between = "between Proficient and Advanced"
    (tally,) = notes(world, TALLY)
    assert f"| Value articulation (`value`) | 4 | 4 | 4 | {between} |" in tally
    assert "| Discovery questions (`discovery`) | 4 | 5 | 4.5 | Advanced |" in tally
    assert f"Average 4.17 ({between})." in tally
    (award,) = notes(world, AWARD)
    assert f"| Value articulation | 4 | {between} |" in award
    assert "| Value articulation | 4 | 4 |" not in award
    (on_epic,) = [n["body"] for n in _epic(world, "alice")["notes"] if "rubric-epic" in n["body"]]
    assert f"| Next steps | 4 | {between} |" in on_epic
