"""Self-enrollment by issue: what a request asks for, whether to accept it, and who is enrolled
that way. Pure.

A learner opens an issue from the enrollment template, naming a program and a path; the tool
enrols the issue's *author* (GitLab says who that is; a name typed in the body counts for
nothing) into the cohort file that is open for that path (`self_enrollment: true`). The
request's text is only ever matched against known ids, never copied into a reply, so nothing a
requester types can reach a GitLab body (no quick-action injection).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from accred_ops.core import marker, record
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Cohort, Learner, LearningPath, Program, Workspace
from accred_ops.core.plan import Change, CommentOnIssue, UpdateIssue
from accred_ops.core.state import Issue, LearnerState, Note
from accred_ops.core.tooluser import tools_own

_HIDDEN = re.compile(r"<!--.*?-->|^(`{3,}|~{3,}).*?^\1", re.S | re.M)
_CHOICE = re.compile(
    r"^[ \t]*(?:[-*][ \t]+)?\**(program|path)\**[ \t]*:\**[ \t]*`?([a-z0-9][a-z0-9-]*)`?[ \t]*$",
    re.I | re.M,
)


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_ENROLLED = "already-enrolled"
    NOT_ALLOWED = "not-allowed"
    UNKNOWN_PATH = "unknown-path"
    NOT_OPEN = "not-open"


@dataclass(frozen=True)
class Choice:
    """A path open to self-enrollment, as a reply lists it."""

    program: Program
    path: LearningPath
    cohort: Cohort


@dataclass(frozen=True)
class Decision:
    request: Issue
    outcome: Outcome
    choice: Choice | None = None  # the open path asked for (accepted, already enrolled)
    epic_url: str | None = None  # already enrolled: where their epic is

    @property
    def learner(self) -> str:
        return self.request.author.lower()

    @property
    def key(self) -> EpicKey | None:
        if self.choice is None:
            return None
        return EpicKey(self.learner, self.choice.program.id, self.choice.path.id)


def open_choices(ws: Workspace) -> list[Choice]:
    """Every path a cohort file opens to self-enrollment, in program and path order."""
    found = []
    for cohort in sorted(ws.cohorts.values(), key=lambda c: (c.program, c.path)):
        if cohort.self_enrollment:
            program, path = ws.path_of(cohort)
            found.append(Choice(program, path, cohort))
    return found


def requested(description: str) -> dict[str, str]:
    """The `Program:` and `Path:` lines of a request (outside comments and code), lowercased."""
    visible = _HIDDEN.sub("", description)
    return {m.group(1).lower(): m.group(2).lower() for m in _CHOICE.finditer(visible)}


def asked_for(ws: Workspace, description: str) -> tuple[Program, LearningPath] | None:
    """The program and path asked for; either may be left out when there is only one."""
    asked = requested(description)
    programs = list(ws.programs.values())
    if "program" in asked:
        program = ws.programs.get(asked["program"])
    else:
        program = programs[0] if len(programs) == 1 else None
    if program is None:
        return None
    if "path" in asked:
        path = program.path(asked["path"])
    else:
        path = program.paths[0] if len(program.paths) == 1 else None
    return (program, path) if path is not None else None


def decide(
    ws: Workspace,
    request: Issue,
    allowed: bool,
    states: Mapping[EpicKey, LearnerState],
) -> Decision:
    """What to do with one open request. `allowed`: its author may self-enrol (a project member,
    and in `enrollment.allowed_groups` when that is set); `states`: what GitLab has for the
    program asked for."""
    if not allowed:
        return Decision(request, Outcome.NOT_ALLOWED)
    asked = asked_for(ws, request.description)
    if asked is None:
        return Decision(request, Outcome.UNKNOWN_PATH)
    program, path = asked
    choice = next(
        (c for c in open_choices(ws) if c.program.id == program.id and c.path.id == path.id), None
    )
    if choice is None:
        return Decision(request, Outcome.NOT_OPEN)
    author = request.author.lower()
    state = states.get(EpicKey(author, program.id, path.id))
    in_file = any(
        lr.username.lower() == author
        for c in ws.cohorts.values()
        if (c.program, c.path) == (program.id, path.id)
        for lr in c.learners
    )
    epic = state.epic if state is not None else None
    on_record = state.record if state is not None else None
    # Only the tool's record says how someone was enrolled; a tracking object without one (an
    # earlier version's) is adopted by accepting the request, which writes the record.
    if (
        in_file
        or (on_record is not None and on_record.via != record.request_via(request.iid))
        or (on_record is None and epic is not None and epic.created_at < request.created_at)
    ):
        return Decision(request, Outcome.ALREADY_ENROLLED, choice, epic.web_url if epic else None)
    return Decision(request, Outcome.ACCEPTED, choice)  # also: this acceptance, resumed


def with_self_enrolled(
    ws: Workspace,
    states: Mapping[EpicKey, LearnerState],
    accepted: list[Decision] | tuple[Decision, ...] = (),
    adopt_epics: bool = False,
) -> Workspace:
    """The workspace with every self-enrolled learner in their open cohort: those the tool's own
    records say it enrolled in answer to a request, and those accepted in this run. Nothing
    anyone else can create (an issue or epic with the right labels and title) enrols anybody;
    no file has to change.

    `adopt_epics` (epic mode only, where learners cannot write group epics): a tool-authored
    epic an earlier version made, with no record yet, counts by its cohort label (request 0:
    "before records"); the next sync writes its record."""
    cohorts = dict(ws.cohorts)
    for choice in open_choices(ws):
        cohort = choice.cohort
        listed = {
            lr.username.lower()
            for c in ws.cohorts.values()
            if (c.program, c.path) == (cohort.program, cohort.path)
            for lr in c.learners
        }
        found = {
            key.learner: state.record.request
            for key, state in states.items()
            if (key.program, key.path) == (cohort.program, cohort.path)
            and state.record is not None
            and state.record.request is not None
            and state.record.cohort == cohort.id
        }
        if adopt_epics:
            for key, state in states.items():
                if (
                    (key.program, key.path) == (cohort.program, cohort.path)
                    and state.record is None
                    and state.epic is not None
                    and ws.config.labels.cohort(cohort.id) in state.epic.labels
                ):
                    found.setdefault(key.learner, 0)
        for d in accepted:
            if d.key and d.choice and d.choice.cohort.id == cohort.id:
                found.setdefault(d.learner, d.request.iid)
        extra = tuple(Learner(name, request=found[name]) for name in sorted(set(found) - listed))
        if extra:
            cohorts[cohort.id] = dataclasses.replace(cohort, learners=cohort.learners + extra)
    return dataclasses.replace(ws, cohorts=cohorts)


def reply_marker(request: Issue) -> str:
    return marker.make("enrollment-reply", request=request.iid)


def plan_answer(decision: Decision, body: str, notes: Sequence[Note], bot: str) -> list[Change]:
    """Reply once (the reply is looked for by its marker first), then close the request."""
    request = decision.request
    why = f"enrollment request by @{request.author}: {decision.outcome}"
    changes: list[Change] = []
    replied = any(
        tools_own(note.author, bot) and reply_marker(request) in note.body for note in notes
    )
    if not replied:
        changes.append(CommentOnIssue(request.iid, body, why))
    if request.state == "opened":
        changes.append(UpdateIssue(request.iid, state_event="close", why=why))
    return changes
