"""Course feedback on the board: the prefilled link, triage of feedback issues, and counts. Pure.

A learner opens an issue from the "Course feedback" template; its quick action applies the
board's scope label and the feedback label. `sync` reads only two lines of it, `Course:` and
`Rating:`, and only to match them against the curriculum's ids and titles and the numbers 1-5:
nothing the author wrote is ever copied into a label, a reply or a report.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote

from accred_ops.core import marker
from accred_ops.core.model import Course, Labels, Program
from accred_ops.core.plan import Change, CommentOnIssue, UpdateIssue
from accred_ops.core.state import Issue, Note
from accred_ops.core.textscan import MAX_FEEDBACK_CHARS, cap, without_hidden
from accred_ops.core.tooluser import tools_own

TEMPLATE_NAME = "Course feedback"
_COURSE = re.compile(r"^[ \t>*_-]*course[ \t*_]*:[ \t*_]*(?P<value>[^\n]*)$", re.I | re.M)
_RATING = re.compile(r"^[ \t>*_-]*rating[ \t*_]*:[ \t*_]*(?P<value>[^\n]*)$", re.I | re.M)
UNKNOWN_KIND = "feedback-unknown-course"


def feedback_url(project_url: str, course_title: str) -> str:
    """`<project>/-/issues/new?issuable_template=Course%20feedback&issue[title]=Feedback:%20…`,
    every character of the title that could end the URL or the Markdown link percent-encoded.
    (GitLab docs: "Prefill issue fields with URL parameters".)"""
    title = quote(f"Feedback: {course_title}", safe=":")
    return (
        f"{project_url.rstrip('/')}/-/issues/new?issuable_template="
        f"{quote(TEMPLATE_NAME, safe='')}&issue[title]={title}"
    )


def _visible(description: str) -> str:
    """The text a reader sees (no HTML comments, no ``` code blocks), of the first
    MAX_FEEDBACK_CHARS characters only: linear time, whatever the author wrote."""
    return without_hidden(cap(description, MAX_FEEDBACK_CHARS), "`", 3)


def course_line(description: str) -> str | None:
    found = _COURSE.search(_visible(description))
    return found["value"].strip() if found else None


def rating(description: str) -> int | None:
    """`Rating: 4` (or `4/5`, `4 / 5`): a whole number from 1 to 5; anything else is no rating."""
    found = _RATING.search(_visible(description))
    if not found:
        return None
    value = re.fullmatch(r"([1-5])\s*(?:/\s*5)?\.?", found["value"].strip())
    return int(value[1]) if value else None


def _key(text: str) -> str:
    return " ".join(text.replace("`", "").split()).casefold()


def match_course(text: str | None, programs: Iterable[Program]) -> tuple[Program, Course] | None:
    """The course a `Course:` line names, by id or by title (case and spacing ignored)."""
    if not text:
        return None
    wanted = _key(text)
    for program in sorted(programs, key=lambda p: p.id):
        for course in program.courses():
            if wanted in (_key(course.id), _key(course.title)):
                return program, course
    return None


class FeedbackTexts(Protocol):
    def feedback_reply(self, author: str, programs: Sequence[Program], note_marker: str) -> str: ...


def is_triaged(issue: Issue, labels: Labels) -> bool:
    return any(label.startswith(labels.course_prefix) for label in issue.labels)


def plan_feedback(
    issue: Issue,
    programs: Sequence[Program],
    labels: Labels,
    notes: Sequence[Note] | None,
    bot: str,
    texts: FeedbackTexts,
) -> list[Change]:
    """Triage one open feedback issue, once: the course and program labels when its `Course:`
    line names a known course; else one reply listing the course ids. `notes` are needed only
    for the reply (None: not read, because the course is known)."""
    if is_triaged(issue, labels):
        return []
    found = match_course(course_line(issue.description), programs)
    if found is not None:
        program, course = found
        add = tuple(
            label
            for label in (labels.course(course.id), labels.program(program.id))
            if label not in issue.labels
        )
        return [UpdateIssue(issue.iid, add, (), None, f"feedback on course {course.id}")]
    replied = any(
        tools_own(note.author, bot) and marker.find(note.body, UNKNOWN_KIND) for note in notes or ()
    )
    if replied:
        return []
    body = texts.feedback_reply(issue.author, programs, marker.make(UNKNOWN_KIND))
    return [CommentOnIssue(issue.iid, body, "feedback names no known course")]


def needs_notes(issue: Issue, programs: Sequence[Program], labels: Labels) -> bool:
    return not is_triaged(issue, labels) and (
        match_course(course_line(issue.description), programs) is None
    )


@dataclass(frozen=True)
class CourseFeedback:
    """Feedback on one course, as the report shows it."""

    program: str
    course: str
    title: str
    issues: int
    open: int
    closed: int
    ratings: int
    average_rating: float | None  # one decimal; None without ratings
    open_issues: tuple[tuple[int, str], ...]  # (iid, url) of the open ones, oldest first


def feedback_counts(
    programs: Sequence[Program], issues: Iterable[Issue], labels: Labels
) -> tuple[CourseFeedback, ...]:
    """Per course of `programs` (in curriculum order), the feedback issues labelled with it."""
    by_course: dict[tuple[str, str], list[Issue]] = {}
    for issue in sorted(issues, key=lambda i: i.iid):
        if labels.feedback not in issue.labels:
            continue
        names = set(issue.labels)
        for program in programs:
            if labels.program(program.id) not in names:
                continue
            for course in program.courses():
                if labels.course(course.id) in names:
                    by_course.setdefault((program.id, course.id), []).append(issue)
    found = []
    for program in programs:
        for course in program.courses():
            mine = by_course.get((program.id, course.id), [])
            # One rating per person and course (their latest): a learner who files six issues
            # is still one voice in the average.
            latest = {i.author.lower(): r for i in mine if (r := rating(i.description)) is not None}
            scores = list(latest.values())
            opened = [i for i in mine if i.state == "opened"]
            found.append(
                CourseFeedback(
                    program=program.id,
                    course=course.id,
                    title=course.title,
                    issues=len(mine),
                    open=len(opened),
                    closed=len(mine) - len(opened),
                    ratings=len(scores),
                    average_rating=round(statistics.fmean(scores), 1) if scores else None,
                    open_issues=tuple((i.iid, i.web_url) for i in opened),
                )
            )
    return tuple(found)
