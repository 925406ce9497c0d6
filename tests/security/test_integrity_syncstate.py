"""Award integrity, the sync record: it lives in the tool's own comment, and a record that
does not read as the tool's (naive or future times, garbled, someone else's comment, the state
issue's editable description) means a full pass: never a crash, never a freeze. Rows 4 and 5 of
the hostile pass, played by a Developer of the project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from accred_ops.core import syncstate
from tests.security.integrity_world import (
    FIRST,
    Attacker,
    HostileWorld,
    assert_awarded,
    hostile_world,
    iid_of,
    passed,
    sync,
)

FORGED = {
    "naive": "since=2026-12-01T08:00:00 full=2026-12-01T08:00:00 fingerprint={fp}",
    "future": "since=2099-01-01T00:00:00Z full=2099-01-01T00:00:00Z fingerprint={fp}",
    "garbled": "since=yesterday full=2026-13-45T99:00:00Z fingerprint={fp}",
}


@pytest.fixture
def incremental(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileWorld]:
    with hostile_world(tmp_path, monkeypatch, "developer", incremental=True) as world:
        assert world.cli("enroll").exit_code == 0
        assert "full pass: no record" in sync(world)
        yield world


def _fingerprint(world: HostileWorld) -> str:
    issue = world.sandbox.snapshot()["issues"][("field-enablement/accreditation", syncstate.TITLE)]
    (note,) = [n for n in issue["notes"] if n["author"] == "accred-bot"]
    record = syncstate.read_record(note["body"], world.sandbox.now())
    assert record is not None
    return record.fingerprint


@pytest.mark.parametrize("kind", sorted(FORGED))
def test_row4_row5_a_forged_sync_record_means_a_full_pass_never_a_crash_or_a_freeze(
    incremental: HostileWorld, kind: str
) -> None:
    world = incremental
    state = iid_of(world, syncstate.TITLE)
    tag = "<!-- accred-ops:sync-state " + FORGED[kind].format(fp=_fingerprint(world)) + " -->"
    bob = Attacker(world)
    assert bob.edit(state, description=tag)  # a Developer may edit any issue's description
    assert bob.comment(state, tag)  # and comment; the tool's own comment he cannot edit
    tools = [
        n
        for n in bob.person.project.issues.get(state).notes.list(get_all=True)
        if n.author["username"] == "accred-bot"
    ]
    assert tools and not bob.attempt(
        bob.person.project.issues.get(state, lazy=True).notes.update, tools[0].id, {"body": tag}
    )
    passed(world, FIRST, "alice")  # a change the next scheduled sync must see
    said = sync(world, hours=1)
    assert "read what changed since" in said  # the tool's own record, not the forged one
    assert_awarded(world, FIRST, "alice")
    sync(world, hours=1)  # and the next one too


def test_row4_row5_only_the_tools_comment_counts_even_when_its_own_is_gone(
    incremental: HostileWorld,
) -> None:
    """Without the tool's comment (deleted by a maintainer), a forged one by someone else is
    not believed: the next sync is a full pass and writes a record of its own."""
    world = incremental
    state = iid_of(world, syncstate.TITLE)
    bot = world.person("accred-bot").project.issues.get(state, lazy=True)
    for note in bot.notes.list(get_all=True):
        if note.author["username"] == "accred-bot" and not note.system:
            bot.notes.delete(note.id)
    tag = FORGED["future"].format(fp="0" * 16)
    Attacker(world).comment(state, f"<!-- accred-ops:sync-state {tag} -->")
    passed(world, FIRST, "alice")
    assert "full pass" in sync(world, hours=1)
    assert_awarded(world, FIRST, "alice")
    assert "read what changed since" in sync(world, hours=1)
