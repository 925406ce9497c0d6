"""Course feedback, pure: the two lines read, the course matched, the link, the counts."""

from __future__ import annotations

import pytest

from accred_ops.core.feedback import (
    course_line,
    feedback_counts,
    feedback_url,
    match_course,
    rating,
)
from accred_ops.core.model import Course, Labels, LearningPath, Program
from accred_ops.core.state import Issue

PLANNING = Course("account-planning", "Account Planning", ("Plan",))
PROGRAM = Program("sal", "SAL", (LearningPath("p", "Path", (PLANNING,)),))
LABELS = Labels()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Rating: 4", 4),
        ("rating:5/5", 5),
        ("**Rating:** 3 / 5", 3),
        ("Rating: <1-5>", None),
        ("Rating: 6", None),
        ("Rating: 4 stars", None),
        ("<!-- Rating: 2 -->", None),
        ("```\nRating: 2\n```", None),
    ],
)
def test_rating_is_a_whole_number_from_1_to_5_or_nothing(text: str, value: int | None) -> None:
    assert rating(text) == value


@pytest.mark.parametrize("line", ["account-planning", "Account  planning", "`ACCOUNT-PLANNING`"])
def test_a_course_is_named_by_its_id_or_title(line: str) -> None:
    assert match_course(course_line(f"Course: {line}\nRating: 4"), [PROGRAM]) == (PROGRAM, PLANNING)


def test_a_placeholder_or_unknown_course_names_nothing() -> None:
    assert match_course(course_line("Course: <course id or title>"), [PROGRAM]) is None
    assert match_course(course_line("no such line"), [PROGRAM]) is None


def test_the_link_encodes_what_would_break_it() -> None:
    assert feedback_url("https://g.example.com/fe/acc/", "Q&A (part 1)#2") == (
        "https://g.example.com/fe/acc/-/issues/new?issuable_template=Course%20feedback"
        "&issue[title]=Feedback:%20Q%26A%20%28part%201%29%232"
    )


def _issue(iid: int, state: str, labels: tuple[str, ...], text: str, author: str = "") -> Issue:
    author = author or f"learner{iid}"
    return Issue(
        iid, iid, "Feedback", text, labels, state, f"https://g/-/issues/{iid}", author=author
    )


def test_counts_per_course_with_the_average_of_the_ratings_given() -> None:
    filed = (LABELS.feedback, "course::account-planning", "program::sal")
    issues = [
        _issue(1, "opened", filed, "Rating: 4"),
        _issue(2, "closed", filed, "Rating: 5"),
        _issue(3, "opened", filed, "no rating"),
        _issue(4, "opened", (LABELS.feedback,), "Course: account-planning\nRating: 1"),  # untriaged
    ]
    (found,) = feedback_counts([PROGRAM], issues, LABELS)
    assert (found.issues, found.open, found.closed, found.ratings) == (3, 2, 1, 2)
    assert found.average_rating == 4.5
    assert found.open_issues == ((1, "https://g/-/issues/1"), (3, "https://g/-/issues/3"))
    (empty,) = feedback_counts([PROGRAM], [], LABELS)
    assert empty.average_rating is None and empty.issues == 0


def test_one_person_is_one_rating_per_course_their_latest() -> None:
    filed = (LABELS.feedback, "course::account-planning", "program::sal")
    issues = [
        _issue(1, "opened", filed, "Rating: 5", author="carol"),
        *(_issue(n, "opened", filed, "Rating: 1", author="bob") for n in range(2, 7)),
        _issue(7, "opened", filed, "Rating: 3", author="Bob"),
    ]
    (found,) = feedback_counts([PROGRAM], issues, LABELS)
    assert (found.issues, found.ratings, found.average_rating) == (7, 2, 4.0)
