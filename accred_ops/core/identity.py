"""Which learner, path and course a GitLab object belongs to.

By its hidden marker first. A human may delete the marker while editing a description, and the
tool must not then open a second issue for the same course: an issue without a marker is
recognised by its `course::<id>` label and its assignee, an epic by its title.
"""

from __future__ import annotations

from accred_ops.core.marker import EpicKey, IssueKey
from accred_ops.core.model import Labels, Program
from accred_ops.core.planner import epic_title
from accred_ops.core.state import Epic, Issue


def issue_identity(issue: Issue, program: Program, labels: Labels) -> IssueKey | None:
    if issue.key is not None:
        return issue.key
    if not issue.assignees:
        return None
    courses = {
        label.removeprefix(labels.course_prefix)
        for label in issue.labels
        if label.startswith(labels.course_prefix)
    }
    for path in program.paths:
        for course in path.courses:
            if course.id in courses:
                return IssueKey(issue.assignees[0].lower(), program.id, path.id, course.id)
    return None


def epic_identity(epic: Epic, program: Program) -> EpicKey | None:
    if epic.key is not None:
        return epic.key
    for path in program.paths:
        prefix = epic_title(program, path, "")
        if epic.title.startswith(prefix) and len(epic.title) > len(prefix):
            return EpicKey(epic.title[len(prefix) :].lower(), program.id, path.id)
    return None
