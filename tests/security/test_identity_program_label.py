"""A course issue whose `program::` label someone removed, on GitLab Free (learner issues: the
record is the tool's comment, course issues are linked, not in an epic): it stays its course's
issue; and an issue a record once named, replaced, is never adopted for another course."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.security.integrity_world import (
    FIRST,
    Attacker,
    HostileWorld,
    hostile_world,
    passed,
    sync,
)
from tests.security.test_redteam import NEW_COURSE


@pytest.fixture
def free(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    with hostile_world(tmp_path, monkeypatch, "reporter", tier="free") as w:
        assert w.cli("enroll").exit_code == 0
        yield w


def _titled(w: HostileWorld, title: str) -> list:
    bot = w.person("accred-bot").project
    return [i for i in bot.issues.list(get_all=True, state="all") if i.title == title]


def test_a_peers_issue_without_its_program_label_keeps_her_ticks_and_gets_it_back(
    free: HostileWorld,
) -> None:
    iid = passed(free, FIRST, "alice", "exam::passed")
    sync(free)
    assert Attacker(free).edit(iid, remove_labels="program::sal")
    sync(free)
    found = _titled(free, f"{FIRST} — @alice")
    assert [i.iid for i in found] == [iid]
    assert "program::sal" in found[0].labels and "- [ ]" not in found[0].description
    assert free.cli("status", "alice").exit_code == 0


def _forget_iids(w: HostileWorld, learner: str) -> None:
    """bob's record as a version before iids wrote it (the tool rewrites its own comment)."""
    bot = w.person("accred-bot").project
    path = next(
        i
        for i in bot.issues.list(get_all=True, search=f"@{learner}")
        if "Learning path" in i.labels
    )
    for note in path.notes.list(get_all=True):
        if note.author["username"] == "accred-bot" and "learner-record" in note.body:
            note.body = re.sub(r',"iids":\{[^}]*\}', "", note.body)
            note.save()
            return
    raise AssertionError("no record comment")


def test_an_issue_the_record_replaced_is_never_adopted_for_a_new_course(
    free: HostileWorld,
) -> None:
    """A record without iids (written before them) cannot read back bob's course-1 issue once
    he strips `program::sal`: a new one is made and the old one is kept as retired. Re-marked
    for a course added later, it must not be adopted with sam's course-1 verdicts."""
    w, bob = free, Attacker(free)
    old = passed(w, FIRST, "bob")
    sync(w)
    _forget_iids(w, "bob")
    assert bob.edit(old, remove_labels="program::sal")
    sync(w)
    assert len(_titled(w, f"{FIRST} — @bob")) == 2  # replaced, as before iids were recorded
    curriculum = next((w.root / "curriculum").glob("*.yml"))
    text = curriculum.read_text()
    curriculum.write_text(
        text.replace(
            "      - id: account-planning\n", NEW_COURSE + "      - id: account-planning\n", 1
        )
    )
    lines = bob.description(old).replace("course=co-selling-with-partners", "course=new-course")
    kept = [line for line in lines.splitlines() if not line.startswith("- [")]
    ticks = ["- [x] Alpha objective for the new course", "- [x] Beta objective for the new course"]
    assert bob.edit(
        old,
        description="\n".join(kept + ticks),
        add_labels="program::sal,course::new-course",
        remove_labels="course::co-selling-with-partners,accreditation::badge-awarded",
        state_event="reopen",
    )
    sync(w)
    sync(w)
    found = w.person("accred-bot").project.issues.get(old)
    bodies = [
        n.body for n in found.notes.list(get_all=True) if n.author["username"] == "accred-bot"
    ]
    assert not [b for b in bodies if "accred-ops:award course=new-course" in b]
    assert "accreditation::badge-awarded" not in found.labels
    assert w.person("bob").find_issue("New Course", "bob") != old
