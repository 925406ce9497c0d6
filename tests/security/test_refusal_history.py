"""A refusal is part of the history (finding 4 of the failures-and-races pass): a verdict label
event the tool refused never counts again, whoever becomes an assessor later."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.security.integrity_world import (
    FIRST,
    assert_no_badge,
    hostile_world,
    issue,
    sync,
)


def test_finding4_a_refused_verdict_stays_refused_when_its_author_becomes_an_assessor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """frank, a Reporter who is no assessor, sets both verdicts on alice's ticked issue; the
    sync refuses them. Weeks later frank is made an assessor for other work."""
    with hostile_world(tmp_path, monkeypatch, "reporter") as w:
        assert w.cli("enroll").exit_code == 0
        alice = w.person("alice")
        iid = alice.find_issue(FIRST, "alice")
        alice.tick(iid)
        frank = w.person("frank")
        frank.add_label(iid, "exam::passed")
        frank.add_label(iid, "practical::approved")
        out = sync(w)
        assert "set by @frank, not an assessor" in out
        refused = issue(w, FIRST, "alice")
        assert "exam::passed" not in refused["labels"]
        config = w.root / "accred.yml"
        config.write_text(
            config.read_text().replace("assessors:\n", "assessors:\n  usernames: [frank]\n", 1)
        )
        sync(w, hours=24 * 21)
        sync(w)
        found = issue(w, FIRST, "alice")
        assert "exam::passed" not in found["labels"]
        assert "practical::approved" not in found["labels"]
        assert "accreditation::badge-awarded" not in found["labels"]
        assert_no_badge(w, "alice")
        restored = [n for n in found["notes"] if "accred-ops:verdict-restored" in n["body"]]
        assert restored == []
