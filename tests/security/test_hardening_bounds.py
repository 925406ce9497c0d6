"""Row 12: one learner's description cannot make everyone's sync slow.

Work is bounded by counting, never by timing: the characters read, the items read and the
typo-tolerant comparisons made (benchmarks/nearmiss.py has the seconds, docs/benchmarks.md the
numbers).
"""

from __future__ import annotations

import difflib

import pytest

from accred_ops.core import checklist
from accred_ops.core.checklist import parse_task_items, ticked
from benchmarks.nearmiss import near_miss_description
from tests.e2e.conftest import World
from tests.e2e.conftest import world as world  # the e2e world fixture, shared
from tests.e2e.test_sync import FIRST, _enrolled, _issue

OBJECTIVES = (
    "The different types of partners GitLab works with",
    "Key elements of both the Channel and Alliances programs",
    "How to engage partners in an opportunity",
)


@pytest.fixture
def ratios(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many similarity ratios the matcher computes."""
    count = [0]

    class Counting(difflib.SequenceMatcher):  # type: ignore[type-arg]
        def ratio(self) -> float:
            count[0] += 1
            return super().ratio()

    monkeypatch.setattr(checklist.difflib, "SequenceMatcher", Counting)
    return count


def test_row12_a_megabyte_of_near_misses_costs_a_bounded_number_of_comparisons(
    ratios: list[int],
) -> None:
    description = near_miss_description(OBJECTIVES, 1_048_576)
    items = parse_task_items(description)
    assert len(items) == checklist.MAX_ITEMS  # not the 16,000 the megabyte holds
    assert ticked(OBJECTIVES, items) == dict.fromkeys(OBJECTIVES, False)
    assert 0 < ratios[0] <= checklist.MAX_FUZZY_RATIOS


def test_only_the_capped_head_of_a_description_is_read() -> None:
    head = "- [x] The different types of partners GitLab works with\n"
    filler = "x" * checklist.MAX_DESCRIPTION_CHARS
    assert [i.checked for i in parse_task_items(head + filler)] == [True]
    assert parse_task_items(filler + "\n" + head) == []


def test_items_too_long_or_too_short_to_be_similar_are_never_compared(
    ratios: list[int],
) -> None:
    items = parse_task_items("- [x] " + "partners " * 5_000 + "\n- [x] GitLab\n")
    assert ticked(OBJECTIVES, items) == dict.fromkeys(OBJECTIVES, False)
    assert ratios[0] == 0


def test_a_fixed_typo_still_counts_under_the_caps(ratios: list[int]) -> None:
    items = parse_task_items("- [x] The diferent types of partners GitLab works with\n")
    assert ticked(OBJECTIVES[:1], items) == {OBJECTIVES[0]: True}


def test_row12_sync_survives_two_megabyte_descriptions_and_still_reads_real_ticks(
    world: World, ratios: list[int]
) -> None:
    _enrolled(world)
    for learner in ("alice", "bob"):
        person = world.person(learner)
        issue = person.project.issues.get(person.find_issue(FIRST, learner))
        head = "- [x] " + OBJECTIVES[0] + "\n\n" + issue.description + "\n"
        # as much as GitLab takes (it refuses a description over 1,048,576 characters)
        noise = near_miss_description(OBJECTIVES, 1_048_576 - len(head) - 200)
        issue.description = head + noise
        issue.save()
    assert world.cli("sync", "--full").exit_code == 0
    for learner in ("alice", "bob"):
        assert "accreditation::in-progress" in _issue(world, FIRST, learner)["labels"]
    # two issues with noise: each within its own budget (the other learners compare nothing)
    assert ratios[0] <= 2 * checklist.MAX_FUZZY_RATIOS
