"""What a rubric course's texts say to people, end to end through the CLI on the sandbox."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World
from tests.e2e.rubric_world import labels, ready, sync, with_rubric


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
