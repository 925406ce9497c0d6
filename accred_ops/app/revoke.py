"""`revoke`: withdraw one award in GitLab: the learner record first (core/revocation.py), then
the reason as a comment and the stage label, then sync the learner so their epic says so."""

from __future__ import annotations

from accred_ops.core.context import Mode
from accred_ops.core.enrollment import open_choices, with_self_enrolled
from accred_ops.core.model import Cohort, Workspace
from accred_ops.core.planner import plan_revoke
from accred_ops.core.revocation import record_first, unrevoked
from accred_ops.core.state import LearnerState
from accred_ops.errors import InputError
from accred_ops.executor import apply_learner
from accred_ops.sync import learners, renewals
from accred_ops.sync.results import LearnerResult, RunResult
from accred_ops.sync.selection import key
from accred_ops.sync.session import Session


def revoke(
    session: Session,
    username: str,
    course_id: str,
    reason: str,
    by: str | None,
    dry_run: bool,
    private_reason: str = "",
) -> RunResult:
    """Withdraw one award in GitLab: the reason on record, the stage label, the epic updated."""
    cohort = _cohort_of(session, username, course_id)
    name = next(lr.username for lr in cohort.learners if lr.username.lower() == username.lower())
    state = session.read_program(cohort.program, f"@{name}").get(key(cohort, name))
    if state is not None and state.record is not None:
        # a renewal a killed sync opened and never recorded is the issue the badge ends on
        renewals.adopt_orphans(session, state, cohort, name, unrevoked(state.record, course_id))
    issue = state.issues.get(course_id) if state else None
    if state is None or issue is None:
        raise InputError(
            f"@{name} has no issue for course '{course_id}': there is no award to revoke; "
            + _awarded(state)
        )
    if issue.iid not in state.details:
        state.details[issue.iid] = session.gitlab.issue_details(issue.iid)
    ctx = learners.context(session, cohort, name, full_authority=True)
    course = ctx.path.course(course_id)
    assert course is not None
    details, by = state.details[issue.iid], by or session.bot
    plan = plan_revoke(ctx, course, issue, details, reason, by, private_reason, state.record)
    if plan is None:
        raise InputError(
            f"@{name} has no '{course.badge_name}' badge to revoke; " + _awarded(state)
        )
    # the record first, before anything else: a failure at any later write leaves it saying
    # "revoked"; and a record that missed an earlier revocation is repaired here
    plan = record_first(ctx, state, course) + plan
    result = RunResult(
        dry_run,
        learners=[LearnerResult(cohort.id, name, [c.describe(session._issue_mode) for c in plan])],
    )
    if not dry_run:
        apply_learner(session.gitlab, plan, state)
        # synced even with nothing to revoke: a rerun after a killed `revoke` completes what
        # the killed run's sync would have recorded (nothing at all when it had finished)
        result.learners[0].lines += learners.learner(
            session, cohort, name, state, Mode.SYNC, dry_run
        )
    return result


def _cohort_of(session: Session, username: str, course_id: str) -> Cohort:
    """The learner's cohort with that course: from the files, or (self-enrolled) from GitLab."""
    found = [
        c
        for c in session.ws.cohorts.values()
        if any(lr.username.lower() == username.lower() for lr in c.learners)
        and session.ws.path_of(c)[1].course(course_id)
    ]
    for choice in open_choices(session.ws):  # self-enrolled learners are known to GitLab only
        if not found and choice.path.course(course_id):
            states = session.read_program(choice.program.id, f"@{username}")
            cohort = with_self_enrolled(
                session.ws, states, adopt_epics=session.adopt_epics
            ).cohorts[choice.cohort.id]
            if any(lr.username.lower() == username.lower() for lr in cohort.learners):
                found.append(cohort)
    if not found:
        raise InputError(_no_such_award(session.ws, username, course_id))
    return found[0]


def _awarded(state: LearnerState | None) -> str:
    """The learner's awarded courses on record (revoked ones aside), as `revoke` lists them."""
    record = state.record if state else None
    awarded = [c for c in sorted(record.awards) if c not in record.revoked] if record else []
    if not awarded:
        return "they have no awarded course yet"
    return "their awarded courses: " + ", ".join(awarded)


def _no_such_award(ws: Workspace, username: str, course_id: str) -> str:
    """Why `revoke` found nothing, with the course ids that would have worked."""
    cohorts = [
        c
        for c in ws.cohorts.values()
        if any(lr.username.lower() == username.lower() for lr in c.learners)
    ]
    paths = [ws.path_of(c)[1] for c in cohorts] or [
        p for program in ws.programs.values() for p in program.paths
    ]
    courses = ", ".join(dict.fromkeys(course.id for p in paths for course in p.courses))
    if cohorts:
        return f"@{username} has no course '{course_id}'; their courses: {courses}"
    names = sorted(
        {
            lr.username
            for c in ws.cohorts.values()
            if ws.path_of(c)[1].course(course_id)
            for lr in c.learners
        }
    )
    if not names:
        return f"no cohort has a course '{course_id}' (course ids: {courses})"
    shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
    return f"'{username}' is not a learner of any cohort with course '{course_id}'; its learners: {shown}"
