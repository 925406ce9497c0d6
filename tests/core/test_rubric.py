"""The rubric's arithmetic and the reading of scoring comments (pure)."""

from __future__ import annotations

import dataclasses

import pytest

from accred_ops.core.rubric import (
    Criterion,
    Rubric,
    decode,
    disagreement,
    encode,
    passes,
    unmeetable,
)
from accred_ops.core.scoring import MAX_CHARS, read_form

RUBRIC = Rubric(
    "sales-call",
    (
        Criterion("discovery", "Discovery"),
        Criterion("value", "Value"),
        Criterion("next-steps", "Next"),
    ),
    1,
    5,
    ((1, "Basic"), (3, "Proficient"), (5, "Advanced")),
    each_at_least=3,
    average_at_least=3.5,
    assessors=2,
    max_spread=2,
)


def test_pass_rule_needs_each_criterion_and_the_average() -> None:
    assert passes(RUBRIC, {"discovery": 4, "value": 4, "next-steps": 3})
    assert not passes(RUBRIC, {"discovery": 5, "value": 5, "next-steps": 2})  # one below 3
    assert not passes(RUBRIC, {"discovery": 3, "value": 3, "next-steps": 4})  # average 3.33


def test_a_rule_no_score_can_meet_is_named() -> None:
    import dataclasses

    assert unmeetable(RUBRIC) is None
    too_high = dataclasses.replace(RUBRIC, average_at_least=5.5)
    assert "no score can pass" in (unmeetable(too_high) or "")
    assert unmeetable(dataclasses.replace(RUBRIC, each_at_least=6)) is not None


def test_disagreement_is_a_pass_fail_split_or_a_wide_spread() -> None:
    good = {"discovery": 4, "value": 4, "next-steps": 4}
    assert disagreement(RUBRIC, [good, {"discovery": 5, "value": 4, "next-steps": 3}]) is None
    split = disagreement(RUBRIC, [good, {"discovery": 2, "value": 4, "next-steps": 4}])
    assert split and "pass" in split
    wide = disagreement(
        RUBRIC, [{**good, "value": 2, "discovery": 5, "next-steps": 5}, {**good, "value": 5}]
    )
    assert wide is not None


def test_levels_name_rounded_scores() -> None:
    assert RUBRIC.level(4.5) == "Advanced"
    assert RUBRIC.level(3.4) == "Proficient"
    assert RUBRIC.level(2) == "2"


def test_a_result_between_named_levels_reads_with_their_names() -> None:
    assert RUBRIC.level_words(4.5) == "Advanced"  # rounds to a named level: its name
    assert RUBRIC.level_words(3) == "Proficient"
    assert RUBRIC.level_words(2) == "between Basic and Proficient"
    assert RUBRIC.level_words(3.75) == "between Proficient and Advanced"
    upper = dataclasses.replace(RUBRIC, levels=((3, "Proficient"),))
    assert (upper.level_words(1.2), upper.level_words(4)) == (
        "below Proficient",
        "above Proficient",
    )
    assert dataclasses.replace(RUBRIC, levels=()).level_words(3.6) == "4"  # no names at all


def test_scores_survive_the_marker() -> None:
    scores = {"discovery": 4.5, "value": 3.0, "next-steps": 4.0}
    assert decode(encode(scores)) == scores


def test_a_whole_form_in_any_order_with_free_text_after() -> None:
    form = read_form("next-steps: 3\nDISCOVERY: 4\nvalue: 5\n\nGreat call, see notes.", RUBRIC)
    assert form is not None and form.valid
    assert form.scores == {"next-steps": 3, "discovery": 4, "value": 5}


def test_a_form_copied_with_its_code_fence_is_read() -> None:
    form = read_form("```\ndiscovery: 4\nvalue: 4\nnext-steps: 4\n```", RUBRIC)
    assert form is not None and form.valid


def test_an_ordinary_comment_is_no_form() -> None:
    assert read_form("Note: please redo the plan.\ndiscovery: 4", RUBRIC) is None
    assert read_form("Looks good to me!", RUBRIC) is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("discovery: 4\nvalue: 4\nnext-steps: 6", "'next-steps: 6': the score must be from 1 to 5"),
        ("discovery: 4\nvalue: 4", "'next-steps' has no score"),
        ("discovery: 4\nvalue: 4\nnext-steps: 4\ntone: 3", "'tone' is not a criterion"),
        ("discovery: 4\ndiscovery: 5\nvalue: 4\nnext-steps: 4", "'discovery' is scored twice"),
        ("discovery: four\nvalue: 4\nnext-steps: 4", "the score must be a whole number"),
        ("discovery: 3.5\nvalue: 4\nnext-steps: 4", "the score must be a whole number"),
    ],
)
def test_a_broken_form_says_what_to_fix(body: str, problem: str) -> None:
    form = read_form(body, RUBRIC)
    assert form is not None and not form.valid
    assert any(problem in found for found in form.problems), form.problems


def test_reading_is_bounded_whatever_the_comment_holds() -> None:
    hostile = ("discovery: 4" + " " * 50_000 + "x\n") * 200 + ":" * 1_000_000
    form = read_form(hostile, RUBRIC)  # only the first MAX_CHARS characters are read
    assert form is not None and "'value' has no score" in form.problems
    assert len(hostile) > 100 * MAX_CHARS
    past_the_cap = "x" * MAX_CHARS + "\ndiscovery: 4\nvalue: 4\nnext-steps: 4"
    assert read_form(past_the_cap, RUBRIC) is None
