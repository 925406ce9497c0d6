"""Use cases that show the program: `report` (a file) and `dashboard` (an issue in GitLab).

Both read GitLab through the adapter in a few list requests: the program's epics and issues,
and the label events of the issues waiting in `assessment` (to say how long they have waited).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from accred_ops.app.rubric_reading import with_rubrics
from accred_ops.core import marker, scores
from accred_ops.core.assessment import FAILED_KIND
from accred_ops.core.enrollment import with_self_enrolled
from accred_ops.core.marker import EpicKey
from accred_ops.core.progress import added_by
from accred_ops.core.report import Report, build_report
from accred_ops.core.state import Issue, LearnerState
from accred_ops.core.tooluser import tools_own
from accred_ops.core.validity_report import badges
from accred_ops.reports import DASHBOARD_TITLE, RENDERERS, dashboard_markdown
from accred_ops.sync.ownissue import tools_issue
from accred_ops.sync.session import Session

DASHBOARD_MARKER = marker.make("dashboard")
PROOF_KIND = "dashboard-record"
PROOF = (
    "accred-ops keeps this issue's description current with the program's dashboard; this "
    "comment, by its own user, is how it knows the issue is its own.\n\n"
    + marker.make(PROOF_KIND)
    + "\n"
)


def report_text(
    session: Session, now: dt.datetime, fmt: str, cohort_id: str | None, manager: str | None
) -> str:
    """The report as `fmt` (md, csv, json or html)."""
    return RENDERERS[fmt](read_report(session, now, cohort_id, manager))


def read_report(
    session: Session, now: dt.datetime, cohort_id: str | None = None, manager: str | None = None
) -> Report:
    ws = session.ws
    labels = ws.config.labels
    states: dict[EpicKey, LearnerState] = {}
    for program_id in sorted({c.program for c in ws.cohorts.values() if cohort_id in (None, c.id)}):
        states.update(session.read_program(program_id))
    waiting = [
        issue
        for state in states.values()
        for issue in state.issues.values()
        if issue.state == "opened" and labels.assessment in issue.labels
    ]
    since = {}
    for issue in waiting:
        event = added_by(labels.assessment, session.gitlab.label_events(issue.iid))
        if event is not None:
            since[issue.iid] = event.created_at
    failed = told_of_a_failure(session, states)
    # self-enrolled learners are in GitLab, not in the cohort files: report them with their cohort
    ws = with_self_enrolled(ws, states, adopt_epics=session.adopt_epics)
    feedback = session.gitlab.list_issues([labels.feedback], state="all")  # one listing
    report = build_report(
        ws,
        states,
        now,
        cohort_id=cohort_id,
        assessment_since=since,
        feedback=feedback,
        manager=manager,
        failed=failed,
    )
    learners = [(r.cohort, r.username, r.manager) for r in report.learners]
    day = now.astimezone(dt.UTC).date()  # the report's day decides what is valid (ACCRED_NOW)
    report = dataclasses.replace(report, validity=badges(ws, states, learners, day))
    report = exam_figures(session, states, report)
    return with_rubrics(session, report, states)


def exam_figures(session: Session, states: dict[EpicKey, LearnerState], report: Report) -> Report:
    """The report with the scored exams' figures and each course issue's exam result (the CSV
    rows), from the tool's own score comments: one read per reported course issue of a scored
    course that carries an exam verdict (no verdict: no attempt)."""
    labels, reported = session.ws.config.labels, {r.username.lower() for r in report.learners}
    courses = {c.id: c for p in session.ws.programs.values() for c in p.courses()}
    attempts: dict[tuple[str, str], list[scores.Attempt]] = {}
    results: dict[int, tuple[float | None, int]] = {}
    for key, state in states.items():
        for course_id, issue in state.issues.items():
            course = courses.get(course_id)
            if course is None or course.exam_rules is None or key.learner not in reported:
                continue
            if {labels.exam_passed, labels.exam_failed} & set(issue.labels):
                notes = session.gitlab.issue_notes(issue.iid)
                found = scores.recorded(notes, session.bot, course)
                attempts[(key.learner, course_id)] = found
                results[issue.iid] = scores.result_of(found)
    shown = [courses[c.course] for c in report.courses if c.course in courses]
    stats = scores.exam_stats(shown, attempts)
    return dataclasses.replace(report, exams=stats, exam_results=results)


def told_of_a_failure(session: Session, states: dict[EpicKey, LearnerState]) -> set[int]:
    """The course issues where the tool told the learner of an assessor's failing verdict: its
    own comment, with its marker, on an issue carrying `Retake`. The label only says where to
    look (one read per such issue, which are few); a label someone else set counts for nothing,
    and `sync` puts back a `Retake` someone removed while a failing verdict stands."""
    retake, bot = session.ws.config.labels.retake, session.bot
    return {
        issue.iid
        for state in states.values()
        for issue in state.issues.values()
        if retake in issue.labels
        and any(
            tools_own(note.author, bot) and marker.find(note.body, FAILED_KIND)
            for note in session.gitlab.issue_notes(issue.iid)
        )
    }


@dataclass(frozen=True)
class DashboardResult:
    action: str  # "created" | "updated" | "unchanged" (or "would create" / "would update")
    url: str | None
    text: str = ""  # a dry run's: what it would write


def find_dashboard(session: Session) -> Issue | None:
    """The dashboard issue: one the tool authored *and* marked as its dashboard with its own
    comment (the oldest, should there be two). A title or description marker proves nothing:
    anyone may retitle a course issue "Accreditation dashboard"."""
    return tools_issue(session, DASHBOARD_TITLE, PROOF_KIND)[0]


def update_dashboard(
    session: Session, now: dt.datetime, dry_run: bool, only_if_missing: bool = False
) -> DashboardResult:
    """Keep one "Accreditation dashboard" issue current; write only when its text changes.
    `only_if_missing`: nothing changed since it was last written, so only create it if absent."""
    issue = find_dashboard(session)
    if issue is not None and only_if_missing:
        return DashboardResult("unchanged", issue.web_url)
    body = dashboard_markdown(read_report(session, now)).rstrip("\n") + f"\n\n{DASHBOARD_MARKER}\n"
    if issue is None:
        if dry_run:
            return DashboardResult("would create", None, body)
        created = session.gitlab.create_plain_issue(DASHBOARD_TITLE, body)
        session.gitlab.comment_on_issue(created.iid, PROOF)
        return DashboardResult("created", created.web_url)
    if issue.description == body:
        return DashboardResult("unchanged", issue.web_url)
    if dry_run:
        return DashboardResult("would update", issue.web_url, body)
    session.gitlab.update_issue(issue.iid, {"description": body})
    return DashboardResult("updated", issue.web_url)
