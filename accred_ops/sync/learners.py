"""One learner's run: adopt what an earlier version made, read the details a decision needs,
then plan (core/planner.py, pure) and apply (executor.py) until nothing more is created.
Learners run in parallel, each on its own: a failure is recorded, not raised (only a rejected
token stops everyone)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

from accred_ops.core.assessment import entering_assessment
from accred_ops.core.context import LearnerContext, Mode
from accred_ops.core.identity import tools_own
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Cohort
from accred_ops.core.plan import CommentOnEpic
from accred_ops.core.planner import needs_details, plan_learner
from accred_ops.core.state import LearnerState
from accred_ops.errors import AuthenticationError, GitLabError
from accred_ops.executor import Rehearsal, apply_learner
from accred_ops.gitlab import GitLabAdapter
from accred_ops.sync import renewals
from accred_ops.sync.reading import complete
from accred_ops.sync.results import LearnerResult, ProgressFn
from accred_ops.sync.selection import key

if TYPE_CHECKING:
    from accred_ops.sync.facts import Session

Job = tuple[Cohort, str, LearnerState]


def run_all(
    session: Session, jobs: list[Job], mode: Mode, dry_run: bool, on_learner: ProgressFn | None
) -> list[LearnerResult]:
    """Learners in parallel (independent requests overlap their latency); results in order."""
    with ThreadPoolExecutor(max_workers=session.ws.config.gitlab.concurrency) as pool:
        futures = [
            pool.submit(guarded, session, c, name, state, mode, dry_run) for c, name, state in jobs
        ]
        try:
            for future in as_completed(futures):
                if on_learner:
                    on_learner(future.result())
        except AuthenticationError:
            pool.shutdown(cancel_futures=True)
            raise
        return [future.result() for future in futures]


def guarded(
    session: Session, cohort: Cohort, username: str, state: LearnerState, mode: Mode, dry_run: bool
) -> LearnerResult:
    """One learner's run; their failure is recorded, not raised (only a bad token stops all)."""
    outcome = LearnerResult(cohort.id, username)
    try:
        outcome.lines = learner(session, cohort, username, state, mode, dry_run)
    except AuthenticationError:
        raise
    except GitLabError as err:
        outcome.error = str(err)
    return outcome


def learner(
    session: Session, cohort: Cohort, username: str, state: LearnerState, mode: Mode, dry_run: bool
) -> list[str]:
    """Plan and apply one learner, as many rounds as creating objects needs; the lines of the
    changes made (or, in a dry run, rehearsed)."""
    adopt(session, state)
    recover(session, state, cohort)
    renewals.adopt_orphans(session, state, cohort, username)
    if cohort.self_enrollment and cohort.start is None and cohort.weeks_per_course:
        # due dates count from the learner's own enrollment: the day their epic was made
        made = state.epic.created_at[:10] if state.epic else session.now.date().isoformat()
        cohort = dataclasses.replace(cohort, start=dt.date.fromisoformat(made))
    assignee_id = None
    if incomplete(session, state, cohort):
        assignee_id = reachable(session, username, _source(cohort, username))
    ctx = context(session, cohort, username, full_authority=False)
    if mode is Mode.SYNC:
        ctx = _read_details(session, ctx, state)
    return _rounds(session, ctx, state, mode, assignee_id, dry_run)


def _read_details(session: Session, ctx: LearnerContext, state: LearnerState) -> LearnerContext:
    """The label events and comments of the issues whose decision needs them (a verdict to
    check, an assessment to route); then the assessors' groups count too (full authority)."""
    wanted = [
        issue
        for course_id, issue in state.issues.items()
        if (course := ctx.path.course(course_id))
        and (
            needs_details(ctx, course, issue, state.record)
            or entering_assessment(ctx, course, issue)
        )
        and issue.iid not in state.details
    ]
    if wanted:
        ctx = context(session, ctx.cohort, ctx.learner.username, full_authority=True)
    for issue in wanted:
        state.details[issue.iid] = session.gitlab.issue_details(issue.iid)
    return ctx


def _rounds(
    session: Session,
    ctx: LearnerContext,
    state: LearnerState,
    mode: Mode,
    assignee_id: int | None,
    dry_run: bool,
) -> list[str]:
    """Plan, apply, plan again while the last round created something (at most three)."""
    lines: list[str] = []
    # a dry run rehearses each round on a copy, so it lists what the later rounds do too
    target: GitLabAdapter | Rehearsal = session.gitlab
    if dry_run:
        state = copy.deepcopy(state)
        target = Rehearsal(state, ctx.learner.username, session.bot, session.gitlab.tracker)
    for _ in range(3):
        plan = plan_learner(ctx, state, mode, assignee_id)
        if (
            state.epic is not None
            and state.epic_notes is None
            and any(isinstance(c, CommentOnEpic) for c in plan)
        ):
            state.epic_notes = tuple(session.gitlab.epic_notes(state.epic.id, state.epic.iid))
            plan = plan_learner(ctx, state, mode, assignee_id)
        lines += [change.describe(session._issue_mode) for change in plan]
        if not plan:
            break
        apply_learner(target, plan, state)
        if not any(change.creates for change in plan):
            break
    lines += [f"warning: {refusal}" for refusal in dict.fromkeys(state.refused)]
    state.refused.clear()
    return lines


def adopt(session: Session, state: LearnerState) -> None:
    """For each course the record does not name, the oldest candidate whose assignees only
    the tool ever changed (one read of its label events and comments, once: the record
    names it afterwards); none: the course has no issue yet."""
    for course, candidates in state.candidates.items():
        state.issues.pop(course, None)
        for issue in candidates:
            details = renewals.tools_hand_only(session, issue)
            if details is not None:
                state.issues[course], state.details[issue.iid] = issue, details
                break
    state.candidates = {}


def recover(session: Session, state: LearnerState, cohort: Cohort) -> None:
    """Read by iid each issue the record names for a course of the path that the listing by
    label missed (someone removed its `program::` label): still there, it stays the course's
    issue, and the plan puts its labels back; only an issue GitLab no longer has (deleted,
    moved away) is replaced. One read per such issue, which a quiet sync never has."""
    path, found = session.ws.path_of(cohort)[1], state.record
    if found is None:
        return
    for course in path.courses:
        iid = found.iids.get(course.id)
        if course.id in state.issues or course.id not in found.issues or iid is None:
            continue
        issue = session.gitlab.get_issue(iid)
        if issue is None or issue.id != found.issues[course.id]:
            continue  # gone: a new issue is made, and the record keeps this one retired
        if not tools_own(issue.author, session.bot):
            continue
        if state.epic is not None and not session.gitlab.tracker.issues_name_parent:
            issue = dataclasses.replace(issue, epic_iid=state.epic.iid)  # as read_program does
        state.issues[course.id] = issue


def _source(cohort: Cohort, username: str) -> str:
    """ "cohorts/q4.yml:7: " where the cohort file lists the learner (empty if self-enrolled)."""
    found = next(
        (lr.source for lr in cohort.learners if lr.username.lower() == username.lower()), ""
    )
    return f"{found}: " if found else ""


def reachable(session: Session, username: str, where: str = "") -> int:
    """The user id of a learner GitLab can give issues to: an existing user who is a member
    of the project (direct or inherited). Anyone else gets nothing created for them."""
    user = session.gitlab.find_user(username)
    if user is None:
        raise GitLabError(f"{where}no GitLab user '{username}': nothing was created for them")
    if username.lower() not in session.gitlab.project_members():
        raise GitLabError(
            f"{where}@{user.username} is not a member of project {session.ws.config.gitlab.project}: "
            "GitLab can neither assign them their course issues nor let them tick them. Add "
            "them to the project (Guest is enough); nothing was created for them"
        )
    return user.id


def incomplete(session: Session, state: LearnerState | None, cohort: Cohort) -> bool:
    return not complete(session.ws.path_of(cohort)[1], state)


def context(
    session: Session, cohort: Cohort, username: str, full_authority: bool
) -> LearnerContext:
    """Everything the pure planner needs to decide for one learner."""
    ws = session.ws
    program, path = ws.path_of(cohort)
    learner = next(lr for lr in cohort.learners if lr.username == username)
    return LearnerContext(
        program=program,
        path=path,
        cohort=cohort,
        learner=learner,
        labels=ws.config.labels,
        texts=session.texts,
        authority=session.authority(full_authority),
        assessor_names=session.assessor_names(),
        assessor_mentions=session.assessor_mentions(),
        reminders=ws.config.reminders,
        now=session.now,
        routing=session.routing(),
        record_in_note=session.gitlab.tracker.record_in_note,
        moderators=ws.config.assessors.moderators,
    )


def prepare(
    session: Session, states: dict[EpicKey, LearnerState], chosen: list[tuple[Cohort, str]]
) -> list[Job]:
    """Each chosen learner with their state (empty: new), the users to enroll read in one go,
    and what this run saw of each noted for recording (core/syncstate.py settling)."""
    fresh = [name for c, name in chosen if incomplete(session, states.get(key(c, name)), c)]
    session.gitlab.prefetch_users(fresh)
    jobs = [(c, name, states.setdefault(key(c, name), LearnerState())) for c, name in chosen]
    if session.book is not None:  # chat notifications read these states after the run
        session.book.seen += jobs
    session.synced |= {
        item.web_url: item.updated_at
        for _c, _n, state in jobs
        for item in (state.epic, *state.issues.values())
        if item is not None and item.web_url
    }
    return jobs
