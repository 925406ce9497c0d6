"""Program progress as plain data (SPEC §6 `report` and `dashboard`).

The workspace and what GitLab has (one LearnerState per learner and path) in, one frozen Report
out: stage counts per cohort and course, every learner's courses, badges per week, time to
badge, the assessor queue and stalled learners. No clock: `now` is passed in. Renderers in
`accred_ops.reports` only format what is computed here.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from accred_ops.core.feedback import CourseFeedback, feedback_counts
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Cohort, Course, Labels, Workspace
from accred_ops.core.progress import Stage, read_ticks, stage_of_labels, verdict_word
from accred_ops.core.record import LearnerRecord
from accred_ops.core.rubric_report import RubricStats
from accred_ops.core.scores import ExamStats
from accred_ops.core.state import Issue, LearnerState
from accred_ops.core.validity_report import BadgeValidity
from accred_ops.errors import InputError

SCHEMA = "accred-ops/report@1"
NOT_ENROLLED = "not-enrolled"
# Every stage a learner can be at in a course, in board order (a learner with no issue yet
# is "not-enrolled").
STAGES: tuple[str, ...] = (NOT_ENROLLED, *(stage.value for stage in Stage))
# Stages at which an open issue is the learner's to move (assessment waits for an assessor).
LEARNER_STAGES = (Stage.ENROLLED, Stage.IN_PROGRESS)
OVERDUE = "overdue"
INACTIVE = "inactive"


@dataclass(frozen=True)
class CourseCounts:
    course: str
    title: str
    counts: Mapping[str, int]  # every name in STAGES, in that order -> learners


@dataclass(frozen=True)
class CohortSummary:
    cohort: str
    program: str
    program_title: str
    path: str
    path_title: str
    learners: int
    accredited: int
    courses: tuple[CourseCounts, ...]
    competencies: tuple[str, ...] = ()  # covered by at least one awarded badge of the cohort


@dataclass(frozen=True)
class CourseStatus:
    """One learner in one course, as GitLab has it (every field empty when not enrolled)."""

    course: str
    title: str
    stage: str  # one of STAGES
    exam: str  # verdict word ("passed", "pending", "not required", ...); "" when not enrolled
    practical: str
    badge_date: str | None  # YYYY-MM-DD: the award (closed_at) date, when awarded
    due_date: str | None  # YYYY-MM-DD: the issue's due date (the cohort's plan if no issue)
    issue_iid: int | None
    issue_state: str | None  # "opened" | "closed"
    url: str | None
    enrolled_at: str | None  # the issue's created_at
    updated_at: str | None
    closed_at: str | None
    retake: bool = False  # an assessor set a failing verdict here (the tool's comment says so)


@dataclass(frozen=True)
class LearnerRow:
    cohort: str
    username: str
    program: str
    path: str
    accredited: bool  # every course of the path awarded
    epic_url: str | None
    courses: tuple[CourseStatus, ...]
    manager: str | None = None  # from the cohort file
    competencies: tuple[str, ...] = ()  # ids covered by the learner's awarded badges


@dataclass(frozen=True)
class CourseStats:
    course: str
    title: str
    badges: int
    median_days_to_badge: float | None  # created_at -> closed_at, 1 decimal; None: no badge
    failures: int = 0  # issues where an assessor set a failing verdict
    retakes: int = 0  # of those, the ones where a passing verdict has since replaced it


@dataclass(frozen=True)
class QueueItem:
    cohort: str
    username: str
    course: str
    title: str
    issue_iid: int
    url: str
    since: str | None  # when the issue reached assessment (or its last update)
    days_waiting: int | None


@dataclass(frozen=True)
class StalledItem:
    """A learner with open courses who is past a due date or has done nothing for a while."""

    cohort: str
    username: str
    course: str  # the course to nudge about: the first overdue one, else the first open one
    title: str
    issue_iid: int
    url: str
    stage: str
    due_date: str | None
    overdue: tuple[str, ...]  # every open course past its due date, in path order
    last_activity: str | None  # the latest updated_at of any of the learner's issues
    days_idle: int | None
    reasons: tuple[str, ...]  # OVERDUE and/or INACTIVE


@dataclass(frozen=True)
class Report:
    generated_at: str  # now, UTC, YYYY-MM-DDTHH:MM:SSZ
    cohort: str | None  # the one cohort reported, or None for all
    stalled_after_days: int
    cohorts: tuple[CohortSummary, ...]
    learners: tuple[LearnerRow, ...]
    courses: tuple[CourseStats, ...]
    badges_per_week: Mapping[str, int]  # ISO week's Monday -> badges; every week first..last
    assessor_queue: tuple[QueueItem, ...]
    stalled: tuple[StalledItem, ...]
    feedback: tuple[CourseFeedback, ...] = ()
    manager: str | None = None  # the one manager whose team is reported, or None for all
    validity: tuple[BadgeValidity, ...] = ()  # badges that expire (core/validity_report.py)
    rubrics: tuple[RubricStats, ...] = ()  # rubric practicals per course (core/rubric_report.py)
    # a rubric's results per course issue (iid -> "discovery 4.5; value 3.5"), for the CSV rows
    practical_scores: Mapping[int, str] = field(default_factory=dict)
    exams: tuple[ExamStats, ...] = ()  # scored exams (core/scores.py), from the tool's comments
    # each scored course issue's exam (iid -> (score the verdict rests on, attempts that
    # count)), for the CSV rows
    exam_results: Mapping[int, tuple[float | None, int]] = field(default_factory=dict)


def parse_time(value: str | None) -> dt.datetime | None:
    """A GitLab timestamp (ISO 8601, `Z` or offset) as an aware UTC datetime; None if empty."""
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def _days(later: dt.datetime, earlier: dt.datetime | None) -> int | None:
    return None if earlier is None else max(0, int((later - earlier).total_seconds() // 86400))


def issue_stage(
    labels: Labels,
    issue: Issue | None,
    on_record: LearnerRecord | None = None,
    course: Course | None = None,
) -> str:
    """The stage a report shows: the board's label, except that awards and revocations are what
    the learner record says (a badge or revoked label anyone may set proves nothing)."""
    if issue is None:
        return NOT_ENROLLED
    if on_record is not None and course is not None:
        if course.id in on_record.revoked:
            return Stage.REVOKED.value
        if on_record.awarded(course.id):
            return Stage.BADGE_AWARDED.value
    stage = stage_of_labels(labels, issue.labels) or Stage.ENROLLED
    if (
        on_record is not None
        and course is not None
        and stage in (Stage.BADGE_AWARDED, Stage.REVOKED)
    ):
        return read_ticks(course, issue.description).stage.value  # a label nobody recorded
    return stage.value


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _check_filters(ws: Workspace, cohort_id: str | None, manager: str | None) -> None:
    """A cohort or manager to report on must exist: say which do, before reading anything."""
    if cohort_id is not None and cohort_id not in ws.cohorts:
        known = ", ".join(sorted(ws.cohorts)) or "none"
        raise InputError(f"no cohort '{cohort_id}' (cohorts: {known})")
    known = sorted({lr.manager for c in ws.cohorts.values() for lr in c.learners if lr.manager})
    if manager is not None and manager.lower() not in {m.lower() for m in known}:
        raise InputError(
            f"no learner has manager '{manager}' (managers: {', '.join(known) or 'none'})"
        )


def build_report(
    ws: Workspace,
    states: Mapping[EpicKey, LearnerState],
    now: dt.datetime,
    *,
    cohort_id: str | None = None,
    stalled_after_days: int = 14,
    assessment_since: Mapping[int, str] | None = None,
    feedback: Sequence[Issue] = (),
    manager: str | None = None,
    failed: Collection[int] = (),
) -> Report:
    """Everything `report` and `dashboard` show, for every cohort (or `cohort_id` only).
    `failed`: the issues the tool's own comment says an assessor failed (never the label).

    Only the cohorts' learners are reported; GitLab objects of anyone else are ignored. Cohorts
    come by id, learners by username, courses in path order.
    """
    _check_filters(ws, cohort_id, manager)
    now = (now if now.tzinfo else now.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    cohorts = [ws.cohorts[key] for key in sorted(ws.cohorts) if cohort_id in (None, key)]
    rows = tuple(
        _learner_row(ws, cohort, learner.username, states, learner.manager, failed)
        for cohort in cohorts
        for learner in sorted(cohort.learners, key=lambda lr: lr.username.lower())
        if manager is None or (learner.manager or "").lower() == manager.lower()
    )
    if manager is not None:  # only the cohorts where the manager has someone
        cohorts = [c for c in cohorts if any(r.cohort == c.id for r in rows)]
    # By issue iid: a learner listed in two cohorts of one path is one badge, not two.
    awarded = {
        c.issue_iid: c
        for row in rows
        for c in row.courses
        if c.stage == Stage.BADGE_AWARDED and c.issue_iid is not None and parse_time(c.closed_at)
    }
    programs = [ws.programs[p] for p in sorted({c.program for c in cohorts})]
    return Report(
        generated_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        cohort=cohort_id,
        stalled_after_days=stalled_after_days,
        cohorts=tuple(_summary(ws, c, [r for r in rows if r.cohort == c.id]) for c in cohorts),
        learners=rows,
        courses=_course_stats(ws, cohorts, list(awarded.values()), rows),
        badges_per_week=_badges_per_week(list(awarded.values())),
        assessor_queue=_queue(rows, now, assessment_since or {}),
        stalled=tuple(s for r in rows if (s := _stalled(r, now, stalled_after_days))),
        feedback=feedback_counts(programs, feedback, ws.config.labels),
        manager=manager,
    )


def _learner_row(
    ws: Workspace,
    cohort: Cohort,
    username: str,
    states: Mapping[EpicKey, LearnerState],
    manager: str | None = None,
    failed: Collection[int] = (),
) -> LearnerRow:
    program, path = ws.path_of(cohort)
    key = EpicKey(username.lower(), cohort.program, cohort.path)
    state = states.get(key) or LearnerState()
    courses = tuple(
        _course_status(
            ws.config.labels,
            course,
            state.issues.get(course.id),
            cohort.due_date(n),
            state.record,
            failed,
        )
        for n, course in enumerate(path.courses)
    )
    return LearnerRow(
        cohort=cohort.id,
        username=username,
        program=cohort.program,
        path=cohort.path,
        accredited=all(c.stage == Stage.BADGE_AWARDED for c in courses),
        epic_url=state.epic.web_url if state.epic else None,
        courses=courses,
        manager=manager,
        competencies=_covered(
            program.competencies,
            [
                c
                for c, s in zip(path.courses, courses, strict=True)
                if s.stage == Stage.BADGE_AWARDED
            ],
        ),
    )


def _covered(competencies: Sequence[object], courses: Sequence[Course]) -> tuple[str, ...]:
    """The competency ids the given courses align to, in the program's order."""
    wanted = {ref for course in courses for ref in course.competencies}
    return tuple(c.id for c in competencies if getattr(c, "id", None) in wanted)


def _course_status(
    labels: Labels,
    course: Course,
    issue: Issue | None,
    planned: dt.date | None,
    on_record: LearnerRecord | None = None,
    failed: Collection[int] = (),
) -> CourseStatus:
    if issue is None:
        due = planned.isoformat() if planned else None
        return CourseStatus(course.id, course.title, NOT_ENROLLED, "", "", None, due, *[None] * 6)
    stage = issue_stage(labels, issue, on_record, course)
    closed = parse_time(issue.closed_at)
    return CourseStatus(
        course=course.id,
        title=course.title,
        stage=stage,
        exam=verdict_word(labels, course, "exam", issue.labels),
        practical=verdict_word(labels, course, "practical", issue.labels),
        badge_date=closed.date().isoformat() if closed and stage == Stage.BADGE_AWARDED else None,
        due_date=issue.due_date,
        issue_iid=issue.iid,
        issue_state=issue.state,
        url=issue.web_url,
        enrolled_at=issue.created_at or None,
        updated_at=issue.updated_at or None,
        closed_at=issue.closed_at or None,
        retake=issue.iid in failed,
    )


def _summary(ws: Workspace, cohort: Cohort, rows: Sequence[LearnerRow]) -> CohortSummary:
    program, path = ws.path_of(cohort)
    courses = []
    for index, course in enumerate(path.courses):
        counts = dict.fromkeys(STAGES, 0)
        for row in rows:
            counts[row.courses[index].stage] += 1
        courses.append(CourseCounts(course.id, course.title, counts))
    return CohortSummary(
        cohort=cohort.id,
        program=program.id,
        program_title=program.title,
        path=path.id,
        path_title=path.title,
        learners=len(rows),
        accredited=sum(row.accredited for row in rows),
        courses=tuple(courses),
        competencies=tuple(
            c.id for c in program.competencies if any(c.id in row.competencies for row in rows)
        ),
    )


def _course_stats(
    ws: Workspace,
    cohorts: Sequence[Cohort],
    awarded: Sequence[CourseStatus],
    rows: Sequence[LearnerRow] = (),
) -> tuple[CourseStats, ...]:
    """Every course of the reported paths (first seen first): badges, median days to badge."""
    titles: dict[str, str] = {}
    for cohort in cohorts:
        for course in ws.path_of(cohort)[1].courses:
            titles.setdefault(course.id, course.title)
    stats = []
    for course_id, title in titles.items():
        mine = [c for c in awarded if c.course == course_id]
        spans = [
            (end - start).total_seconds() / 86400
            for c in mine
            if (start := parse_time(c.enrolled_at)) and (end := parse_time(c.closed_at))
        ]
        median = round(statistics.median(spans), 1) if spans else None
        failed = {
            c.issue_iid: c for r in rows for c in r.courses if c.course == course_id and c.retake
        }
        retaken = [
            c for c in failed.values() if c.exam != "failed" and c.practical != "changes requested"
        ]
        stats.append(CourseStats(course_id, title, len(mine), median, len(failed), len(retaken)))
    return tuple(stats)


def _badges_per_week(awarded: Sequence[CourseStatus]) -> dict[str, int]:
    """Badges per ISO week (its Monday), every week from the first award's to the last's."""
    weeks: dict[dt.date, int] = {}
    for course in awarded:
        if closed := parse_time(course.closed_at):
            week = week_start(closed.date())
            weeks[week] = weeks.get(week, 0) + 1
    if not weeks:
        return {}
    first, span = min(weeks), (max(weeks) - min(weeks)).days // 7 + 1
    every = [first + dt.timedelta(weeks=n) for n in range(span)]
    return {week.isoformat(): weeks.get(week, 0) for week in every}


def _queue(
    rows: Sequence[LearnerRow], now: dt.datetime, assessment_since: Mapping[int, str]
) -> tuple[QueueItem, ...]:
    """Issues at stage assessment, longest waiting first (since submission, else last update)."""
    found = []
    for row in rows:
        for c in row.courses:
            if c.stage != Stage.ASSESSMENT or c.issue_iid is None:
                continue
            since = assessment_since.get(c.issue_iid) or c.updated_at or c.enrolled_at
            at = parse_time(since)
            item = QueueItem(
                cohort=row.cohort,
                username=row.username,
                course=c.course,
                title=c.title,
                issue_iid=c.issue_iid,
                url=c.url or "",
                since=since,
                days_waiting=_days(now, at),
            )
            found.append(((at is None, at or now), item))
    return tuple(item for _, item in sorted(found, key=lambda pair: pair[0]))  # stable sort


def _stalled(row: LearnerRow, now: dt.datetime, stalled_after_days: int) -> StalledItem | None:
    """The learner, if they have a course to move (open, enrolled or in progress) and are stalled.

    Overdue: such a course is past its due date. Inactive: none of their issues on the path
    changed for more than `stalled_after_days`. Courses waiting for an assessor do not count.
    """
    mine = [c for c in row.courses if c.issue_iid is not None]
    todo = [c for c in mine if c.issue_state == "opened" and c.stage in LEARNER_STAGES]
    late = [c for c in todo if c.due_date and now.date().isoformat() > c.due_date]
    touched = [(t, c.updated_at) for c in mine if (t := parse_time(c.updated_at))]
    last, last_activity = max(touched, default=(None, None))
    reasons = [OVERDUE] if late else []
    if last and now - last > dt.timedelta(days=stalled_after_days):
        reasons.append(INACTIVE)
    if not todo or not reasons:
        return None
    nudge = (late or todo)[0]
    return StalledItem(
        cohort=row.cohort,
        username=row.username,
        course=nudge.course,
        title=nudge.title,
        issue_iid=nudge.issue_iid or 0,
        url=nudge.url or "",
        stage=nudge.stage,
        due_date=nudge.due_date,
        overdue=tuple(c.course for c in late),
        last_activity=last_activity,
        days_idle=_days(now, last),
        reasons=tuple(reasons),
    )
