"""Reminders end to end: the sandbox's clock is moved (never slept) and the CLI is told the time."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _issue

SECOND = "Account Planning"
RULES = "reminders:\n  stalled_after_days: 14\n  repeat_every_days: 7\n  assessment_after_days: 5\n"


def _reminders(world: World) -> list[tuple[str, str]]:
    """(issue title, comment) for every reminder the tool left."""
    return [
        (title, note["body"])
        for (_, title), issue in world.sandbox.snapshot()["issues"].items()
        for note in issue["notes"]
        if "accred-ops:reminder" in note["body"]
    ]


def _sync_at(world: World, monkeypatch: pytest.MonkeyPatch, days: float) -> None:
    world.sandbox.advance(days=days)
    monkeypatch.setenv("ACCRED_NOW", world.sandbox.now().isoformat())
    result = world.cli("sync")
    assert result.exit_code == 0, result.output


@pytest.fixture
def reminding(world: World) -> World:
    with (world.root / "accred.yml").open("a") as config:
        config.write(RULES)
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0
    return world


def test_a_quiet_learner_gets_one_reminder_then_none_until_the_rules_allow(
    reminding: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = reminding
    _sync_at(world, monkeypatch, days=13)
    assert _reminders(world) == []

    _sync_at(world, monkeypatch, days=2)  # 15 quiet days, course 1 due on 2026-12-15
    sent = _reminders(world)
    assert sorted(title for title, _ in sent) == [
        f"{FIRST} — @{u}" for u in ("alice", "bob", "carol")
    ]
    assert all(f"@{title.rsplit('@', 1)[1]}" in body for title, body in sent)
    assert all("no activity for 15 days" in body for _, body in sent)

    world.sandbox.reset_log()
    _sync_at(world, monkeypatch, days=0)
    _sync_at(world, monkeypatch, days=3)  # overdue now, but reminded 3 days ago
    assert world.writes() == 0

    _sync_at(world, monkeypatch, days=4)  # a week after the last reminder, and overdue
    sent = _reminders(world)
    assert len(sent) == 6
    assert sorted(t for t, body in sent if "was due on 2026-12-15" in body) == sorted(
        t for t, body in sent if "no activity" in body
    )


def test_assessors_are_reminded_of_work_waiting_for_them_never_of_awarded_work(
    reminding: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = reminding
    bob, alice = world.person("bob"), world.person("alice")
    bob.tick(bob.find_issue(FIRST, "bob"))
    done = alice.find_issue(FIRST, "alice")
    alice.tick(done)
    world.person("sam").add_label(done, "exam::passed")
    world.person("sam").add_label(done, "practical::approved")
    _sync_at(world, monkeypatch, days=0)
    assert _issue(world, FIRST, "alice")["state"] == "closed"

    _sync_at(world, monkeypatch, days=20)
    sent = dict(_reminders(world))
    waiting = sent[f"{FIRST} — @bob"]
    assert waiting.startswith(
        "@field-enablement/assessors: @bob has ticked every learning objective"
    )
    assert "has waited 20 days for assessment" in waiting
    assert f"{FIRST} — @alice" not in sent  # awarded
    assert "no activity for 20 days" in sent[f"{SECOND} — @bob"]  # the course bob is on now
    assert "no activity for 20 days" in sent[f"{SECOND} — @alice"]


def test_dry_run_shows_reminders_and_sends_none(
    reminding: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = reminding
    world.sandbox.advance(days=15)
    monkeypatch.setenv("ACCRED_NOW", world.sandbox.now().isoformat())
    world.sandbox.reset_log()
    result = world.cli("sync", "--dry-run")
    assert result.exit_code == 0
    assert result.output.count("comment (remind the learner: this course has had no activity") == 3
    assert world.writes() == 0
