"""Where an expired badge's renewal sits on the board (README, "Badges that expire"): one
`accreditation::` label at a time, so `accreditation::expired` takes its stage's place and its
card leaves the stage lists until it reaches assessment. Through the CLI on the sandbox."""

from __future__ import annotations

import re

from tests.e2e.test_sync import FIRST, _enrolled
from tests.e2e.timed_world import (
    ROLLING,
    World,
    _accredited,
    _later,
    _renewal,
    _renewal_iid,
    _validity,
)
from tests.e2e.timed_world import timed as timed

CYCLE = "2027-H2"


def _lists(world: World) -> dict[str, str]:
    """The board's stage lists: label -> the list's name as people read it."""
    group = world.person("accred-bot").gl.groups.get("field-enablement")
    (board,) = group.boards.list()
    return {
        found.label["name"]: found.label["name"].removeprefix("accreditation::")
        for found in board.lists.list()
        if found.label
    }


def _shown_in(world: World) -> list[str]:
    """The stage lists the renewal's card is in."""
    labels = _renewal(world, FIRST, "alice", CYCLE)["labels"]
    return [name for label, name in _lists(world).items() if label in labels]


def test_an_expired_badges_renewal_leaves_the_stage_lists_until_assessment(
    timed: World,
) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 160)  # 2027-06-13: the renewal is open, the badge still valid
    assert timed.cli("sync").exit_code == 0
    assert _shown_in(timed) == ["enrolled"]
    _later(timed, 36)  # 2027-07-19: past the grace, the renewal not started
    assert timed.cli("sync").exit_code == 0
    labels = _renewal(timed, FIRST, "alice", CYCLE)["labels"]
    assert [label for label in labels if label.startswith("accreditation::")] == [
        "accreditation::expired"
    ]
    assert _shown_in(timed) == []  # not in Enrolled: GitLab's Open list shows it
    alice = timed.person("alice")
    iid = _renewal_iid(timed, FIRST, "alice", CYCLE)
    first = re.search(r"- \[ \] (.*)", alice.project.issues.get(iid).description)
    assert first is not None
    alice.tick(iid, [first[1]])  # started: still expired, in no stage list
    assert timed.cli("sync").exit_code == 0
    assert _shown_in(timed) == []
    alice.tick(iid)  # every item: the assessors' list shows it
    assert timed.cli("sync").exit_code == 0
    assert _shown_in(timed) == ["assessment"]
