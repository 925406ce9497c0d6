"""core/renewal.py and core/expiry.py: which cycle is due, which issue is the renewal, and
what the record's dates say, on pinned days."""

from __future__ import annotations

import datetime as dt

from accred_ops.core import expiry, renewal
from accred_ops.core.marker import EpicKey
from accred_ops.core.model import Course
from accred_ops.core.record import LearnerRecord, parse, render
from accred_ops.core.state import Issue
from accred_ops.core.validity import Period, Renewal, Validity

D = dt.date
VALIDITY = Validity(Period(6, "month"), grace=Period(14, "day"))
COURSE = Course(
    "c", "Course", ("Do a", "Do b"), validity=VALIDITY, renewal=Renewal(("Do b",), True, False)
)
KEY = EpicKey("alice", "p", "path")


def _issue(gid: int, title: str = "Course — @alice") -> Issue:
    return Issue(gid, gid, title, "", ("course::c",), "opened", f"https://x/-/issues/{gid}")


def _record(**changes: object) -> LearnerRecord:
    values: dict[str, object] = {
        "issues": {"c": 1},
        "iids": {"c": 1},
        "awards": {"c": ("sam",)},
        "awarded_on": {"c": ("2027-01-04",)},
    }
    return LearnerRecord(KEY, "q4", **{**values, **changes})  # type: ignore[arg-type]


def test_the_renewal_is_due_renew_before_the_due_date() -> None:
    on_record = _record()
    assert renewal.due_cycle(COURSE, on_record, D(2027, 6, 3)) is None
    assert renewal.due_cycle(COURSE, on_record, D(2027, 6, 4)) == "2027-H2"
    assert renewal.to_open(COURSE, on_record, D(2027, 6, 4)) == "2027-H2"
    assert renewal.to_open(COURSE, _record(renewing={"c": "2027-H2"}), D(2027, 6, 4)) is None


def test_no_renewal_for_a_revoked_badge_or_one_that_never_expires() -> None:
    assert renewal.due_cycle(COURSE, _record(revoked=("c",)), D(2027, 7, 1)) is None
    forever = Course("c", "Course", ("Do a",))
    assert renewal.due_cycle(forever, _record(), D(2030, 1, 1)) is None


def test_which_issue_is_the_renewal() -> None:
    today = D(2027, 6, 10)
    assert renewal.renewing(COURSE, _record(), _issue(1), today) is None  # the awarded one
    assert renewal.renewing(COURSE, _record(), _issue(2), today) == "2027-H2"  # a newer one
    named = _record(issues={"c": 2}, renewing={"c": "2027-H2"})
    assert renewal.renewing(COURSE, named, _issue(2), today) == "2027-H2"


def test_an_orphan_is_adopted_only_by_its_cycle_title() -> None:
    wanted = _issue(7, "Course — @alice — renewal 2027-H2")
    other = _issue(8, "Course — @alice — renewal 2027-H1")
    label = "course::c"
    assert renewal.orphan(COURSE, "alice", "2027-H2", [other, wanted], label) == (wanted,)
    assert renewal.orphan(COURSE, "alice", "2027-H2", [other], label) == ()
    # the title alone is not enough: its course:: label must name the course too
    assert renewal.orphan(COURSE, "alice", "2027-H2", [wanted], "course::other") == ()


def test_the_renewal_asks_what_the_course_says() -> None:
    asked = renewal.view(COURSE)
    assert asked.objectives == ("Do b",) and asked.exam and not asked.practical


def test_expiry_follows_the_latest_award_on_record() -> None:
    assert not expiry.is_expired(COURSE, _record(), "2027-01-04", D(2027, 7, 18))
    assert expiry.is_expired(COURSE, _record(), "2027-01-04", D(2027, 7, 19))
    renewed = _record(awarded_on={"c": ("2027-01-04", "2027-06-20")})
    assert not expiry.is_expired(COURSE, renewed, "2027-06-20", D(2027, 7, 19))
    shown = expiry.shown(COURSE, _record(), D(2027, 7, 19))
    assert shown is not None and shown.expired_since == "2027-07-19"


def test_an_undated_award_is_dated_once() -> None:
    assert expiry.needs_dating(COURSE, _record(awarded_on={}))
    assert not expiry.needs_dating(COURSE, _record())


def test_the_record_round_trips_its_dates_cycle_and_history() -> None:
    on_record = _record().with_renewing("c", "2027-H2").with_issues({"c": 2}, {"c": 2})
    assert on_record.earlier == {"c": (1,)}
    assert parse(render(on_record)) == on_record
    renewed = on_record.with_award_date("c", "2027-06-20")
    assert renewed.renewing == {} and renewed.awarded_on["c"] == ("2027-01-04", "2027-06-20")
    assert "awarded_on" not in render(LearnerRecord(KEY, "q4"))  # nothing new for others
