"""Revocation is final, by construction (findings 1 to 3 of the failures-and-races pass): a
failed write at any position of `revoke`, a sync that read the learner before `revoke` and
wrote after it, and a learner issue padded past GitLab's size limit all leave the badge revoked
(labels, record and exported credential)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accred_ops.app.demo import PROJECT
from accred_ops.sandbox.issuables import DESCRIPTION_LENGTH_MAX
from accred_ops.sync import learners
from tests.security.integrity_world import (
    FIRST,
    PATH_TITLE,
    Attacker,
    HostileWorld,
    export,
    hostile_world,
    iid_of,
    issue,
    passed,
    sync,
)

COURSE = "co-selling-with-partners"


def _revoke(world: HostileWorld) -> tuple[int, str]:
    result = world.cli("revoke", "alice", COURSE, "--reason", "Copied")
    return result.exit_code, result.output


def _issue_hook(iid: int) -> str:
    return json.dumps(
        {
            "object_kind": "issue",
            "user": {"username": "alice"},
            "project": {"path_with_namespace": PROJECT},
            "object_attributes": {"iid": iid},
        }
    )


def _assert_revoked(world: HostileWorld, out: Path) -> None:
    found = issue(world, FIRST, "alice")
    assert "accreditation::revoked" in found["labels"]
    assert "accreditation::badge-awarded" not in found["labels"]
    (assertion,) = export(world, out)
    assert assertion.get("revoked") is True


@pytest.mark.parametrize(
    ("tier", "applied"),
    [("premium", False), ("premium", True), ("free", False)],
    ids=["lost", "applied-then-cut", "free-lost"],
)
@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_finding1_a_failed_write_at_any_position_of_revoke_never_undoes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: int, tier: str, applied: bool
) -> None:
    """GitLab fails revoke's k-th write (its answer lost, or the write not made) and stays
    down; the operator re-runs `revoke` (as its error says), and the schedule syncs twice.
    On GitLab Free the record is the tool's comment on the learner issue."""
    with hostile_world(tmp_path, monkeypatch, "guest", tier=tier) as w:
        assert w.cli("enroll").exit_code == 0
        passed(w, FIRST, "alice")
        sync(w)
        w.sandbox.faults.crash_at_write(k, applied=applied)
        _revoke(w)
        w.sandbox.faults.clear()
        code, output = _revoke(w)
        assert code == 0, output
        sync(w)
        sync(w)
        _assert_revoked(w, tmp_path / "badges")


def test_finding1_revoke_repairs_a_record_that_missed_its_revocation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comment and the label are there but the record never learnt (main's last write
    failed): `revoke` again writes the record instead of saying there is nothing to do."""
    with hostile_world(tmp_path, monkeypatch, "guest") as w:
        assert w.cli("enroll").exit_code == 0
        passed(w, FIRST, "alice")
        sync(w)
        w.sandbox.faults.fail(502, times=50, path=r"/epics/\d+$", method="PUT")
        _revoke(w)
        w.sandbox.faults.clear()
        code, output = _revoke(w)
        assert code == 0, output
        assert "nothing to do" not in output
        sync(w)
        _assert_revoked(w, tmp_path / "badges")


@pytest.mark.parametrize("how", ["sync", "sync --event"])
def test_finding2_a_sync_that_read_before_revoke_cannot_write_its_stale_record_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """The race: a sync (scheduled, or one webhook event's) reads alice's state, then
    `revoke` runs to the end, then the sync writes alice's epic (her progress changed) from
    what it read."""
    with hostile_world(tmp_path, monkeypatch, "guest") as w:
        assert w.cli("enroll").exit_code == 0
        passed(w, FIRST, "alice")
        sync(w)
        person = w.person("alice")
        ticked = person.find_issue("Account Planning", "alice")
        person.tick(ticked)  # the epic will change
        args: tuple[str, ...] = ()
        if how == "sync --event":
            payload = w.root / "payload.json"
            payload.write_text(_issue_hook(ticked))
            args = ("--event", str(payload))
        real = learners._read_details
        raced: list[int] = []

        def read_then_race(session, ctx, state):  # type: ignore[no-untyped-def]
            found = real(session, ctx, state)
            if ctx.learner.username == "alice" and not raced:
                raced.append(-1)  # revoke's own sync of alice passes through here too
                raced[0] = _revoke(w)[0]
            return found

        monkeypatch.setattr(learners, "_read_details", read_then_race)
        sync(w, *args)
        monkeypatch.setattr(learners, "_read_details", real)
        assert raced == [0]
        sync(w)
        sync(w)
        _assert_revoked(w, tmp_path / "badges")


def test_finding3_a_learner_issue_padded_past_the_size_limit_pins_no_revocation_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GitLab Free, alice a Reporter: she pads her learner issue with `/x` lines to just under
    GitLab's 1 MiB; the tool's rewrite (each line defused with a backslash) goes over and is
    refused. The record is written first and on its own; the refusal is reported."""
    with hostile_world(tmp_path, monkeypatch, "reporter", tier="free") as w:
        assert w.cli("enroll").exit_code == 0
        passed(w, FIRST, "alice")
        sync(w)
        alice = Attacker(w, "alice")
        learner_issue = iid_of(w, f"{PATH_TITLE} — @alice")
        text = alice.description(learner_issue)
        pad = "/x\n" * ((DESCRIPTION_LENGTH_MAX - len(text) - 10) // 3)
        assert alice.edit(learner_issue, description=text + "\n" + pad)
        code, output = _revoke(w)
        assert code == 0, output
        assert "refused the rewrite" in output
        out = sync(w)
        assert "refused the rewrite" in out
        sync(w)
        _assert_revoked(w, tmp_path / "badges")
