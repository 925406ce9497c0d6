"""Badges that expire, attacked: the learner record and the run's clock decide expiry and
renewal; nothing a learner can edit (labels, titles, state, verdicts) postpones an expiry, awards
a renewal or opens a second one. On the sandbox with the clock moved, through the CLI."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.test_sync import COURSES, FIRST, _enrolled, _epic, _issue
from tests.e2e.timed_world import (
    ROLLING,
    World,
    _accredited,
    _later,
    _record,
    _renewal,
    _renewal_iid,
    _renewals,
    _validity,
)
from tests.e2e.timed_world import timed as timed

CYCLE = "2027-H2"  # renewals of awards made 2027-01-04, due 2027-07-04


def _expired(world: World) -> None:
    """alice accredited on 2027-01-04, then the clock moved past every badge's grace."""
    _validity(world, ROLLING)
    _enrolled(world)
    _accredited(world, "alice")
    _later(world, 196)  # 2027-07-19
    assert world.cli("sync").exit_code == 0


def test_removing_the_expired_label_changes_nothing(timed: World) -> None:
    _expired(timed)
    alice = timed.person("alice")
    iid = _renewal_iid(timed, FIRST, "alice", CYCLE)
    alice.remove_label(iid, "accreditation::expired")
    alice.add_label(iid, "accreditation::badge-awarded")
    assert timed.cli("sync").exit_code == 0
    labels = _renewal(timed, FIRST, "alice", CYCLE)["labels"]
    assert "accreditation::expired" in labels and "accreditation::badge-awarded" not in labels
    assert "accreditation::expired" in _epic(timed, "alice")["labels"]


def test_self_set_verdicts_on_a_renewal_award_nothing(timed: World) -> None:
    _expired(timed)
    alice = timed.person("alice")
    iid = _renewal_iid(timed, FIRST, "alice", CYCLE)
    alice.tick(iid)
    alice.add_label(iid, "exam::passed")
    assert timed.cli("sync").exit_code == 0
    renewal = _renewal(timed, FIRST, "alice", CYCLE)
    assert "exam::passed" not in renewal["labels"]
    assert renewal["state"] == "opened"
    assert _record(timed, "alice")["awarded_on"]["co-selling-with-partners"] == ["2027-01-04"]
    assert "accreditation::expired" in _epic(timed, "alice")["labels"]


def test_closing_or_retitling_a_renewal_neither_renews_nor_duplicates_it(timed: World) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 160)  # 2027-06-13: the renewals are open
    assert timed.cli("sync").exit_code == 0
    alice = timed.person("alice")
    iid = _renewal_iid(timed, FIRST, "alice", CYCLE)
    alice.set_state(iid, "close")
    other = _renewal_iid(timed, COURSES[1], "alice", CYCLE)
    alice.project.issues.update(other, {"title": "Account Planning — done, honest"})
    _later(timed, 36)  # 2027-07-19: past the grace
    assert timed.cli("sync").exit_code == 0
    assert len(_renewals(timed)) == len(COURSES) - 1  # one was retitled, none was opened again
    on_record = _record(timed, "alice")
    assert on_record["awarded_on"]["co-selling-with-partners"] == ["2027-01-04"]
    assert on_record["renewing"]["account-planning"] == CYCLE
    epic = _epic(timed, "alice")
    assert "accreditation::expired" in epic["labels"] and epic["state"] == "opened"


def test_enrolled_again_across_a_renewal_keeps_one_renewal(timed: World) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 160)
    assert timed.cli("sync").exit_code == 0
    # alice moves to another cohort file for the same path (listed once, as the rules ask)
    cohort = timed.root / "cohorts" / "q4.yml"
    text = cohort.read_text()
    cohort.write_text(text.replace("  - alice\n", ""))
    Path(timed.root / "cohorts" / "q5.yml").write_text(
        text.replace("id: q4", "id: q5").replace("  - bob\n", "").replace("  - carol\n", "")
    )
    assert timed.cli("enroll").exit_code == 0
    assert timed.cli("sync").exit_code == 0
    assert len(_renewals(timed)) == len(COURSES)
    assert _record(timed, "alice")["cohort"] == "q5"
    assert _issue(timed, FIRST, "alice")["state"] == "closed"
    assert "accreditation::accredited" in _epic(timed, "alice")["labels"]


WINDOWS = "validity: {renew_on: ['01-15', '07-15'], grace: 14 days, renew_before: 30 days}\n"


def test_an_award_a_minute_before_its_window_counts_for_that_window(timed: World) -> None:
    _validity(timed, WINDOWS)
    _enrolled(timed)
    _later(timed, 191 + 13 / 24 + 59 / 1440)  # 2027-07-14 23:59
    _accredited(timed, "alice")
    assert _record(timed, "alice")["awarded_on"]["co-selling-with-partners"] == ["2027-07-14"]
    _later(timed, 1 / 1440 + 20)  # 2027-08-04: past the window and its grace
    assert timed.cli("sync").exit_code == 0
    assert _renewals(timed) == []  # due at the next window, 2028-01-15
    assert "accreditation::accredited" in _epic(timed, "alice")["labels"]
    _later(timed, 133)  # 2027-12-15: the day before the renewal opens
    assert timed.cli("sync").exit_code == 0
    assert _renewals(timed) == []
    _later(timed, 1)  # 2027-12-16: 30 days before 2028-01-15
    assert timed.cli("sync").exit_code == 0
    assert _renewals(timed) == sorted(f"{c} — @alice — renewal 2028-H1" for c in COURSES)
