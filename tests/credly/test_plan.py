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


def test_each_renewal_is_issued_once_with_its_own_expiry() -> None:
    until = dt.datetime(2027, 7, 19, tzinfo=dt.UTC)
    first = _award(valid_until=until)
    renewal = _award(
        issued_on=dt.datetime(2027, 6, 6), valid_until=until.replace(month=12), cycle=1
    )
    steps, _ = plan.plan([first, renewal], CONFIG, {})
    assert [s.key for s in steps] == ["alice:sal:p:c1", "alice:sal:p:c1:renewal-1"]
    assert plan.issue_body(steps[0], "Alice B")["expires_at"] == "2027-07-19 00:00:00 +0000"
    assert plan.issue_body(steps[1], "Alice B")["expires_at"] == "2027-12-19 00:00:00 +0000"
    record = {"alice:sal:p:c1": {"id": "b-1", "state": "issued"}}
    (step,), _ = plan.plan([first, renewal], CONFIG, record)
    assert step.key == "alice:sal:p:c1:renewal-1"
    assert plan.siblings(record, step.key) == {"b-1"}
    record[step.key] = {"id": "b-2", "state": "issued"}
    assert plan.plan([first, renewal], CONFIG, record) == ([], [])
    assert plan.siblings(record, "alice:sal:p:c1") == {"b-2"}
    assert plan.siblings(record, "alice:sal:p:c10") == set()  # another course's key


def test_a_badge_that_never_expires_sends_no_expires_at() -> None:
    (step,), _ = plan.plan([_award()], CONFIG, {})
    assert "expires_at" not in plan.issue_body(step, "Alice B")
