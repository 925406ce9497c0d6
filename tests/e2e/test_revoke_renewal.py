"""Revoking a badge whose renewal is open ends that renewal: the revocation comment says why,
the renewal issue is closed, and no later sync opens one again. End to end on the sandbox with
the clock moved, through the CLI; crash-safe like every `revoke` (the record first)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import survives_a_kill_at_every_write
from tests.e2e.test_sync import COURSES, FIRST, _enrolled, _epic, _issue
from tests.e2e.timed_world import (
    ROLLING,
    World,
    _accredited,
    _later,
    _record,
    _renewal,
    _renewals,
    _validity,
)
from tests.e2e.timed_world import timed as timed

COURSE = "co-selling-with-partners"
CYCLE = "2027-H2"  # renewals of awards made 2027-01-04, due 2027-07-04, open from 2027-06-04


REVOKE = ("revoke", "alice", COURSE, "--reason", "Awarded in error")


def _revoke_and_sync(world: World) -> None:
    world.cli(*REVOKE)
    assert world.cli("sync").exit_code == 0


@pytest.mark.parametrize(("days", "standing"), [(160, "still valid"), (196, "expired")])
def test_revoking_a_badge_ends_its_open_renewal(timed: World, days: int, standing: str) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, days)  # 2027-06-13 (renewal open, badge valid) or 2027-07-19 (expired)
    assert timed.cli("sync").exit_code == 0
    assert _renewal(timed, FIRST, "alice", CYCLE)["state"] == "opened", standing
    result = timed.cli("revoke", "alice", COURSE, "--reason", "Awarded in error")
    assert result.exit_code == 0, result.output
    renewal = _renewal(timed, FIRST, "alice", CYCLE)
    assert renewal["state"] == "closed"
    assert "accreditation::revoked" in renewal["labels"]
    assert "accreditation::expired" not in renewal["labels"]
    (comment,) = [n["body"] for n in renewal["notes"] if "has been revoked" in n["body"]]
    assert f"This issue was the badge's renewal ({CYCLE})" in comment
    assert "A revoked badge is never renewed" in comment
    # the issue the badge was first awarded on keeps its history, as for any revocation
    assert _issue(timed, FIRST, "alice")["state"] == "closed"
    assert COURSE in _record(timed, "alice")["revoked"]
    # no later sync reopens it or opens another renewal of the revoked badge, a year on
    for _ in range(2):
        _later(timed, 200)
        assert timed.cli("sync").exit_code == 0
    renewal = _renewal(timed, FIRST, "alice", CYCLE)
    assert renewal["state"] == "closed" and "accreditation::revoked" in renewal["labels"]
    assert [t for t in _renewals(timed) if t.startswith(f"{FIRST} — ")] == [
        f"{FIRST} — @alice — renewal {CYCLE}"
    ]
    assert "accreditation::accredited" not in _epic(timed, "alice")["labels"]
    # revoking it again: nothing to do
    timed.sandbox.reset_log()
    assert timed.cli("revoke", "alice", COURSE, "--reason", "Awarded in error").exit_code == 0
    assert timed.writes() == 0


def test_revoking_during_a_renewal_survives_a_kill_at_every_write(timed: World) -> None:
    """`revoke` killed at each of its writes (applied or not), then run again with a sync:
    always the world a clean revoke left, the renewal closed with its one comment."""
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 196)  # 2027-07-19: expired, the renewals open
    assert timed.cli("sync").exit_code == 0
    assert survives_a_kill_at_every_write(timed, _revoke_and_sync, killed=REVOKE) >= 3
    renewal = _renewal(timed, FIRST, "alice", CYCLE)
    assert renewal["state"] == "closed"
    assert sum("has been revoked" in n["body"] for n in renewal["notes"]) == 1
    assert [t for t in _renewals(timed) if t.startswith(f"{COURSES[0]} — ")] == [
        f"{FIRST} — @alice — renewal {CYCLE}"
    ]


def test_revoking_ends_a_renewal_a_killed_sync_never_recorded(timed: World) -> None:
    """A sync killed right after creating the renewal leaves it open and off the record;
    `revoke` finds it as a sync would (the tool's own, untouched), ends it, and every rerun
    after a kill at any of its writes still ends it, once."""
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 160)  # 2027-06-13: the renewal opens
    timed.sandbox.faults.crash_at_write(1)  # the renewal issue is created, nothing more
    timed.cli("sync")
    timed.sandbox.faults.clear()
    assert _renewal(timed, FIRST, "alice", CYCLE)["state"] == "opened"
    assert COURSE not in _record(timed, "alice").get("renewing", {})
    survives_a_kill_at_every_write(timed, _revoke_and_sync, killed=REVOKE)
    renewal = _renewal(timed, FIRST, "alice", CYCLE)
    assert renewal["state"] == "closed" and "accreditation::revoked" in renewal["labels"]
    (comment,) = [n["body"] for n in renewal["notes"] if "has been revoked" in n["body"]]
    assert f"This issue was the badge's renewal ({CYCLE})" in comment
    _later(timed, 200)
    assert timed.cli("sync").exit_code == 0
    assert _renewal(timed, FIRST, "alice", CYCLE)["state"] == "closed"
    assert [t for t in _renewals(timed) if t.startswith(f"{FIRST} — ")] == [
        f"{FIRST} — @alice — renewal {CYCLE}"
    ]
