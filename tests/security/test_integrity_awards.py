"""Award integrity, awards and verdicts: revocation is final, an assessor's verdict stands until
an assessor changes it, credentials name the assessors of record, every award on record is
exported, only reachable learners are enrolled. Rows 3, 13, 14, 16 and 18 of the hostile pass,
with the attacker's own token and role."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from accred_ops.app.demo import PROJECT
from accred_ops.sandbox.people import Person
from tests.security.integrity_world import (
    FIRST,
    LEARNERS,
    ROLES,
    TEMPLATE,
    Attacker,
    HostileWorld,
    assert_awarded,
    assert_no_badge,
    award_comments,
    enrolled_learners,
    export,
    hostile_world,
    issue,
    narratives,
    passed,
    sync,
)
from tests.security.integrity_world import world as world  # every learner role, enrolled


@pytest.fixture
def developers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileWorld]:
    """Learners with Developer: everything a learner could hold without owning the project."""
    with hostile_world(tmp_path, monkeypatch, "developer") as world:
        assert world.cli("enroll").exit_code == 0
        yield world


# --- row 3: revocation is final ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_row3_a_removed_revoked_label_is_put_back_and_nothing_re_awarded(
    world: HostileWorld, who: str, tmp_path: Path
) -> None:
    """bob (a peer) or alice (the learner herself) removes `revoked` and reopens the issue."""
    iid = passed(world, FIRST, "alice")
    sync(world)
    revoked = world.cli("revoke", "alice", "co-selling-with-partners", "--reason", "Copied")
    assert revoked.exit_code == 0
    attacker = Attacker(world, who)
    attacker.edit(iid, remove_labels="accreditation::revoked", state_event="reopen")
    attacker.edit(iid, add_labels="accreditation::badge-awarded")
    sync(world)
    sync(world)
    found = issue(world, FIRST, "alice")
    assert "accreditation::revoked" in found["labels"]
    assert "accreditation::badge-awarded" not in found["labels"]
    assert award_comments(world, "alice").count(f"{FIRST} — @alice") == 1  # never re-awarded
    (assertion,) = export(world, tmp_path / "badges")
    assert assertion.get("revoked") is True


# --- row 13: verdicts both ways ----------------------------------------------------------------


def test_row13_a_peers_opposite_verdict_cannot_undo_an_assessors(
    world: HostileWorld, request: pytest.FixtureRequest
) -> None:
    """Scoped labels (Premium): bob's `exam::failed` takes `exam::passed` off, by exclusivity."""
    iid = passed(world, FIRST, "alice", "exam::passed")
    sync(world)
    bob = Attacker(world)
    bob.edit(iid, add_labels="exam::failed")
    sync(world)
    found = issue(world, FIRST, "alice")
    assert "exam::passed" in found["labels"] and "exam::failed" not in found["labels"]
    restored = [n for n in found["notes"] if "accred-ops:verdict-restored" in n["body"]]
    # a Guest cannot label another's issue (GitLab drops it); a Reporter's or Developer's
    # removal is undone with one explanation
    assert len(restored) == (0 if request.node.callspec.params["world"] == "guest" else 1)
    sync(world)
    assert len(
        [n for n in issue(world, FIRST, "alice")["notes"] if "verdict-restored" in n["body"]]
    ) == len(restored)
    world.person("sam").add_label(iid, "practical::approved")
    sync(world)
    assert_awarded(world, FIRST, "alice")
    assert_no_badge(world)


def test_row13_a_verdict_removed_directly_is_restored_once(developers: HostileWorld) -> None:
    iid = passed(developers, FIRST, "alice")
    developers.person("sam").remove_label(iid, "practical::approved")  # the assessor's own act
    sync(developers)
    Attacker(developers).edit(iid, remove_labels="exam::passed")
    sync(developers)
    found = issue(developers, FIRST, "alice")
    assert "exam::passed" in found["labels"]  # put back: sam set it
    assert "practical::approved" not in found["labels"]  # sam took it off: that stands
    assert sum("verdict-restored" in n["body"] for n in found["notes"]) == 1
    assert found["state"] == "opened"


def test_row13_an_assessor_changing_their_mind_is_not_undone(developers: HostileWorld) -> None:
    iid = passed(developers, FIRST, "alice", "exam::passed")
    sync(developers)
    developers.person("sam").add_label(iid, "exam::failed")  # exclusivity: sam's own removal
    sync(developers)
    found = issue(developers, FIRST, "alice")
    assert "exam::failed" in found["labels"] and "exam::passed" not in found["labels"]
    assert not any("verdict-restored" in n["body"] for n in found["notes"])


# --- row 14: only reachable learners are enrolled ----------------------------------------------


def test_row14_a_cohort_learner_who_is_not_a_project_member_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_world(tmp_path, monkeypatch, learners=(*LEARNERS, "zed")) as world:
        result = world.cli("enroll")
        assert result.exit_code == 1
        assert "@zed is not a member of project field-enablement/accreditation" in result.output
        assert enrolled_learners(world) == set(LEARNERS)  # the others proceed
        assert not any(t.endswith("@zed") for (_, t) in world.sandbox.snapshot()["epics"])
        world.sandbox.world.set_member(
            world.sandbox.world.project_by_path(PROJECT), "zed", ROLES["guest"]
        )
        assert world.cli("sync").exit_code == 0  # once a member (Guest is enough), enrolled
        assert "zed" in enrolled_learners(world)


# --- row 16: the credential names the assessor of record --------------------------------------


def test_row16_a_learner_re_adding_verdicts_does_not_become_the_assessor(
    developers: HostileWorld, tmp_path: Path
) -> None:
    iid = passed(developers, FIRST, "alice")
    sync(developers)
    alice = Attacker(developers, "alice")
    for label in ("exam::passed", "practical::approved"):
        alice.edit(iid, remove_labels=label)
        alice.edit(iid, add_labels=label)
    sync(developers)
    assert_awarded(developers, FIRST, "alice")
    (narrative,) = narratives(export(developers, tmp_path / "badges"))
    assert narrative.endswith("recorded there by @sam.")


# --- row 18: self-enrolled learners' awards are exported ---------------------------------------


def test_row18_a_self_enrolled_learners_award_is_exported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_world(tmp_path, monkeypatch, "guest", open_cohort=True) as world:
        assert world.cli("enroll").exit_code == 0
        frank = Person(world.sandbox.url, world.sandbox.token_for("frank"), PROJECT)
        frank.project.issues.create({"title": "Accreditation enrollment", "description": TEMPLATE})
        sync(world)
        assert "frank" in enrolled_learners(world)
        passed(world, FIRST, "frank")
        sync(world)
        assert_awarded(world, FIRST, "frank")
        found = narratives(export(world, tmp_path / "badges"))
        assert any("ticked by @frank" in n and "by @sam." in n for n in found)


def _awarded_in_report(world: HostileWorld) -> list[str]:
    """The stages "badge-awarded" the JSON report shows, wherever they are."""
    report = world.cli("report", "--format", "json")
    assert report.exit_code == 0

    def walk(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [str(node.get("course"))] if node.get("stage") == "badge-awarded" else []
            return found + [x for v in node.values() for x in walk(v)]
        if isinstance(node, list):
            return [x for v in node for x in walk(v)]
        return []

    return walk(json.loads(report.output))


def test_reports_show_awards_on_record_not_labels_anyone_can_set(developers: HostileWorld) -> None:
    bob = Attacker(developers)
    bob.edit(bob.person.find_issue(FIRST, "bob"), add_labels="accreditation::badge-awarded")
    assert _awarded_in_report(developers) == []
    passed(developers, FIRST, "alice")
    sync(developers)
    assert _awarded_in_report(developers) == ["co-selling-with-partners"]
