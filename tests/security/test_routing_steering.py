"""Choosing your assessor (finding 8 of the failures-and-races pass): round-robin counts only
the tool's own course issues, and only the assessor the tool itself routed each one to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.integrity_world import FIRST, Attacker, hostile_world, issue, sync


def test_finding8_a_guests_look_alike_issues_in_assessment_do_not_steer_round_robin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """frank and sam assess by round-robin; with no work waiting the tie goes to frank. alice
    (a Guest) creates three issues labelled `accreditation::assessment` and assigned to frank,
    as GitLab lets any member do at creation, to have her own work go to sam."""
    with hostile_world(tmp_path, monkeypatch, "guest") as w:
        config = w.root / "accred.yml"
        config.write_text(
            config.read_text().replace(
                "assessors:\n", "assessors:\n  usernames: [frank, sam]\n  routing: round-robin\n", 1
            )
        )
        assert w.cli("enroll").exit_code == 0
        alice = Attacker(w, "alice")
        frank_id = alice.person.gl.users.list(username="frank")[0].id
        for n in range(3):
            assert alice.create(
                title=f"{FIRST} — @carol {n}",
                labels="accreditation::assessment,Field Learning Programs",
                assignee_ids=[frank_id],
            )
        person = w.person("alice")
        person.tick(person.find_issue(FIRST, "alice"))
        sync(w)
        found = issue(w, FIRST, "alice")
        (routed,) = [n["body"] for n in found["notes"] if "accred-ops:routed" in n["body"]]
        assert "to=frank" in routed, routed
        assert "frank" in found["assignees"] and "sam" not in found["assignees"]
