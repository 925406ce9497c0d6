"""Rendering the texts accred-ops writes to GitLab, from Jinja2 templates.

Defaults ship inside the package; a program repository overrides any of them by putting a file
of the same name in its `templates/` folder. Templates only fill blanks: everything is computed
before rendering, and the hidden markers are added here, in code, so that a template edit can
never break how the tool finds its own issues and comments again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

import jinja2

from accred_ops.core import marker
from accred_ops.core.assessment import Route
from accred_ops.core.context import ProgressRow
from accred_ops.core.enrollment import Choice, Decision
from accred_ops.core.feedback import feedback_url
from accred_ops.core.model import Cohort, Course, Labels, LearningPath, Program
from accred_ops.core.reminders import Reminder
from accred_ops.core.scores import Attempt, ScoreRow
from accred_ops.render.markdown import Safe, md, mentions, name, url
from accred_ops.render.rubric import RubricTexts
from accred_ops.render.validity import ValidityTexts

TEMPLATE_NAMES = (
    "course_issue.md.j2",
    "learner_epic.md.j2",
    "epic_progress.md.j2",
    "badge_award.md.j2",
    "path_award.md.j2",
    "verdict_refused.md.j2",
    "verdict_restored.md.j2",
    "badge_revoked.md.j2",
    "reminder_learner.md.j2",
    "reminder_assessors.md.j2",
    "enrollment_reply.md.j2",
    "assessment_routed.md.j2",
    "verdict_failed.md.j2",
    "feedback_reply.md.j2",
    "renewal_issue.md.j2",
    "award_validity.md.j2",
    "renewal_days_left.md.j2",
    "rubric_tally.md.j2",
    "rubric_moderation.md.j2",
    "rubric_form_problem.md.j2",
    "rubric_results.md.j2",
    "rubric_next.md.j2",
    "rubric_label_refused.md.j2",
    "exam_score.md.j2",
    "practical_open.md.j2",
    "practical_too_early.md.j2",
)


def _link_or_text(value: str | None) -> Safe | None:
    """A web address GitLab gave, or a placeholder (a dry run's "(created by this run)")."""
    if not value:
        return None
    return url(value) if re.match(r"https?://", value, re.IGNORECASE) else md(value)


def finalize(value: Any) -> Any:
    """Every `{{ value }}` of every template, including a program's own templates, goes through
    `md` unless the code marked it safe: a template author who forgets `| md` cannot let a
    newline, a quick action, a mention or a table pipe through."""
    if isinstance(value, Safe | int) or value is None:
        return value
    return md(value)


AwardLink = Callable[[str, str, str, str], str]  # learner, program, path, course ("": path)


def _page(texts: Texts, learner: str, program: str, path: str, course: str) -> Safe | None:
    """The award's page URL for its comment, when award pages are configured: badges/links.py
    then gives `texts` an `award_link` (AwardLink) and `course_paths` (course -> program, path)."""
    link: AwardLink | None = getattr(texts, "award_link", None)
    if link is None or not program:
        return None
    return url(link(learner, program, path, course))


def _course_links(texts: Texts, learner: str, course: Course) -> dict[str, Safe | None]:
    places: dict[str, tuple[str, str]] = getattr(texts, "course_paths", {})
    program, path = places.get(course.id, ("", ""))  # "": in several paths, no single award
    page_url = _page(texts, learner, program, path, course.id)
    return {"feedback_url": texts.feedback_url(course), "page_url": page_url}


def _path_award_vars(
    texts: Texts, learner: str, program: Program, path: LearningPath
) -> dict[str, Any]:
    program_id = program.id if program else ""
    page_url = _page(texts, learner, program_id, path.id if program else "", "")
    return {"learner": name(learner), "program": program, "path": path, "page_url": page_url}


class _ScoreTexts:
    """The texts of imported exam scores, of the award (which may rest on one) and of the
    practical opening after the exam (core/scores.py, core/practical.py), beside `Texts`."""

    labels: Labels
    _render: Callable[..., str]
    manager: Callable[[str], Safe | None]
    feedback_url: Callable[[Course], Safe]

    def exam_score(
        self,
        course: Course,
        learner: str,
        row: ScoreRow,
        attempt: Attempt,
        remaining: int | None,
        note_marker: str,
    ) -> str:
        """An imported exam score: the evidence a score-based verdict rests on (core/scores.py)."""
        body = self._render(
            "exam_score.md.j2",
            learner=name(learner),
            course=course,
            row=row,
            percent=f"{row.percent:g}",
            score=f"{row.score:g}",
            max_score=f"{row.max_score:g}",
            attempt=attempt,
            remaining=remaining,
            rules=course.exam_rules,
            passed=Safe(f'~"{self.labels.exam_passed}"'),
            failed=Safe(f'~"{self.labels.exam_failed}"'),
        )
        return body + "\n" + note_marker + "\n"

    def badge_award(
        self,
        course: Course,
        learner: str,
        assessors: dict[str, str],
        note_marker: str,
        score: float | None = None,
    ) -> str:
        """`assessors` maps each verdict label to the assessor whose verdict the award rests on;
        `score`, the imported exam score the exam verdict rests on, if it does."""
        by_whom: dict[str, list[str]] = {}  # one assessor who set both is named once
        words = []
        for label, who in assessors.items():
            scored = self._award_word(label, course, score)
            if scored:
                words.append(scored)
            else:
                by_whom.setdefault(who, []).append(f'~"{label}"')
        words += [f"@{name(who)} set {' and '.join(labels)}" for who, labels in by_whom.items()]
        body = self._render(
            "badge_award.md.j2",
            learner=name(learner),
            course=course,
            badge_name=course.badge_name,
            verdicts=Safe(" and ".join(words)),
            manager=self.manager(learner),
            **_course_links(self, learner, course),  # feedback_url, page_url
        )
        return body + "\n" + note_marker + "\n"

    def _award_word(self, label: str, course: Course, score: float | None) -> str:
        """The exam verdict of an award that rests on an imported score, in words ("" if not)."""
        if score is None or label != self.labels.exam_passed or course.exam_rules is None:
            return ""
        pass_mark = course.exam_rules.pass_mark
        return f"the written exam was passed with {score:g} % (pass mark {pass_mark} %)"

    def practical_too_early(self, label: str, actor: str, note_marker: str) -> str:
        """A practical verdict set before the exam passed (core/practical.py): removed, and why."""
        body = self._render("practical_too_early.md.j2", label=Safe(label), actor=name(actor))
        return body + "\n" + note_marker + "\n"

    def practical_open(
        self, course: Course, learner: str, mentions: Sequence[str], note_marker: str
    ) -> str:
        """The exam is passed: the practical opens, and the assessors are asked for it."""
        body = self._render(
            "practical_open.md.j2",
            learner=name(learner),
            course=course,
            mentions=Safe(" ".join(f"@{name(m.lstrip('@'))}" for m in mentions) or "Assessors"),
            approved=Safe(f'~"{self.labels.practical_approved}"'),
            changes=Safe(f'~"{self.labels.practical_changes_requested}"'),
        )
        return body + "\n" + note_marker + "\n"


class Texts(_ScoreTexts, ValidityTexts, RubricTexts):
    """Every text accred-ops writes, rendered from the (possibly overridden) templates."""

    def __init__(
        self,
        override_dir: Path | None = None,
        labels: Labels | None = None,
        project_url: str = "https://gitlab.example.com/project",
        managers: dict[str, str] | None = None,
        users: Callable[[], Collection[str]] | None = None,
    ) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if override_dir is not None and override_dir.is_dir():
            loaders.append(jinja2.FileSystemLoader(str(override_dir)))
        loaders.append(jinja2.PackageLoader("accred_ops", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            finalize=finalize,
        )
        self.env.filters["md"] = md
        self.env.filters["url"] = url
        self.env.filters["link"] = _link_or_text  # a URL GitLab gave, or a dry run's placeholder
        self.labels = labels or Labels()
        self.project_url = project_url  # for links to the project (the feedback template)
        # learner (lowercase) -> manager, for cohorts with `notify_manager: true`
        self.managers = dict(managers or {})
        self.users = users  # lowercased project members, read only to mention a manager

    def feedback_url(self, course: Course) -> Safe:
        return url(feedback_url(self.project_url, course.title))

    def manager(self, learner: str) -> Safe | None:
        """The learner's manager, if the cohort names one: mentioned only when GitLab knows them
        as a member of the project. A cohort file is untrusted text, and a group path reads
        like a username: `@field-enablement` would notify every member of the group, so any
        other name is shown as text (behind a word joiner, so the template's `@` mentions nobody)."""
        found = self.managers.get(learner.lower())
        if not found:
            return None
        if self.users is not None and found.removeprefix("@").lower() not in self.users():
            return Safe("\u2060" + md(found.removeprefix("@")))
        return name(found)

    def source(self, name: str) -> str:
        """A template's text, as used (the program's override, else the package's)."""
        assert self.env.loader is not None
        return self.env.loader.get_source(self.env, name)[0]

    def _render(self, name: str, **context: Any) -> str:
        text = self.env.get_template(name).render(**context)
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def course_issue(
        self, program: Program, path: LearningPath, course: Course, cohort: Cohort, learner: str
    ) -> str:
        index = path.courses.index(course)
        due = cohort.due_date(index)
        body = self._render(
            "course_issue.md.j2",
            learner=name(learner),
            program=program,
            path=path,
            course=course,
            course_number=index + 1,
            course_count=len(path.courses),
            due_date=due.isoformat() if due else None,
            submission_items=course.submission_items,
            verdict_words=self._verdict_words(course),
            feedback_url=self.feedback_url(course),
        )
        key = marker.IssueKey(learner.lower(), program.id, path.id, course.id)
        return body + "\n" + marker.issue_marker(key) + "\n"

    def _verdict_words(self, course: Course) -> str:
        """The labels that pass a course, as GitLab Markdown references: ~"exam::passed" and …"""
        verdicts = [self.labels.exam_passed] if course.exam else []
        verdicts += [self.labels.practical_approved] if course.practical else []
        return Safe(" and ".join(f'~"{v}"' for v in verdicts))

    def progress(self, rows: Sequence[ProgressRow], awarded: int) -> str:
        return self._render("epic_progress.md.j2", rows=rows, awarded=awarded)

    def learner_epic(
        self,
        program: Program,
        path: LearningPath,
        cohort: Cohort | None,
        learner: str,
        progress: str,
    ) -> str:
        section = marker.replace_section("", progress).strip()
        body = self._render(
            "learner_epic.md.j2",
            learner=name(learner),
            program=program,
            path=path,
            cohort=cohort.id if cohort else None,
            progress=Safe(section),
        )
        if marker.PROGRESS_START not in body:
            body = marker.replace_section(body, progress)
        key = marker.EpicKey(learner.lower(), program.id, path.id)
        return body + "\n" + marker.epic_marker(key) + "\n"

    def assessment_routed(
        self, course: Course, learner: str, route: Route, note_marker: str
    ) -> str:
        """Tells the assessors (or the one chosen) that an issue has entered assessment."""
        failing = [self.labels.exam_failed] if course.exam else []
        failing += [self.labels.practical_changes_requested] if course.practical else []
        body = self._render(
            "assessment_routed.md.j2",
            learner=name(learner),
            course=course,
            mentions=Safe(" ".join(f"@{name(who)}" for who in route.mentions) or "Assessors"),
            assignee=name(route.assignee) if route.assignee else None,
            manager=name(route.manager) if route.manager else None,
            mode=route.mode,
            verdict_words=self._verdict_words(course),
            failing_words=Safe(" or ".join(f'~"{v}"' for v in failing)),
            scoring_form=Safe(self.scoring_form(course)),
            labels=self.labels,
        )
        return body + "\n" + note_marker + "\n"

    def verdict_failed(
        self, course: Course, learner: str, label: str, assessor: str, note_marker: str
    ) -> str:
        """What a learner does after a failing verdict: retake, and the stage stays."""
        exam = label == self.labels.exam_failed
        body = self._render(
            "verdict_failed.md.j2",
            learner=name(learner),
            course=course,
            label=Safe(label),  # a label name accred.yml gives (validated: no quote)
            assessor=name(assessor),
            kind="exam" if exam else "practical",
            passing=Safe(self.labels.exam_passed if exam else self.labels.practical_approved),
        )
        return body + "\n" + note_marker + "\n"

    def feedback_reply(self, author: str, programs: Sequence[Program], note_marker: str) -> str:
        """The one reply to feedback that names no known course: the ids to choose from."""
        body = self._render("feedback_reply.md.j2", author=name(author), programs=programs)
        return body + "\n" + note_marker + "\n"

    def path_award(
        self, program: Program, path: LearningPath, learner: str, note_marker: str
    ) -> str:
        body = self._render("path_award.md.j2", **_path_award_vars(self, learner, program, path))
        return body + "\n" + note_marker + "\n"

    def verdict_refused(
        self, label: str, actor: str, assessors: Sequence[str], note_marker: str
    ) -> str:
        """A verdict label added by someone who may not judge: removed, and why."""
        return self._verdict_note("verdict_refused.md.j2", label, actor, assessors, note_marker)

    def verdict_restored(
        self, label: str, actor: str, assessors: Sequence[str], note_marker: str
    ) -> str:
        """An assessor's verdict removed by someone else: put back, and why."""
        return self._verdict_note("verdict_restored.md.j2", label, actor, assessors, note_marker)

    def _verdict_note(
        self, template: str, label: str, actor: str, assessors: Sequence[str], note_marker: str
    ) -> str:
        body = self._render(
            template, label=Safe(label), actor=name(actor), assessors=mentions(assessors)
        )
        return body + "\n" + note_marker + "\n"

    def badge_revoked(
        self,
        course: Course,
        learner: str,
        reason: str,
        by: str,
        note_marker: str,
        private_reason: str = "",
        renewal: str | None = None,
    ) -> str:
        """The revocation comment: `reason` is public (Open Badges publish it as the
        revocation reason); `private_reason` stays in this comment only; `renewal`, the cycle
        of the open renewal the revocation ends (closed with it)."""
        body = self._render(
            "badge_revoked.md.j2",
            learner=name(learner),
            badge_name=course.badge_name,
            reason=reason,
            by=name(by),
            private_reason=private_reason,
            renewal=renewal,
        )
        return body + "\n" + note_marker + "\n"

    def reminder(
        self, course: Course, learner: str, due: Reminder, mentions: Sequence[str], note_marker: str
    ) -> str:
        body = self._render(
            f"reminder_{due.to}.md.j2",
            learner=name(learner),
            course=course,
            reason=due.reason,
            quiet_days=due.quiet_days,
            mentions=Safe(" ".join(f"@{name(m)}" for m in mentions)),
            verdict_words=self._verdict_words(course),
        )
        return body + "\n" + note_marker + "\n"

    def enrollment_reply(
        self,
        decision: Decision,
        choices: Sequence[Choice],
        epic_url: str | None,
        allowed_groups: Sequence[str],
        note_marker: str,
    ) -> str:
        """The answer to a self-enrollment request. Nothing of the request's text is used."""
        choice = decision.choice
        body = self._render(
            "enrollment_reply.md.j2",
            outcome=str(decision.outcome),
            learner=name(decision.learner),
            program=choice.program if choice else None,
            path=choice.path if choice else None,
            epic_url=_link_or_text(epic_url),
            choices=choices,
            allowed_groups=", ".join(allowed_groups),
        )
        return body + "\n" + note_marker + "\n"
