"""A world on a pinned clock for badges that expire: the sandbox's clock is moved (never
slept) and the CLI is told the time with ACCRED_NOW."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.conftest import World, seed_with, world_on
from tests.e2e.test_sync import COURSES, _epic, _pass

START = datetime(2027, 1, 4, 10, 0, tzinfo=UTC)
CURRICULUM = "curriculum/strategic-account-leaders.yml"
TITLE = "title: Strategic Account Leader Field Accreditation\n"


@pytest.fixture
def timed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The usual world on a pinned clock, with `validity:` added to the program."""
    with world_on(seed_with("dana"), tmp_path, monkeypatch, clock=lambda: START) as made:
        made.monkeypatch = monkeypatch  # type: ignore[attr-defined]
        _pin(made)
        yield made


def _pin(world: World) -> None:
    world.monkeypatch.setenv("ACCRED_NOW", world.sandbox.now().isoformat())  # type: ignore[attr-defined]


def _validity(world: World, text: str) -> None:
    path = world.root / CURRICULUM
    path.write_text(path.read_text().replace(TITLE, TITLE + text))


def _later(world: World, days: float) -> None:
    world.sandbox.advance(days=days)
    _pin(world)


def _record(world: World, learner: str) -> dict:
    found = re.search(r"learner-record (\{.*?\}) -->", _epic(world, learner)["description"])
    assert found is not None
    return json.loads(found[1])


def _accredited(world: World, learner: str) -> None:
    for course in COURSES:
        _pass(world, course, learner)
    assert world.cli("sync").exit_code == 0
    assert world.cli("sync").exit_code == 0


ROLLING = "validity: {valid_for: 6 months, grace: 14 days, renew_before: 30 days}\n"


def _renewal(world: World, course: str, learner: str, cycle: str) -> dict:
    return world.sandbox.snapshot()["issues"][
        ("field-enablement/accreditation", f"{course} — @{learner} — renewal {cycle}")
    ]


def _renewals(world: World) -> list[str]:
    return sorted(t for (_, t) in world.sandbox.snapshot()["issues"] if " — renewal " in t)


def _renewal_iid(world: World, course: str, learner: str, cycle: str) -> int:
    title = f"{course} — @{learner} — renewal {cycle}"
    found = world.person(learner).project.issues.list(search=title, state="all", get_all=True)
    return next(int(i.iid) for i in found if i.title == title)


def _pass_renewal(world: World, course: str, learner: str, cycle: str) -> None:
    iid = _renewal_iid(world, course, learner, cycle)
    world.person(learner).tick(iid)
    world.person("sam").add_label(iid, "exam::passed")
