"""Hidden markers: found again whatever humans do around them; the progress section alone rewritten."""

from __future__ import annotations

import pytest

from accred_ops.core import marker
from accred_ops.core.marker import EpicKey, IssueKey

KEY = IssueKey("alice", "sal", "territory-and-pipeline", "account-planning")


def test_issue_marker_round_trips_inside_human_text() -> None:
    text = f"Title edited\n\n- [x] thing\n{marker.issue_marker(KEY)}\nmore words"
    assert marker.issue_key(text) == KEY
    assert marker.epic_key(text) is None


def test_username_case_does_not_change_identity() -> None:
    text = marker.issue_marker(IssueKey("Alice", "sal", "p", "c"))
    assert marker.issue_key(text) == IssueKey("alice", "sal", "p", "c")


def test_missing_or_mangled_marker_is_none() -> None:
    assert marker.issue_key("<!-- accred-ops:issue learner=alice -->") is None
    assert marker.epic_key(None) is None


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            f"Intro\n{marker.PROGRESS_START}\nold\n{marker.PROGRESS_END}\nOutro — kept\n",
            f"Intro\n{marker.PROGRESS_START}\nnew\n{marker.PROGRESS_END}\nOutro — kept\n",
        ),
        ("Human only\n", f"Human only\n\n{marker.PROGRESS_START}\nnew\n{marker.PROGRESS_END}\n"),
    ],
    ids=["rewrites-between-markers", "appends-when-markers-deleted"],
)
def test_replace_section(before: str, after: str) -> None:
    assert marker.replace_section(before, "new") == after


def test_note_marker_fields_and_last() -> None:
    body = f"Well done\n{marker.make('award', course='x')}\n"
    assert marker.find(body, "award") == [{"course": "x"}]
    assert marker.last(body) == "<!-- accred-ops:award course=x -->"
    assert EpicKey("a", "b", "c") == KEY.epic.__class__("a", "b", "c")
