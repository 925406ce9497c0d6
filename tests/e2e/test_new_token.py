"""A new token for the tool (a new bot user): the program is neither invisible nor duplicated.

Enroll and award with one tool user, switch to a second bot user, then sync, report, status,
export and revoke: without `gitlab.previous_tool_users` every command stops (exit 2, nothing
written) naming both users; with it, nothing is duplicated and nothing lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import World, free_seed, seed_with, world_on
from tests.e2e.test_badges_export import KEY
from tests.e2e.test_sync import COURSES, FIRST, _pass

NEW = "group_7_bot_new"
ISSUER = (
    "badges:\n  issuer: {name: Field Enablement, url: https://example.com, email: e@example.com}\n"
)


def _with_new_bot(seed: dict) -> dict:
    seed["users"].append({"username": NEW, "token": f"{NEW}-token", "bot": True})
    seed["groups"][0]["members"].append({"username": NEW, "access_level": 50})
    return seed


@pytest.fixture(params=["epic", "issue"])
def handed_over(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """alice awarded every course, bob one, by accred-bot; then the token is NEW's."""
    seed = _with_new_bot(free_seed() if request.param == "issue" else seed_with("dana"))
    with world_on(seed, tmp_path, monkeypatch) as world:
        config = world.root / "accred.yml"
        config.write_text(config.read_text() + ISSUER)
        monkeypatch.setenv("ACCRED_BADGE_KEY", KEY)
        assert world.cli("setup").exit_code == 0
        assert world.cli("enroll").exit_code == 0
        for course in COURSES:
            _pass(world, course, "alice")
        _pass(world, FIRST, "bob")
        assert world.cli("sync").exit_code == 0
        monkeypatch.setenv("GITLAB_TOKEN", world.sandbox.token_for(NEW))
        world.sandbox.reset_log()
        yield world


def _carry_forward(world: World, *names: str) -> None:
    config = world.root / "accred.yml"
    listed = ", ".join(names)
    config.write_text(
        config.read_text().replace("gitlab:\n", f"gitlab:\n  previous_tool_users: [{listed}]\n")
    )


def _objects(world: World) -> tuple[int, int]:
    snapshot = world.sandbox.snapshot()
    return len(snapshot["epics"]), len(snapshot["issues"])


def _awarded(world: World, stage: str = "badge-awarded") -> dict[str, int]:
    """Courses at `stage` per learner, as `report --format json` shows them."""
    report = world.cli("report", "--format", "json")
    assert report.exit_code == 0, report.output
    return {
        lr["username"]: sum(c["stage"] == stage for c in lr["courses"])
        for lr in json.loads(report.output)["learners"]
    }


def _export(world: World, out: Path):  # type: ignore[no-untyped-def]
    return world.cli("badges", "export", "--out", str(out), "--base-url", "https://x.example/b")


def test_every_command_stops_naming_both_users_before_any_write(
    handed_over: World, tmp_path: Path
) -> None:
    world = handed_over
    before = _objects(world)
    runs = {
        "sync --dry-run": world.cli("sync", "--dry-run"),
        "sync": world.cli("sync"),
        "enroll": world.cli("enroll"),
        "report": world.cli("report"),
        "status": world.cli("status", "carol"),
        "export": _export(world, tmp_path / "out"),
    }
    for name, result in runs.items():
        assert result.exit_code == 2, (name, result.output)
        assert "'accred-bot'" in result.output and f"'{NEW}'" in result.output, name
        assert "previous_tool_users: [accred-bot]" in result.output, name
        assert "rotate" in result.output, name
    assert world.writes() == 0
    assert _objects(world) == before
    assert not (tmp_path / "out").exists()


def test_carried_forward_nothing_is_duplicated_nor_lost(handed_over: World, tmp_path: Path) -> None:
    world = handed_over
    before = _objects(world)
    _carry_forward(world, "accred-bot")

    synced = world.cli("sync")
    assert synced.exit_code == 0, synced.output
    assert "earlier tool user(s) accred-bot count as this token's user" in synced.output
    assert world.writes() == 0  # nothing to do: everything is as the old user left it
    assert _objects(world) == before

    assert _awarded(world) == {"alice": len(COURSES), "bob": 1, "carol": 0}
    status = world.cli("status", "alice")
    assert status.exit_code == 0 and status.output.count("awarded") >= len(COURSES)
    exported = _export(world, tmp_path / "out")
    assert exported.exit_code == 0, exported.output
    assertions = list((tmp_path / "out" / "assertions").glob("*.json"))
    assert len(assertions) == len(COURSES) + 2  # every award, and alice's path badge

    # The new user carries on: a new award, and a revocation of an old one.
    _pass(world, COURSES[1], "bob")
    synced = world.cli("sync")
    assert synced.exit_code == 0, synced.output
    revoked = world.cli("revoke", "bob", "co-selling-with-partners", "--reason", "copied")
    assert revoked.exit_code == 0, revoked.output
    assert _objects(world) == before
    assert _awarded(world) == {"alice": len(COURSES), "bob": 1, "carol": 0}
    assert _awarded(world, "revoked") == {"alice": 0, "bob": 1, "carol": 0}
