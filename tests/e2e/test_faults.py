"""Random schedules of 429s, 5xx and dropped connections: the re-run always ends where an
uninterrupted run ends, with no duplicate. ACCRED_FAULT_RUNS=500 runs more schedules locally."""

from __future__ import annotations

import difflib
import os
import random
import re
from typing import Any

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _pass

RUNS = int(os.environ.get("ACCRED_FAULT_RUNS", "12"))


def normalized(snapshot: dict[str, Any]) -> dict[str, str]:
    """Issue numbers depend on the order of creation, which a failure may change: mask them.
    One entry per object, so a failure names what differs."""
    return {
        f"{kind} {key}": re.sub(r"/-/issues/\d+", "/-/issues/N", repr(value))
        for kind in ("issues", "epics")
        for key, value in snapshot[kind].items()
    } | {kind: repr(snapshot[kind]) for kind in snapshot if kind not in ("issues", "epics")}


def _schedule(world: World, rng: random.Random) -> list[str]:
    faults = world.sandbox.faults
    story = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["429", "5xx", "drop"])
        if kind == "429":
            n = rng.randint(1, 3)
            faults.fail(429, times=n, after=rng.randint(0, 30), retry_after=0)
        elif kind == "5xx":
            n, status = rng.randint(1, 3), rng.choice([500, 502, 503, 504])
            faults.fail(status, times=n, after=rng.randint(0, 30), retry_after=0)
        else:
            n, status = rng.randint(1, 25), rng.random() < 0.5
            faults.drop(nth_write=n, applied=status)
        story.append(f"{kind}({n})")
    return story


@pytest.mark.parametrize("seed", range(RUNS))
def test_random_faults_then_a_rerun_end_like_an_uninterrupted_run(world: World, seed: int) -> None:
    world.cli("setup")
    start = world.sandbox.save()
    world.cli("enroll")
    _pass(world, FIRST, "alice")
    world.cli("sync")
    expected = normalized(world.sandbox.snapshot())

    world.sandbox.restore(start)
    story = _schedule(world, random.Random(seed))
    world.cli("enroll")
    world.sandbox.faults.clear()
    world.cli("enroll")
    _pass(world, FIRST, "alice")
    story += _schedule(world, random.Random(seed + 10_000))
    world.cli("sync")
    world.sandbox.faults.clear()
    assert world.cli("sync").exit_code == 0
    got = normalized(world.sandbox.snapshot())
    differ = sorted(k for k in expected.keys() | got.keys() if expected.get(k) != got.get(k))
    for key in differ[:2]:
        diff = difflib.ndiff([expected.get(key, "-")], [got.get(key, "-")])
        print(key, "\n".join(line[:3000] for line in diff))
    assert not differ, story
