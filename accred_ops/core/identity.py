"""Which learner, path and course a GitLab object belongs to: the identity rules (docs/security.md).

Learners can edit the descriptions, titles, labels and assignees of project issues, so none of
those proves anything. The rules, in order:

1. `tools_own`: only objects the tool's own user authored count (learners cannot change who
   authored an issue, an epic or a comment). Anything else, however it is labelled or titled,
   is nobody's epic, course issue, record, dashboard or sync state.
2. `trusted_record`: a learner's record is read where learners cannot write: the group epic's
   description (epic mode; project-only members cannot edit group epics), or the tool's own
   comment on the learner issue (issue mode; nobody can edit another user's comment).
3. `bind`: a course's issue is the one whose global id the record maps that course to (read
   by the iid the record also keeps when a listing misses it: a course the record names gets
   a new issue only when its issue is gone).
4. `adoptable`, then `assigned_by_the_tool_only` and `labelled_by_the_tool_only`: where the record has no issue for a course (a
   learner enrolled by an earlier version, or a run killed between creating an issue and
   recording it), an issue is adopted only if the tool authored it, it is assigned to the
   learner, its marker or `course::` label names the course, no record claims it, and nobody
   but the tool ever changed its assignees (GitLab's system notes say who did). Awards on an
   adopted issue still need the tool's own award comment naming the learner
   (`proof.noted_award`).

Hidden markers and titles stay as a way of finding things, never as proof.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from accred_ops.core import record
from accred_ops.core.epic_planning import epic_title
from accred_ops.core.marker import EpicKey, IssueKey
from accred_ops.core.model import Labels, Program
from accred_ops.core.record import LearnerRecord
from accred_ops.core.state import Epic, Issue, LabelEvent, Note
from accred_ops.core.tooluser import ToolUser, tools_own

__all__ = ["ToolUser", "tools_own"]  # identity rule 1 lives in core/tooluser.py (no imports)


def trusted_record(
    epic: Epic, notes: Iterable[Note] | None, bot: str, in_note: bool
) -> tuple[LearnerRecord | None, Note | None]:
    """The learner record of a tracking object the tool authored, and the comment holding it
    (issue mode: the oldest of the token's user's record comments, else the oldest of an
    earlier tool user's; epic mode: the description)."""
    if not tools_own(epic.author, bot):
        return None, None
    if not in_note:
        return record.parse(epic.description), None
    found = [
        (parsed, note)
        for note in notes or ()
        if tools_own(note.author, bot) and (parsed := record.parse(note.body)) is not None
    ]
    current = [(r, n) for r, n in found if n.author.lower() == bot.lower()]
    return (current or found or [(None, None)])[0]


def bind(found: LearnerRecord, pool: Mapping[int, Issue]) -> dict[str, Issue]:
    """The course issues a record names, by global id (whatever their markers now say)."""
    return {course: pool[iid] for course, iid in found.issues.items() if iid in pool}


def candidate_issue(issue: Issue, program: Program, labels: Labels) -> IssueKey | None:
    """Whose course issue this looks like, by its marker, else its `course::` label and
    assignee: a candidate for adoption, never proof."""
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


def adoptable(issue: Issue, key: IssueKey, bot: str, claimed: set[int]) -> bool:
    """Whether an issue no record names or ever named (`claimed`) may become
    `key.learner`'s issue for `key.course` (its history is checked next, in the sync)."""
    return (
        tools_own(issue.author, bot)
        and issue.id not in claimed
        and key.learner in {a.lower() for a in issue.assignees}
    )


def assigned_by_the_tool_only(notes: Iterable[Note], bot: str) -> bool:
    """Whether every assignee change GitLab recorded on an issue was the tool's own (GitLab
    writes a system note, "assigned to @x and unassigned @y", authored by whoever did it).
    An issue someone else re-assigned may be another learner's, taken: never adopted."""
    return not any(
        note.system and "assign" in note.body and not tools_own(note.author, bot) for note in notes
    )


def labelled_by_the_tool_only(events: Iterable[LabelEvent], bot: str, course_prefix: str) -> bool:
    """Whether every `course::` label GitLab recorded added to or removed from an issue was
    the tool's own act. An issue someone else re-labelled for another course may be an issue
    of an old course dressed up as a new one, carrying an assessor's verdicts on the old one:
    never adopted."""
    return all(
        tools_own(event.user, bot) for event in events if event.label.startswith(course_prefix)
    )


def epic_identity(epic: Epic, program: Program) -> EpicKey | None:
    """Whose tracking object this looks like (marker, else title): used only for objects the
    tool authored and has no record in yet."""
    if epic.key is not None:
        return epic.key
    for path in program.paths:
        prefix = epic_title(program, path, "")
        if epic.title.startswith(prefix) and len(epic.title) > len(prefix):
            return EpicKey(epic.title[len(prefix) :].lower(), program.id, path.id)
    return None


def issue_identity(issue: Issue, program: Program, labels: Labels) -> IssueKey | None:
    """A course issue's key by what it shows (for `status`, which only reads the board)."""
    return candidate_issue(issue, program, labels)
