"""Attacks on the imported attempts the learner record lists (the import skips the comments of
attempts on record), each with the attacker's own token."""

from __future__ import annotations

import datetime as dt

import pytest

from accred_ops.core import record
from accred_ops.core.marker import make
from accred_ops.core.scores import ScoreRow
from tests.e2e import conftest as e2e
from tests.e2e.conftest import World
from tests.e2e.test_scores import scored
from tests.e2e.test_sync import FIRST, _enrolled, _epic, _issue

world = e2e.world  # the end-to-end fixture: the real CLI against the sandbox
C = "co-selling-with-partners"


@pytest.fixture(autouse=True)
def _scored(world: World) -> None:
    scored(world.root)  # the exams have a pass mark


def test_a_forged_score_comment_never_reaches_the_record(world: World) -> None:
    """Bob posts a score comment for an attempt he has not passed yet, and sets the verdict so
    the sync reads his issue's comments: the record does not list it, so importing the real
    (failing) attempt still posts it and fails him."""
    _enrolled(world)
    when = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
    row = ScoreRow("r.csv row 2", "bob", C, 40, 100, when, "b-1")
    bob = world.person("bob")
    iid = bob.find_issue(FIRST, "bob")
    forged = make("exam-score", course=C, key=row.key, attempt=1, outcome="passed", percent=100)
    bob.comment(iid, f"my score {forged}")
    bob.add_label(iid, "exam::passed")
    assert world.cli("sync").exit_code == 0
    on_record = record.parse(_epic(world, "bob")["description"])
    assert on_record is not None and not on_record.scored.get(C)

    (world.root / "r.csv").write_text(
        "username,course,score,max_score,taken_at,attempt_id\n"
        f"bob,{C},40,100,2026-12-02T10:00:00Z,b-1\n",
        encoding="utf-8",
    )
    world.sandbox.reset_log()
    assert world.cli("scores", "import", "r.csv").exit_code == 0
    assert world.writes() == 2  # the real attempt's comment and its verdict
    labels = _issue(world, FIRST, "bob")["labels"]
    assert "exam::failed" in labels and "exam::passed" not in labels
