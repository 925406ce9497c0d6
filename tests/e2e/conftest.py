"""End-to-end fixtures: the real CLI and python-gitlab over HTTP against the sandbox."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from accred_ops.app.demo import PROJECT, SEED, write_workspace
from accred_ops.cli import main
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.people import Person
from tests.conftest import copy_program, practical_after_exam

LEARNERS = ("alice", "bob", "carol")


@dataclass
class World:
    sandbox: Sandbox
    root: Path

    def cli(self, *args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    def person(self, username: str) -> Person:
        return Person(self.sandbox.url, self.sandbox.token_for(username), PROJECT)

    def writes(self) -> int:
        return len(self.sandbox.writes())

    def issues(self) -> list[dict]:
        return [i for i in self.sandbox.snapshot()["issues"].values()]


def seed_with(*extra_users: str) -> dict:
    """The demo's world plus `extra_users`, and erin, a Reporter of the group (enablement team)."""
    seed = copy.deepcopy(SEED)
    seed["users"] += [{"username": u, "token": f"{u}-token"} for u in (*extra_users, "erin")]
    seed["groups"][0]["members"].append({"username": "erin", "access_level": 20})
    return seed


@contextlib.contextmanager
def world_on(
    seed: dict,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clock: Callable[[], datetime] | None = None,
) -> Iterator[World]:
    """The end-to-end world on this seed: cohort q4 of LEARNERS, the CLI pointed at it."""
    with Sandbox(seed, clock=clock) as sandbox:
        copy_program(tmp_path)
        (tmp_path / "cohorts" / "example.yml").unlink()
        (tmp_path / "cohorts" / "self-paced.yml").unlink()  # test_self_enrollment opens one
        # One learner at a time: fault tests compare whole worlds, iids (and links) included.
        # Every sync a full pass: these tests are about what a sync does to the learners it
        # reads; test_incremental.py is about which learners a sync reads.
        write_workspace(
            tmp_path, None, LEARNERS, cohort="q4", concurrency=1, full_sync_every_hours=0
        )
        practical_after_exam(tmp_path, False)  # the shipped curriculum copied again: as above
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("GITLAB_URL", sandbox.url)
        monkeypatch.setenv("GITLAB_TOKEN", sandbox.token_for("accred-bot"))
        monkeypatch.setenv("ACCRED_MAX_RETRIES", "2")
        yield World(sandbox, tmp_path)


def free_seed() -> dict:
    """The usual seed on a GitLab Free group: no epics (learner issues), one assignee per issue."""
    seed = copy.deepcopy(seed_with("dana"))
    seed["groups"][0]["tier"] = "free"
    return seed


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    seed = seed_with("dana")
    # dana may be enrolled later: a Guest of the project, the least a learner needs
    seed["projects"][0]["members"].append({"username": "dana", "access_level": 10})
    with world_on(seed, tmp_path, monkeypatch) as made:
        yield made


def survives_a_kill_at_every_write(
    world: World, sync: Callable[[World], object], killed: tuple[str, ...] = ("sync",)
) -> int:
    """Run `sync` once from the current state; then again from that same state, with the
    command `killed` (`sync` unless said) killed at each of its writes (applied or not) and
    followed by a clean `sync`: every world must be the one the clean run left. Returns the
    clean run's writes, for the caller's own bound."""
    world.sandbox.reset_log()
    state = world.sandbox.save()
    sync(world)
    expected = world.sandbox.snapshot()
    writes = world.writes()
    for k in range(1, writes + 1):
        for applied in (True, False):
            world.sandbox.restore(state)
            world.sandbox.faults.crash_at_write(k, applied=applied)
            world.cli(*killed)
            world.sandbox.faults.clear()
            sync(world)
            assert world.sandbox.snapshot() == expected, f"write {k}, applied={applied}"
    return writes
