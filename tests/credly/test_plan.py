"""What `badges credly` sends, decided from the awards and the tool's record (pure)."""

from __future__ import annotations

import datetime as dt

from accred_ops.badges.model import Award
from accred_ops.core.model import Course, Credly, LearningPath, Program
from accred_ops.credly import plan

COURSE = Course("c1", "Course One", ("x",), badge_name="SAL: One")
PATH = LearningPath("p", "The Path", (COURSE,))
PROGRAM = Program("sal", "SAL", (PATH,))
CONFIG = Credly("org", (("c1", "tpl-course"), ("p", "tpl-path")))
WHEN = dt.datetime(2026, 12, 1, 9, 41)


def _award(course: Course | None = COURSE, **kw: object) -> Award:
    fields: dict = {
        "learner": "Alice",
        "profile_url": "https://gitlab.example.com/alice",
        "email": "alice@example.com",
        "program": PROGRAM,
        "path": PATH,
        "course": course,
        "issued_on": WHEN,
        "evidence_url": "https://gitlab.example.com/i/1",
        "assessors": ("sam",),
    }
    return Award(**(fields | kw))


def test_course_and_path_awards_are_issued_once() -> None:
    steps, notes = plan.plan([_award(), _award(None)], CONFIG, {})
    assert [(s.kind, s.template, s.key) for s in steps] == [
        ("issue", "tpl-course", "alice:sal:p:c1"),
        ("issue", "tpl-path", "alice:sal:p:-"),
    ]
    record = {s.key: {"id": f"id-{s.template}", "state": "issued"} for s in steps}
    assert plan.plan([_award(), _award(None)], CONFIG, record) == ([], [])
    assert notes == []


def test_a_revoked_award_is_revoked_once_and_never_issued() -> None:
    revoked = _award(revoked=True, revocation_reason="copied")
    assert plan.plan([revoked], CONFIG, {}) == ([], [])
    record = {"alice:sal:p:c1": {"id": "b-1", "state": "issued"}}
    (step,), _ = plan.plan([revoked], CONFIG, record)
    assert (step.kind, step.badge_id) == ("revoke", "b-1")
    assert plan.revoke_body(step) == {
        "reason": "copied",
        "suppress_revoke_notification_email": False,
    }
    record["alice:sal:p:c1"]["state"] = "revoked"
    assert plan.plan([revoked], CONFIG, record) == ([], [])


def test_no_email_is_named_and_no_template_is_skipped() -> None:
    other = Course("c2", "Two", ("y",))
    steps, notes = plan.plan([_award(email=None), _award(other)], CONFIG, {})
    assert steps == [] and notes == [
        "@Alice: no email in the cohort file, so no Credly badge tpl-course (add `email:` to the learner)"
    ]


def test_the_issue_body_follows_credlys_reference() -> None:
    (step,), _ = plan.plan([_award()], CONFIG, {})
    assert plan.issue_body(step, "Alice van der Berg") == {
        "recipient_email": "alice@example.com",
        "badge_template_id": "tpl-course",
        "issued_at": "2026-12-01 09:41:00 +0000",
        "issued_to_first_name": "Alice van der",
        "issued_to_last_name": "Berg",
        "issuer_earner_id": "alice",
    }
    one_word = plan.issue_body(step, "Cher")
    assert (one_word["issued_to_first_name"], one_word["issued_to_last_name"]) == ("Cher", "Cher")


def test_the_record_survives_its_text_and_refuses_a_broken_one() -> None:
    record = {"alice:sal:p:c1": {"id": "b-<1>", "state": "issued"}}
    assert plan.parse(plan.render(record)) == record
    assert "<1>" not in plan.render(record)
    assert plan.parse("<!-- accred-ops:credly-record {broken -->") == {}
