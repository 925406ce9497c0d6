"""A rubric on the first course of the end-to-end world: two assessors, erin moderates."""

from __future__ import annotations

import re

from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _enrolled, _issue

RUBRIC = """rubrics:
  sales-call:
    criteria:
      - {id: discovery, title: Discovery questions}
      - {id: value, title: Value articulation}
      - {id: next-steps, title: Next steps}
    scale: {min: 1, max: 5, labels: {1: Basic, 3: Proficient, 5: Advanced}}
    pass: {each_at_least: 3, average_at_least: 3.5}
    assessors: 2
    max_spread: 2
    exclude_manager: true
"""
TALLY = "accred-ops:rubric-tally"
MODERATION = "accred-ops:rubric-moderation"
FORM_PROBLEM = "accred-ops:rubric-form"


def with_rubric(
    world: World,
    manager: str | None = None,
    assessors: str = "sam, dana",
    moderators: str = "erin",
    enroll: bool = True,
) -> World:
    """sam and dana assess, erin moderates; the first course's practical has the rubric."""
    config = world.root / "accred.yml"
    text = re.sub(
        r"assessors:\n(  \w+: .*\n)+",
        f"assessors:\n  usernames: [{assessors}]\n  moderators: [{moderators}]\n",
        config.read_text(),
        count=1,
    )
    config.write_text(text)
    if not enroll:  # only the people change
        return world
    (curriculum,) = (world.root / "curriculum").glob("*.yml")
    body = curriculum.read_text().replace("learning_paths:\n", RUBRIC + "learning_paths:\n", 1)
    body = body.replace(
        "        practical: true\n",
        "        practical: {instructions: Run a mock discovery call., rubric: sales-call}\n",
        1,
    )
    curriculum.write_text(body)
    if manager:
        cohort = world.root / "cohorts" / "q4.yml"
        cohort.write_text(
            cohort.read_text().replace(
                "  - alice\n", f"  - {{username: alice, manager: {manager}}}\n"
            )
        )
    if enroll:
        _enrolled(world)
    return world


def score(world: World, who: str, scores: tuple[int, int, int], remark: str = "") -> None:
    iid = world.person("alice").find_issue(FIRST, "alice")
    discovery, value, steps = scores
    body = f"value: {value}\nnext-steps: {steps}\ndiscovery: {discovery}\n{remark}"
    world.person(who).comment(iid, body)


def ready(world: World) -> int:
    """alice ticks every item and sam passes her exam; the sync routes the practical."""
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    alice.tick(iid)
    world.person("sam").add_label(iid, "exam::passed")
    sync(world)
    return iid


def sync(world: World) -> str:
    result = world.cli("sync")
    assert result.exit_code == 0, result.output
    return result.output


def notes(world: World, fragment: str) -> list[str]:
    return [n["body"] for n in _issue(world, FIRST, "alice")["notes"] if fragment in n["body"]]


def labels(world: World) -> list[str]:
    return list(_issue(world, FIRST, "alice")["labels"])
