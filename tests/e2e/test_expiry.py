"""Badges that expire, end to end: the sandbox's clock is moved (never slept) and the CLI is
told the time with ACCRED_NOW; the learner record decides, labels only show it."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.e2e.conftest import World, seed_with, world_on
from tests.e2e.test_sync import COURSES, FIRST, _enrolled, _epic, _issue, _pass

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


def test_a_badge_expires_on_schedule_and_the_path_lapses(timed: World) -> None:
    _validity(timed, "validity: {valid_for: 6 months, grace: 14 days}\n")
    _enrolled(timed)
    _accredited(timed, "alice")
    assert _record(timed, "alice")["awarded_on"]["co-selling-with-partners"] == ["2027-01-04"]
    assert "accreditation::accredited" in _epic(timed, "alice")["labels"]
    # due 2027-07-04, valid through the grace: 2027-07-18
    _later(timed, 195)  # 2027-07-18: its last valid day
    assert timed.cli("sync").exit_code == 0
    assert "accreditation::badge-awarded" in _issue(timed, FIRST, "alice")["labels"]
    _later(timed, 1)  # 2027-07-19: expired
    assert timed.cli("sync").exit_code == 0
    issue = _issue(timed, FIRST, "alice")
    assert "accreditation::expired" in issue["labels"]
    assert "accreditation::badge-awarded" not in issue["labels"]
    assert issue["state"] == "closed"  # the old issue stays as it was: the history
    epic = _epic(timed, "alice")
    assert "accreditation::expired" in epic["labels"]
    assert "accreditation::accredited" not in epic["labels"]
    assert epic["state"] == "opened"
    # the award itself stays on record; revocation is another thing
    assert "co-selling-with-partners" in _record(timed, "alice")["awards"]
    assert _record(timed, "alice")["revoked"] == []


def test_a_program_without_validity_never_expires(timed: World) -> None:
    _enrolled(timed)
    _accredited(timed, "alice")
    assert "awarded_on" not in _record(timed, "alice")
    _later(timed, 3 * 365)
    timed.sandbox.reset_log()
    assert timed.cli("sync").exit_code == 0
    assert timed.writes() == 0
    assert "accreditation::accredited" in _epic(timed, "alice")["labels"]
