"""Offline checks beyond the file schemas: every template renders with sample data; and preview.

Template mistakes (a typo'd variable, a syntax error) are reported as `file:line: message` like
any other input problem, so they are caught by `validate` in CI, not by a learner's issue.
"""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from accred_ops.core.assessment import Route
from accred_ops.core.context import CourseOutcome, LearnerContext
from accred_ops.core.enrollment import Choice, Decision, Outcome
from accred_ops.core.epic_planning import progress_table
from accred_ops.core.model import Cohort, Learner, Workspace
from accred_ops.core.progress import Authority, Stage
from accred_ops.core.proof import award_marker, path_marker, refusal_marker, revoke_marker
from accred_ops.core.reminders import Audience, Reminder
from accred_ops.core.state import Issue
from accred_ops.errors import InputError, Problem
from accred_ops.render import TEMPLATE_NAMES, Texts


def _sample_context(ws: Workspace, texts: Texts, cohort: Cohort, username: str) -> LearnerContext:
    program, path = ws.path_of(cohort)
    learner = next((lr for lr in cohort.learners if lr.username.lower() == username.lower()), None)
    if learner is None:
        raise InputError(f"'{username}' is not a learner of cohort {cohort.id}")
    return LearnerContext(
        program,
        path,
        cohort,
        learner,
        ws.config.labels,
        texts,
        Authority(frozenset(), "accred-bot"),
    )


def _render_all(ctx: LearnerContext) -> None:
    texts = ctx.texts
    course = ctx.path.courses[0]
    texts.course_issue(ctx.program, ctx.path, course, ctx.cohort, ctx.username)
    progress = progress_table(
        ctx, [CourseOutcome(c, None, Stage.ENROLLED, (), ()) for c in ctx.path.courses]
    )
    texts.learner_epic(ctx.program, ctx.path, ctx.cohort, ctx.username, progress)
    texts.badge_award(course, ctx.username, {ctx.labels.exam_passed: "sam"}, award_marker(course))
    texts.path_award(ctx.program, ctx.path, ctx.username, path_marker(ctx.path))
    texts.verdict_refused(ctx.labels.exam_passed, ctx.username, ("@sam",), refusal_marker(1))
    texts.verdict_restored(ctx.labels.exam_passed, ctx.username, ("@sam",), refusal_marker(1))
    texts.badge_revoked(
        course,
        ctx.username,
        "a sample reason",
        "erin",
        revoke_marker(course),
        "a private note",
        "2027-H1",
    )
    for to, reason in (
        (Audience.LEARNER, "was due on 2026-12-15"),
        (Audience.ASSESSORS, "has waited 9 days for assessment"),
    ):
        texts.reminder(course, ctx.username, Reminder(to, reason, 9), ("@sam",), "<!-- sample -->")
    texts.assessment_routed(course, ctx.username, Route("mention", ("sam",)), "<!-- s -->")
    texts.assessment_routed(course, ctx.username, Route("manager", ("sam",), "sam", "sam"), "")
    texts.verdict_failed(course, ctx.username, ctx.labels.exam_failed, "sam", "<!-- s -->")
    texts.verdict_failed(course, ctx.username, ctx.labels.practical_changes_requested, "sam", "")
    texts.feedback_reply(ctx.username, [ctx.program], "<!-- s -->")
    request = Issue(1, 1, "Enrollment", "", (), "opened", "", author=ctx.username)
    choice = Choice(ctx.program, ctx.path, ctx.cohort)
    for outcome in Outcome:
        decision = Decision(request, outcome, choice)
        texts.enrollment_reply(decision, [choice], "https://x/epics/1", ("sales",), "<!-- s -->")


def project_url(ws: Workspace, base: str | None = None) -> str:
    """The project's web address, for links in texts (offline: accred.yml's URL, if any)."""
    root = (base or ws.config.gitlab.url or "https://gitlab.example.com").rstrip("/")
    return f"{root}/{ws.config.gitlab.project}"


def managers(ws: Workspace) -> dict[str, str]:
    """learner -> manager, for the cohorts whose award comments mention the manager."""
    return {
        learner.username.lower(): learner.manager
        for cohort in ws.cohorts.values()
        if cohort.notify_manager
        for learner in cohort.learners
        if learner.manager
    }


def _template_problem(err: Exception, templates_dir: Path) -> Problem:
    if isinstance(err, jinja2.TemplateSyntaxError):
        return Problem(
            _where(err.filename or err.name or "template", templates_dir),
            err.lineno,
            err.message or str(err),
        )
    for frame in reversed(traceback.extract_tb(err.__traceback__)):
        if frame.filename.endswith(".j2"):
            return Problem(_where(frame.filename, templates_dir), frame.lineno or 1, str(err))
    return Problem("templates", 1, str(err))


def _where(filename: str, templates_dir: Path) -> str:
    path = Path(filename)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(templates_dir / path.name) if (templates_dir / path.name).exists() else str(path)


def validate_workspace(ws: Workspace, templates_dir: Path) -> str:
    """Render every template with sample data; return a one-line summary of the program."""
    texts = Texts(templates_dir, ws.config.labels, project_url(ws))
    sample = next(iter(ws.cohorts.values()), None)
    if sample is None and ws.programs:
        program = next(iter(ws.programs.values()))
        sample = Cohort("sample", program.id, program.paths[0].id, (Learner("sample-learner"),))
    if sample is not None:
        try:
            _render_all(_sample_context(ws, texts, sample, sample.learners[0].username))
        except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError) as err:
            raise InputError([_template_problem(err, templates_dir)]) from None
    for name in TEMPLATE_NAMES:
        texts.env.get_template(name)
    paths = [p for program in ws.programs.values() for p in program.paths]
    courses = [c for p in paths for c in p.courses]
    opened = sum(c.self_enrollment for c in ws.cohorts.values())
    return (
        f"OK: {len(ws.programs)} program(s), {len(paths)} path(s), {len(courses)} course(s), "
        f"{sum(len(c.objectives) for c in courses)} objectives, {len(ws.cohorts)} cohort(s), "
        f"{sum(len(c.learners) for c in ws.cohorts.values())} learner(s)"
        + (f", {opened} cohort(s) open to self-enrollment" if opened else "")
    )


def preview_text(
    ws: Workspace, templates_dir: Path, cohort_id: str, username: str, course_id: str | None
) -> str:
    """The epic or course issue description exactly as `enroll` would create it."""
    cohort = ws.cohorts.get(cohort_id)
    if cohort is None:
        raise InputError(
            f"no cohort '{cohort_id}' (known: {', '.join(sorted(ws.cohorts)) or 'none'})"
        )
    texts = Texts(templates_dir, ws.config.labels, project_url(ws), managers(ws))
    ctx = _sample_context(ws, texts, cohort, username)
    if course_id is None:
        progress = progress_table(
            ctx, [CourseOutcome(c, None, Stage.ENROLLED, (), ()) for c in ctx.path.courses]
        )
        return texts.learner_epic(ctx.program, ctx.path, cohort, ctx.username, progress)
    course = ctx.path.course(course_id)
    if course is None:
        raise InputError(
            f"path '{ctx.path.id}' has no course '{course_id}' (known: {', '.join(c.id for c in ctx.path.courses)})"
        )
    return texts.course_issue(ctx.program, ctx.path, course, cohort, ctx.username)
