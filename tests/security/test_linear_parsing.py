"""Linear-time reading of every text a learner writes (findings 5 and 6 of the failures-and-
races pass): no reader holds a regular expression that can backtrack, every text is capped
before it is read, and the worst text at a reader's cap costs steps in proportion to its size
(counted as lines of accred-ops' own code run, never timed)."""

from __future__ import annotations

import pytest

from accred_ops.core import checklist, enrollment, feedback, marker, textscan
from benchmarks.caps import READERS, Reader, measure, risky_patterns


@pytest.mark.parametrize("module", [checklist, feedback, enrollment, marker, textscan], ids=str)
def test_no_reader_of_learner_text_holds_a_pattern_that_can_backtrack(module) -> None:
    """Main's checklist held `([*_`]+)(.+?)\\1` (cubic on `- [x] ****…a`) and `<!--.*?-->`;
    feedback and enrollment held `<!--.*?-->|^```.*?^```` (quadratic on many `<!--`); the
    markers, read from descriptions learners write, a repeat inside a repeat."""
    assert risky_patterns(module) == {}


@pytest.mark.parametrize("reader", READERS, ids=lambda r: r.name)
def test_the_worst_text_at_a_readers_cap_costs_steps_in_proportion_to_its_size(
    reader: Reader,
) -> None:
    assert risky_patterns(reader.module) == {}  # first: on a backtracking pattern this hangs
    found = measure(reader)
    # linear: twice the text, at most about twice the steps
    assert found["worst at cap"] <= 2.2 * found["worst at cap/2"] + 200
    # capped: four times the cap costs no more than a few steps per character of the cap
    assert found["worst at 4x cap"] <= 8 * reader.cap


def test_the_checklist_item_of_finding5_reads_as_one_unticked_objective() -> None:
    """`- [x] ****…a` (8,000 characters): main took 59 s for one sync; it is one item that
    matches no objective."""
    text = "- [ ] Explain the partner model\n- [x] " + "*" * 8000 + "a\n"
    found = checklist.ticked(["Explain the partner model"], checklist.parse_task_items(text))
    assert found == {"Explain the partner model": False}


def test_feedback_and_requests_past_their_caps_are_read_only_up_to_them() -> None:
    """A 160 kB feedback issue full of `<!--` (18 s a read on main): its rating is read from
    the capped text; a line past the cap is not read at all."""
    padding = "<!--" * (textscan.MAX_FEEDBACK_CHARS // 4)
    assert feedback.rating("Rating: 4\n" + padding * 8) == 4
    assert feedback.rating(padding + "\nRating: 4\n") is None
    request = "Program: sal\nPath: territory-and-pipeline\n"
    assert enrollment.requested(request + "<!--" * 40_000) == {
        "program": "sal",
        "path": "territory-and-pipeline",
    }
    assert enrollment.requested("x" * textscan.MAX_REQUEST_CHARS + "\n" + request) == {}
