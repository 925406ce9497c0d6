"""Upgrading: a program an earlier version ran has no learner records. The first sync adopts
what only the tool could have made (its issues assigned to the learner, its award comment
greeting that learner) and writes the records; a forged claim made before the upgrade gains
the attacker nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from accred_ops.app.demo import GROUP
from accred_ops.core import record
from tests.security.integrity_world import (
    FIRST,
    MARKER,
    Attacker,
    HostileWorld,
    assert_no_badge,
    award_comments,
    export,
    hostile_world,
    issue,
    narratives,
    passed,
    sync,
)


@pytest.fixture
def upgraded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileWorld]:
    """alice awarded one course by sam, then every trace of this version's records removed:
    the epics' records, and the award comment's marker back to an earlier version's."""
    with hostile_world(tmp_path, monkeypatch, "developer") as world:
        assert world.cli("enroll").exit_code == 0
        passed(world, FIRST, "alice")
        sync(world)
        bot = world.person("accred-bot")
        for epic in bot.gl.groups.get(GROUP, lazy=True).epics.list(get_all=True):
            epic.description = record.strip(epic.description)
            epic.save()
        awarded = bot.project.issues.get(bot.find_issue(FIRST, "alice"))
        for note in awarded.notes.list(get_all=True):
            if "accred-ops:award" in note.body:
                note.body = re.sub(
                    r"<!-- accred-ops:award [^>]*-->",
                    "<!-- accred-ops:award course=co-selling-with-partners -->",
                    note.body,
                )
                note.save()
        yield world


def _records(world: HostileWorld) -> dict[str, record.LearnerRecord]:
    found = {}
    for (_, title), epic in world.sandbox.snapshot()["epics"].items():
        parsed = record.parse(epic["description"])
        if parsed is not None:
            found[title.rsplit("@", 1)[1]] = parsed
    return found


def test_the_first_sync_adopts_issues_and_awards_and_writes_the_records(
    upgraded: HostileWorld, tmp_path: Path
) -> None:
    assert _records(upgraded) == {}
    said = sync(upgraded)
    assert "create issue" not in said and "award badge" not in said
    records = _records(upgraded)
    assert set(records) == {"alice", "bob", "carol"}
    assert records["alice"].awards == {"co-selling-with-partners": ("sam",)}
    assert len(records["alice"].issues) == 5
    assert award_comments(upgraded, "alice") == [f"{FIRST} — @alice"]
    assert sync(upgraded).count("comment") == 0  # settled
    (narrative,) = narratives(export(upgraded, tmp_path / "badges"))
    assert narrative.endswith("by @sam.")


def test_a_claim_forged_before_the_upgrade_gains_the_attacker_nothing(
    upgraded: HostileWorld,
) -> None:
    bob = Attacker(upgraded)
    victim = bob.person.find_issue(FIRST, "alice")
    text = bob.description(victim).split("<!-- accred-ops:issue")[0]
    bob.edit(victim, description=MARKER.format(who="bob", course="co-selling-with-partners") + text)
    bob.edit(victim, assignee_ids=[bob.person.gl.users.list(username="bob")[0].id])
    sync(upgraded)
    sync(upgraded)
    assert_no_badge(upgraded)
    assert "co-selling-with-partners" not in _records(upgraded)["bob"].awards
    assert issue(upgraded, FIRST, "bob")["state"] == "opened"  # his own, untouched
