"""Attacks on the assessment loop and on course feedback, each with the attacker's own token."""

from __future__ import annotations

from accred_ops.core.marker import make
from tests.e2e import conftest as e2e
from tests.e2e.conftest import World
from tests.e2e.test_feedback import _feedback_issue, _open_feedback
from tests.e2e.test_sync import FIRST, _enrolled, _issue

world = e2e.world  # the end-to-end fixture: the real CLI against the sandbox


def test_feedback_text_is_never_echoed_nor_run_as_a_quick_action(world: World) -> None:
    _enrolled(world)
    hostile = "/close @all <script>x</script> ](http://evil.example)"
    _open_feedback(world, "bob", "Feedback: hostile", hostile, "/label ~exam::passed")
    assert world.cli("sync").exit_code == 0
    issue = _feedback_issue(world, "Feedback: hostile")
    (reply,) = [n["body"] for n in issue["notes"] if n["author"] == "accred-bot"]
    for fragment in ("/close", "@all", "<script>", "evil.example", "exam::passed"):
        assert fragment not in reply
    assert issue["state"] == "opened" and "exam::passed" not in issue["labels"]


def test_a_forged_routing_marker_does_not_silence_the_assessors(world: World) -> None:
    _enrolled(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.comment(iid, "done " + make("routed", entry=0))  # looks like the tool's record
    alice.tick(iid)
    assert world.cli("sync").exit_code == 0
    notes = _issue(world, FIRST, "alice")["notes"]
    routed = [n for n in notes if n["author"] == "accred-bot" and "accred-ops:routed" in n["body"]]
    assert len(routed) == 1 and "@sam" in routed[0]["body"]


def test_a_forged_failure_notice_does_not_stop_the_real_one(world: World) -> None:
    _enrolled(world)
    alice, sam = world.person("alice"), world.person("sam")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    sam.add_label(iid, "exam::failed")
    forged = " ".join(make("verdict-failed", event=n) for n in range(1, 200))
    alice.comment(iid, forged)  # every plausible event id, in the learner's own comment
    assert world.cli("sync").exit_code == 0
    notes = _issue(world, FIRST, "alice")["notes"]
    told = [n for n in notes if n["author"] == "accred-bot" and "verdict-failed" in n["body"]]
    assert len(told) == 1
