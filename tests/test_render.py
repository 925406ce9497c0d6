"""Text from people is rendered so it cannot run a quick action or break the Markdown."""

from __future__ import annotations

import pytest

from accred_ops.core.checklist import normalize
from accred_ops.render import md


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("Territory & Pipeline", "Territory & Pipeline"),
        ("/close", "\\/close"),
        ('title\n/label ~"exam::passed"', 'title /label \\~"exam::passed"'),
        ("<script>x</script>", "\\<script\\>x\\</script\\>"),
        ("**bold** [link](u) | cell", "\\*\\*bold\\*\\* \\[link\\](u) \\| cell"),
        ("&copy; 2026", "\\&copy; 2026"),
    ],
    ids=[
        "ampersand-kept",
        "leading-slash",
        "newline-cannot-start-a-command",
        "html",
        "markdown",
        "entity",
    ],
)
def test_md_escapes_what_would_change_the_markdown(text: str, rendered: str) -> None:
    assert md(text) == rendered


@pytest.mark.parametrize(
    "objective", ["Read A & B", "Use `git` *well*", "Plan 6, 12, and 18 mos", "C:\\temp [x] | y"]
)
def test_an_escaped_objective_still_matches_its_own_text(objective: str) -> None:
    assert normalize(md(objective)) == normalize(objective)


def test_the_course_issue_says_where_the_exam_is_and_how_to_submit_the_practical() -> None:
    from accred_ops.core.model import Cohort, Course, Learner, LearningPath, Program
    from accred_ops.render import Texts

    course = Course(
        "planning",
        "Planning & more",
        ("Plan things",),
        exam_url="https://lms.example.com/exam?id=1",
        exam_instructions="/close 60 minutes, <b>open</b> book",
        practical_instructions="Record a call; share the link here.",
    )
    path = LearningPath("p", "Path", (course,))
    program = Program("sal", "SAL", (path,))
    cohort = Cohort("q4", "sal", "p", (Learner("alice"),))
    text = Texts(project_url="https://gitlab.example.com/fe/acc").course_issue(
        program, path, course, cohort, "alice"
    )
    submissions = text.index("I have submitted my practical assessment")
    exam = text.index("**Written exam:** [take it here](https://lms.example.com/exam?id=1).")
    assert submissions < exam < text.index("**Practical assessment:** Record a call")
    assert "\\/close 60 minutes, \\<b\\>open\\</b\\> book" in text  # text, never an action
    assert (
        "(https://gitlab.example.com/fe/acc/-/issues/new?issuable_template=Course%20feedback"
        "&issue[title]=Feedback:%20Planning%20%26%20more)" in text
    )


def test_a_program_template_that_forgets_md_still_escapes(tmp_path) -> None:
    """Every `{{ value }}` is escaped unless the code made it safe: a line break cannot start a
    quick action, `@all` is not a mention, `|` stays in its cell."""
    from accred_ops.render import Texts

    (tmp_path / "path_award.md.j2").write_text("{{ learner }} {{ path.title }}\n")

    class Path_:
        title = "x\n/close | @all"

    body = Texts(tmp_path).path_award(None, Path_(), "alice", "<!-- m -->")  # type: ignore[arg-type]
    assert body.splitlines()[0] == "alice x /close \\| \\@all"  # one line: /close is text


def test_names_stay_mentions_only_when_they_are_usernames() -> None:
    from accred_ops.render import mentions, name

    assert name("erin") == "erin" and name("@sam.k") == "sam.k"
    assert name("erin\n/reopen") == "\u2060erin /reopen" and name("all") == "\u2060all"
    assert mentions(["@sam", "members of field-enablement/assessors"]) == (
        "@sam, members of field-enablement/assessors"
    )


def test_links_are_http_only_and_cannot_end_early() -> None:
    from accred_ops.render import url

    assert url("https://lms.example/c(1) x") == "https://lms.example/c%281%29%20x"
    with pytest.raises(ValueError, match="only http"):
        url("javascript:alert(1)")


def test_the_award_comment_names_an_assessor_who_set_both_verdicts_once() -> None:
    from accred_ops.core.model import Course
    from accred_ops.render import Texts

    course = Course("planning", "Planning", ("Plan things",), exam_url="https://x.example/e")
    texts = Texts(project_url="https://gitlab.example.com/fe/acc")
    one = texts.badge_award(
        course, "alice", {"exam::passed": "sam", "practical::approved": "sam"}, "<!-- m -->"
    )
    assert '@sam set ~"exam::passed" and ~"practical::approved"' in one
    assert one.count("@sam") == 1
    two = texts.badge_award(
        course, "alice", {"exam::passed": "sam", "practical::approved": "kim"}, "<!-- m -->"
    )
    assert '@sam set ~"exam::passed" and @kim set ~"practical::approved"' in two


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("scored", "the exam's by accred-ops, from your imported score; the practical's by an"),
        ("rubric", "the practical's by accred-ops, once 2 assessor(s) have scored it against"),
    ],
)
def test_the_course_issue_says_who_sets_a_scored_exams_or_a_rubrics_verdict(
    kind: str, says: str
) -> None:
    """A scored exam's verdict is the tool's, and a rubric's practical label set by hand (an
    assessor's too) is removed: the issue must not tell the learner an assessor sets them."""
    from accred_ops.core.model import Cohort, Course, ExamRules, Learner, LearningPath, Program
    from accred_ops.core.rubric import Criterion, Rubric
    from accred_ops.render import Texts

    rubric = Rubric("call", (Criterion("discovery", "Discovery"),), 1, 5, assessors=2)
    course = Course(
        "c1",
        "One",
        ("Obj",),
        exam=kind == "scored",
        exam_rules=ExamRules(80, None, None) if kind == "scored" else None,
        rubric=rubric if kind == "rubric" else None,
    )
    path = LearningPath("p", "Path", (course,))
    program = Program("sal", "SAL", (path,))
    cohort = Cohort("q4", "sal", "p", (Learner("alice"),))
    text = Texts(project_url="https://gitlab.example.com/fe/acc").course_issue(
        program, path, course, cohort, "alice"
    )
    assert says in text
    assert "Only an assessor can set these labels" not in text
