"""A new token for the tool (a new bot user): the program is neither invisible nor duplicated.

Enroll and award with one tool user, switch to a second bot user, then sync, report, status,
export and revoke: without `gitlab.previous_tool_users` every command stops (exit 2, nothing
written) naming both users; with it, nothing is duplicated and nothing lost.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def _awarded_by_old_bot(
    tier: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """The world on `tier` (epic or issue) with a second bot user, NEW: alice awarded every
    course and bob the first, all by accred-bot."""
    seed = _with_new_bot(free_seed() if tier == "issue" else seed_with("dana"))
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
        yield world


@pytest.fixture(params=["epic", "issue"])
def handed_over(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """alice awarded every course, bob one, by accred-bot; then the token is NEW's."""
    with _awarded_by_old_bot(request.param, tmp_path, monkeypatch) as world:
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


def _tool_comments(world: World) -> dict[str, int]:
    """How many award and path-award comments the whole world holds."""
    snapshot = world.sandbox.snapshot()
    notes = [
        n["body"]
        for kind in ("issues", "epics")
        for o in snapshot[kind].values()
        for n in o["notes"]
    ]
    return {
        kind: sum(f"accred-ops:{kind} " in b for b in notes) for kind in ("award", "path-award")
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


@pytest.mark.parametrize("tier", ["epic", "issue"])
def test_sealed_records_survive_the_old_bot_user_being_deleted(
    tier: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Revoking the old token deleted its bot user: GitLab shows everything it wrote as the
    Ghost User's. With ACCRED_RECORD_KEY the records are sealed, and the new user carries on:
    nothing duplicated, every award still reported and exported."""
    monkeypatch.setenv("ACCRED_RECORD_KEY", "a-long-random-secret-from-a-masked-ci-variable")
    with _awarded_by_old_bot(tier, tmp_path, monkeypatch) as world:
        before = _objects(world)
        world.sandbox.world.delete_user("accred-bot")
        monkeypatch.setenv("GITLAB_TOKEN", world.sandbox.token_for(NEW))

        comments = _tool_comments(world)
        assert comments == {"award": len(COURSES) + 1, "path-award": 1}
        synced = world.cli("sync")
        assert synced.exit_code == 0, synced.output
        assert _objects(world) == before  # nobody enrolled again
        assert _tool_comments(world) == comments  # no award or path badge announced again
        assert _awarded(world) == {"alice": len(COURSES), "bob": 1, "carol": 0}
        status = world.cli("status", "alice")
        assert status.exit_code == 0 and status.output.count("awarded") >= len(COURSES)
        exported = _export(world, tmp_path / "out")
        assert exported.exit_code == 0, exported.output
        assert len(list((tmp_path / "out" / "assertions").glob("*.json"))) == len(COURSES) + 2
        _pass(world, COURSES[1], "bob")
        assert world.cli("sync").exit_code == 0
        revoked = world.cli("revoke", "bob", "co-selling-with-partners", "--reason", "copied")
        assert revoked.exit_code == 0, revoked.output
        assert _objects(world) == before
        assert _awarded(world, "revoked") == {"alice": 0, "bob": 1, "carol": 0}
        world.sandbox.reset_log()
        assert world.cli("sync").exit_code == 0 and world.writes() == 0  # settled


@pytest.mark.parametrize("tier", ["epic", "issue"])
def test_records_written_before_the_key_are_sealed_on_the_next_full_pass(
    tier: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed = _with_new_bot(free_seed() if tier == "issue" else seed_with("dana"))
    with world_on(seed, tmp_path, monkeypatch) as world:
        assert world.cli("setup").exit_code == 0
        assert world.cli("enroll").exit_code == 0
        _pass(world, FIRST, "alice")
        assert world.cli("sync").exit_code == 0
        before = _objects(world)
        secret = "another-long-random-secret-value"
        monkeypatch.setenv("ACCRED_RECORD_KEY", secret)
        world.sandbox.reset_log()
        sealed = world.cli("sync")
        assert sealed.exit_code == 0 and secret not in sealed.output
        assert world.writes() == 3  # each learner's record, once
        world.sandbox.reset_log()
        assert world.cli("sync").exit_code == 0 and world.writes() == 0
        world.sandbox.world.delete_user("accred-bot")
        monkeypatch.setenv("GITLAB_TOKEN", world.sandbox.token_for(NEW))
        assert world.cli("sync").exit_code == 0
        assert _objects(world) == before
        assert _awarded(world) == {"alice": 1, "bob": 0, "carol": 0}
