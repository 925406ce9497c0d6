"""The program as plain, frozen data: curriculum, cohorts and settings.

Everything else in the core computes from these; nothing here reads files or talks to GitLab.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from accred_ops.core.rubric import Rubric
from accred_ops.core.validity import Renewal, Validity

EXAM_ITEM = "I have taken the written exam"
PRACTICAL_ITEM = "I have submitted my practical assessment"


@dataclass(frozen=True)
class Competency:
    """A competency a program's badges align to (Open Badges `alignment`)."""

    id: str
    name: str
    url: str
    framework: str | None = None


@dataclass(frozen=True)
class ExamRules:
    """`exam: {pass_mark, max_attempts, retake_after_days}`: how imported scores become verdicts."""

    pass_mark: int  # a percentage, 1 to 100
    max_attempts: int | None = None  # attempts that count, then the enablement team decides
    retake_after_days: int | None = None  # an attempt sooner after a failure does not count


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    objectives: tuple[str, ...]
    exam: bool = True
    practical: bool = True
    url: str | None = None
    badge_name: str = ""
    exam_url: str | None = None  # where the written exam is taken
    exam_instructions: str | None = None
    practical_instructions: str | None = None  # how to submit the practical assessment
    competencies: tuple[str, ...] = ()  # ids of the program's competencies
    validity: Validity | None = None  # None: the badge never expires
    renewal: Renewal | None = None  # what a renewal asks (set exactly when validity is)
    rubric: Rubric | None = None  # the practical scored per criterion (core/rubric.py)
    exam_rules: ExamRules | None = None  # exam.pass_mark (and attempts): scores are imported
    practical_after_exam: bool = False  # practical.after_exam: it opens when the exam passes

    @property
    def submission_items(self) -> tuple[str, ...]:
        """The checklist items a learner ticks to say "ready for assessment"."""
        return tuple(
            item
            for item, required in ((EXAM_ITEM, self.exam), (PRACTICAL_ITEM, self.practical))
            if required
        )


@dataclass(frozen=True)
class LearningPath:
    id: str
    title: str
    courses: tuple[Course, ...]

    def course(self, course_id: str) -> Course | None:
        return next((c for c in self.courses if c.id == course_id), None)


@dataclass(frozen=True)
class Program:
    id: str
    title: str
    paths: tuple[LearningPath, ...]
    competencies: tuple[Competency, ...] = ()
    framework: Competency | None = None  # the competency framework the program declares

    def competency(self, competency_id: str) -> Competency | None:
        return next((c for c in self.competencies if c.id == competency_id), None)

    def courses(self) -> tuple[Course, ...]:
        return tuple(course for path in self.paths for course in path.courses)

    def path(self, path_id: str) -> LearningPath | None:
        return next((p for p in self.paths if p.id == path_id), None)


@dataclass(frozen=True)
class Learner:
    username: str
    manager: str | None = None
    email: str | None = None
    request: int | None = None  # self-enrolled: the iid of the request the tool accepted
    # Where the cohort file lists them ("cohorts/q4.yml:7"), for messages; not part of what the
    # program says (neither compared nor in the sync's fingerprint).
    source: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class Cohort:
    id: str
    program: str
    path: str
    learners: tuple[Learner, ...]
    start: dt.date | None = None
    weeks_per_course: int | None = None
    self_enrollment: bool = False  # learners may join by an enrollment-request issue
    notify_manager: bool = False  # award comments mention the learner's manager

    def due_date(self, course_index: int) -> dt.date | None:
        """Course n (0-based) is due n+1 blocks of `weeks_per_course` after the start."""
        if self.start is None or not self.weeks_per_course:
            return None
        return self.start + dt.timedelta(weeks=self.weeks_per_course * (course_index + 1))


@dataclass(frozen=True)
class GitLabSettings:
    url: str | None
    group: str
    project: str
    board: str = "Field Enablement"
    concurrency: int = 4  # learners processed at once
    full_sync_every_hours: int = 24  # between full passes of `sync`; 0: every sync is full
    tracking: str = "auto"  # epic | issue | auto: what holds a learner's path (see README)
    api: str = "rest"  # rest | workitems: how epics are created and given their issues
    # Requests a minute the tool allows itself (0: no limit); defaults are GitLab.com's limits.
    rate_limits: tuple[tuple[str, int], ...] = (("api", 2000), ("issues", 200), ("notes", 60))
    # Earlier tool users whose objects still count as the tool's own (a new token is a new bot
    # user): reviewed in a merge request, checked before any run (see README "A new token").
    previous_tool_users: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessors:
    usernames: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    inherited: bool = False
    """False: a group's own (direct) members and its subgroups'; True: also everyone GitLab
    lists as inherited from its parent groups (`members/all`)."""
    routing: str = "mention"  # mention | round-robin | manager: who is told of work waiting
    moderators: tuple[str, ...] = ()  # settle a rubric's disagreeing assessors


@dataclass(frozen=True)
class Labels:
    """The board's vocabulary (SPEC §3); every name can be overridden in accred.yml."""

    scope: str = "Field Learning Programs"
    enrolled: str = "accreditation::enrolled"
    in_progress: str = "accreditation::in-progress"
    assessment: str = "accreditation::assessment"
    badge_awarded: str = "accreditation::badge-awarded"
    accredited: str = "accreditation::accredited"
    revoked: str = "accreditation::revoked"
    expired: str = "accreditation::expired"  # an awarded badge past its validity (or its path)
    enrollment_request: str = "accreditation::enrollment-request"
    feedback: str = "accreditation::feedback"  # course feedback (issue template)
    retake: str = "Retake"  # a course issue where an assessor has set a failing verdict
    learner_issue: str = "Learning path"  # marks learner issues, where there are no epics
    exam_passed: str = "exam::passed"
    exam_failed: str = "exam::failed"
    practical_approved: str = "practical::approved"
    practical_changes_requested: str = "practical::changes-requested"
    program_prefix: str = "program::"
    course_prefix: str = "course::"
    cohort_prefix: str = "cohort::"

    def program(self, program_id: str) -> str:
        return self.program_prefix + program_id

    def course(self, course_id: str) -> str:
        return self.course_prefix + course_id

    def cohort(self, cohort_id: str) -> str:
        return self.cohort_prefix + cohort_id

    @property
    def verdicts(self) -> tuple[str, ...]:
        """Labels only an assessor may set."""
        return (
            self.exam_passed,
            self.exam_failed,
            self.practical_approved,
            self.practical_changes_requested,
        )


@dataclass(frozen=True)
class Reminders:
    """`reminders:` in accred.yml (absent: no reminders). Days are whole days of no change."""

    stalled_after_days: int = 14  # remind a learner whose course issue has not changed this long
    repeat_every_days: int = 7  # never remind on one issue more often than this
    assessment_after_days: int = 7  # remind assessors of an issue waiting this long for verdicts


NOTIFY_EVENTS = ("award", "path", "assessment", "failed", "expiring", "digest")
NOTIFY_DEFAULT_EVENTS = ("award", "path")  # `failed` is never on by default (privacy)


@dataclass(frozen=True)
class Webhook:
    """One `notifications.webhooks` entry: the environment variable holding an incoming-webhook
    URL (never the URL itself), the message format and the events it wants."""

    url_variable: str
    format: str = "json"  # slack | teams | json
    events: tuple[str, ...] = NOTIFY_DEFAULT_EVENTS


CREDLY_API = "https://api.credly.com/v1"  # Credly's production Web Service API


@dataclass(frozen=True)
class Credly:
    """`badges.credly`: issue each award as a Credly badge (see accred_ops/credly/)."""

    organization_id: str
    templates: tuple[tuple[str, str], ...]  # course id (or path id) -> badge template id
    token_variable: str = "CREDLY_TOKEN"
    api_url: str = CREDLY_API

    def template(self, badge_id: str) -> str | None:
        return dict(self.templates).get(badge_id)


@dataclass(frozen=True)
class Config:
    gitlab: GitLabSettings
    assessors: Assessors = field(default_factory=Assessors)
    labels: Labels = field(default_factory=Labels)
    reminders: Reminders | None = None
    # enrollment.allowed_groups: who may self-enrol besides being a project member (empty: anyone)
    enrollment_groups: tuple[str, ...] = ()
    issuer: dict[str, str] | None = None  # badges.issuer: name, url, email (Open Badges)
    public_holders: bool = False  # badges.public_holders: holders named on the public index
    badges_url: str | None = None  # badges.pages_url: the export's public URL (award pages)
    curriculum_dir: str = "curriculum"
    cohorts_dir: str = "cohorts"
    templates_dir: str = "templates"
    notifications: tuple[Webhook, ...] = ()  # chat webhooks (see accred_ops/notify/)
    credly: Credly | None = None  # badges.credly


@dataclass(frozen=True)
class Workspace:
    """Everything the local files say: loaded once, validated, then passed to every command."""

    config: Config
    programs: dict[str, Program]
    cohorts: dict[str, Cohort]
    # `file:line: warning: …` for what is allowed but worth a second look (every command
    # prints them on stderr)
    warnings: tuple[str, ...] = field(default=(), compare=False)

    def path_of(self, cohort: Cohort) -> tuple[Program, LearningPath]:
        program = self.programs[cohort.program]
        path = program.path(cohort.path)
        assert path is not None, "validated on load"
        return program, path
