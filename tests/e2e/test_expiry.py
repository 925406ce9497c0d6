"""Badges that expire, end to end: the sandbox's clock is moved (never slept) and the CLI is
told the time with ACCRED_NOW; the learner record decides, labels only show it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest

from tests.e2e.conftest import free_seed, world_on
from tests.e2e.test_badges_export import KEY, export
from tests.e2e.test_sync import COURSES, FIRST, _enrolled, _epic, _issue
from tests.e2e.timed_world import (
    ROLLING,
    START,
    World,
    _accredited,
    _later,
    _pass_renewal,
    _record,
    _renewal,
    _renewal_iid,
    _renewals,
    _validity,
)
from tests.e2e.timed_world import timed as timed


def test_a_badge_expires_on_schedule_and_the_path_lapses(timed: World) -> None:
    _validity(timed, "validity: {valid_for: 6 months, grace: 14 days}\n")
    _enrolled(timed)
    _accredited(timed, "alice")
    assert _record(timed, "alice")["awarded_on"]["co-selling-with-partners"] == ["2027-01-04"]
    assert "accreditation::accredited" in _epic(timed, "alice")["labels"]
    # due 2027-07-04, valid through the grace: 2027-07-18
    _later(timed, 195)  # 2027-07-18: its last valid day
    assert timed.cli("sync").exit_code == 0
    assert "accreditation::badge-awarded" in _issue(timed, FIRST, "alice")["labels"]
    _later(timed, 1)  # 2027-07-19: expired
    assert timed.cli("sync").exit_code == 0
    # the old issue stays as it was (the history); the current one, the renewal, shows it
    issue = _issue(timed, FIRST, "alice")
    assert "accreditation::badge-awarded" in issue["labels"] and issue["state"] == "closed"
    renewal = _renewal(timed, FIRST, "alice", "2027-H2")
    assert "accreditation::expired" in renewal["labels"]
    assert "accreditation::enrolled" not in renewal["labels"]
    epic = _epic(timed, "alice")
    assert "accreditation::expired" in epic["labels"]
    assert "accreditation::accredited" not in epic["labels"]
    assert epic["state"] == "opened"
    # the award itself stays on record; revocation is another thing
    assert "co-selling-with-partners" in _record(timed, "alice")["awards"]
    assert _record(timed, "alice")["revoked"] == []


def test_a_program_without_validity_never_expires(timed: World) -> None:
    _enrolled(timed)
    _accredited(timed, "alice")
    assert "awarded_on" not in _record(timed, "alice")
    _later(timed, 3 * 365)
    timed.sandbox.reset_log()
    assert timed.cli("sync").exit_code == 0
    assert timed.writes() == 0
    assert "accreditation::accredited" in _epic(timed, "alice")["labels"]


def test_a_renewal_opens_before_expiry_is_awarded_and_moves_the_validity(timed: World) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 150)  # 2027-06-03: the day before the renewal opens
    assert timed.cli("sync").exit_code == 0
    assert _renewals(timed) == []
    _later(timed, 1)  # 2027-06-04: due 2027-07-04 minus 30 days
    assert timed.cli("sync").exit_code == 0
    assert _renewals(timed) == sorted(f"{c} — @alice — renewal 2027-H2" for c in COURSES)
    renewal = _renewal(timed, FIRST, "alice", "2027-H2")
    assert renewal["assignees"] == ["alice"] and renewal["state"] == "opened"
    # the renewal asks the objectives and the exam again, not the practical
    assert "I have taken the written exam" in renewal["description"]
    assert "I have submitted my practical assessment" not in renewal["description"]
    assert "valid until 2027-07-18" in renewal["description"]
    # the old issue and its award stay as they were; the path stays accredited meanwhile
    assert _issue(timed, FIRST, "alice")["state"] == "closed"
    assert "accreditation::accredited" in _epic(timed, "alice")["labels"]
    assert _record(timed, "alice")["renewing"]["co-selling-with-partners"] == "2027-H2"
    timed.sandbox.reset_log()
    assert timed.cli("sync").exit_code == 0
    assert timed.writes() == 0, timed.sandbox.writes()  # opened once

    _pass_renewal(timed, FIRST, "alice", "2027-H2")
    _later(timed, 2)  # 2027-06-06
    assert timed.cli("sync").exit_code == 0
    renewal = _renewal(timed, FIRST, "alice", "2027-H2")
    assert renewal["state"] == "closed"
    assert "accreditation::badge-awarded" in renewal["labels"]
    assert "valid until 2027-12-20" in renewal["notes"][-1]["body"]  # 2027-12-06 + 14 days
    on_record = _record(timed, "alice")
    assert on_record["awarded_on"]["co-selling-with-partners"] == ["2027-01-04", "2027-06-06"]
    assert "co-selling-with-partners" not in on_record.get("renewing", {})

    _later(timed, 43)  # 2027-07-19: the other four badges are past their grace
    assert timed.cli("sync").exit_code == 0
    epic = _epic(timed, "alice")
    assert "accreditation::expired" in epic["labels"] and epic["state"] == "opened"
    assert "accreditation::expired" in _renewal(timed, COURSES[1], "alice", "2027-H2")["labels"]
    assert "accreditation::badge-awarded" in _renewal(timed, FIRST, "alice", "2027-H2")["labels"]

    for course in COURSES[1:]:
        _pass_renewal(timed, course, "alice", "2027-H2")
    assert timed.cli("sync").exit_code == 0
    assert timed.cli("sync").exit_code == 0
    epic = _epic(timed, "alice")
    assert "accreditation::accredited" in epic["labels"] and epic["state"] == "closed"
    assert "accreditation::expired" not in epic["labels"]
    assert sum("are now accredited" in n["body"] for n in epic["notes"]) == 1


def test_status_shows_valid_until_renews_on_and_expired_since(timed: World) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    table = timed.cli("status", "alice").output
    assert "valid until 2027-07-18, renews on 2027-06-04" in table
    _later(timed, 196)  # 2027-07-19
    assert timed.cli("sync").exit_code == 0
    _pass_renewal(timed, FIRST, "alice", "2027-H2")
    assert timed.cli("sync").exit_code == 0
    data = json.loads(timed.cli("status", "alice", "--format", "json").output)
    rows = {row["course"]: row for row in data["courses"]}
    assert rows[FIRST]["valid_until"] == "2028-02-02"  # renewed 2027-07-19: + 6 months + 14 days
    assert rows[FIRST]["expired_since"] is None
    assert rows[FIRST]["url"].endswith(str(_renewal_iid(timed, FIRST, "alice", "2027-H2")))
    assert rows[COURSES[1]]["expired_since"] == "2027-07-19"
    assert "expired since 2027-07-19" in timed.cli("status", "alice").output


def test_badges_export_gives_each_award_its_own_validity(
    timed: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = timed.root / "accred.yml"
    config.write_text(
        config.read_text()
        + "badges:\n  issuer: {name: Field Enablement, url: https://about.gitlab.com, email: e@example.com}\n"
        + "  public_holders: true\n"  # the index lists each award with its validity
    )
    monkeypatch.setenv("ACCRED_BADGE_KEY", KEY)
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 160)  # 2027-06-13: renewals open
    assert timed.cli("sync").exit_code == 0
    _pass_renewal(timed, FIRST, "alice", "2027-H2")
    assert timed.cli("sync").exit_code == 0
    out = tmp_path / "badges"
    result = export(timed, out, "ob2,ob3")
    assert result.exit_code == 0, result.output
    assertions = [json.loads(p.read_text()) for p in (out / "assertions").glob("*.json")]
    first = sorted(
        (a for a in assertions if a["badge"].endswith("co-selling-with-partners.json")),
        key=lambda a: a["issuedOn"],
    )
    # the first award and its renewal: two assertions, each expiring at its own end
    assert [a["expires"] for a in first] == ["2027-07-19T00:00:00Z", "2027-12-28T00:00:00Z"]
    assert first[0]["evidence"][0]["id"] != first[1]["evidence"][0]["id"]
    assert len(assertions) == 5 + 1 + 1  # five courses, one renewal, the path
    claims = [
        jwt.decode(p.read_text().strip(), options={"verify_signature": False})
        for p in (out / "credentials").glob("*.jwt")
    ]
    ends = sorted(c["validUntil"] for c in claims if "Co-Selling" in c["name"])
    assert ends == ["2027-07-19T00:00:00Z", "2027-12-28T00:00:00Z"]
    assert all(c["exp"] > c["nbf"] for c in claims if "validUntil" in c)
    page = (out / "index.html").read_text()
    assert "2027-01-04, valid until 2027-07-18" in page
    assert "(renewal 1), valid until 2027-12-27" in page
    path = next(
        c
        for c in claims
        if c["credentialSubject"]["achievement"]["achievementType"] == "Certification"
    )
    assert path["validUntil"] == "2027-07-19T00:00:00Z"  # the earliest course badge's end


def test_report_and_dashboard_count_valid_expiring_expired_and_renewed(timed: World) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _accredited(timed, "bob")
    _later(timed, 160)  # 2027-06-13: every badge valid until 2027-07-18, renewals open
    assert timed.cli("sync").exit_code == 0
    _pass_renewal(timed, FIRST, "alice", "2027-H2")
    assert timed.cli("sync").exit_code == 0
    _later(timed, 36)  # 2027-07-19: bob's and alice's other badges expired, alice's renewal not
    assert timed.cli("sync").exit_code == 0
    data = json.loads(timed.cli("report", "--format", "json").output)
    counts = {(c["kind"], c["name"]): c for c in data["validity"]["counts"]}
    first = counts[("course", FIRST)]
    assert (first["valid"], first["expired"], first["renewed_on_time"]) == (1, 1, 1)
    assert counts[("course", COURSES[1])]["expired"] == 2
    team = counts[("manager", "")]  # the cohort file names no manager
    assert (team["valid"], team["expired"], team["renewed_on_time"]) == (1, 9, 1)
    markdown = timed.cli("report").output
    assert "## Badges that expire" in markdown
    csv_text = timed.cli("report", "--format", "csv").output
    assert csv_text.splitlines()[0].endswith("valid_until,expired_since,renewals")
    assert "<h2>Badges that expire</h2>" in timed.cli("report", "--format", "html").output
    assert timed.cli("dashboard").exit_code == 0
    board = next(
        i
        for (_, t), i in timed.sandbox.snapshot()["issues"].items()
        if t == "Accreditation dashboard"
    )
    assert "## Badges that expire" in board["description"]


def test_a_report_of_a_program_without_validity_has_no_validity_part(timed: World) -> None:
    _enrolled(timed)
    _accredited(timed, "alice")
    assert "validity" not in json.loads(timed.cli("report", "--format", "json").output)
    assert "Badges that expire" not in timed.cli("report").output


def test_a_stalled_renewal_is_reminded_with_the_days_left(timed: World) -> None:
    _validity(timed, ROLLING)
    with (timed.root / "accred.yml").open("a") as config:
        config.write("reminders:\n  stalled_after_days: 14\n  repeat_every_days: 7\n")
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 151)  # 2027-06-04: the renewals open
    assert timed.cli("sync").exit_code == 0
    _later(timed, 15)  # 2027-06-19: untouched for 15 days
    assert timed.cli("sync").exit_code == 0
    notes = [
        n["body"]
        for n in _renewal(timed, FIRST, "alice", "2027-H2")["notes"]
        if "accred-ops:reminder" in n["body"]
    ]
    assert len(notes) == 1 and "**29 days left** to renew this badge" in notes[0]
    others = _renewal(timed, COURSES[1], "alice", "2027-H2")["notes"]
    assert not any("accred-ops:reminder" in n["body"] for n in others)  # one nudge at a time


@pytest.fixture
def free_timed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """GitLab Free (learner issues, the record in the tool's comment) on a pinned clock."""
    with world_on(free_seed(), tmp_path, monkeypatch, clock=lambda: START) as made:
        made.monkeypatch = monkeypatch  # type: ignore[attr-defined]
        _later(made, 0)
        yield made


def test_on_free_the_learner_issue_lapses_and_returns(free_timed: World) -> None:
    world = free_timed
    _validity(world, ROLLING)
    _enrolled(world)
    _accredited(world, "alice")
    _later(world, 196)  # 2027-07-19: renewals opened and the badges expired in one late run
    assert world.cli("sync").exit_code == 0
    assert len(_renewals(world)) == len(COURSES)
    path = next(
        i
        for (_, t), i in world.sandbox.snapshot()["issues"].items()
        if "Learning path" in i["labels"] and t.endswith("@alice")
    )
    assert "accreditation::expired" in path["labels"] and path["state"] == "opened"
    for course in COURSES:
        _pass_renewal(world, course, "alice", "2027-H2")
    assert world.cli("sync").exit_code == 0
    assert world.cli("sync").exit_code == 0
    path = next(
        i
        for (_, t), i in world.sandbox.snapshot()["issues"].items()
        if "Learning path" in i["labels"] and t.endswith("@alice")
    )
    assert "accreditation::accredited" in path["labels"] and path["state"] == "closed"
    assert len(_renewals(world)) == len(COURSES)


def test_a_run_killed_after_creating_a_renewal_never_opens_it_twice(timed: World) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 151)  # 2027-06-04: the renewals open
    timed.sandbox.faults.crash_at_write(1)  # the first renewal is created, then GitLab is gone
    timed.cli("sync")
    assert _renewals(timed) == [f"{FIRST} — @alice — renewal 2027-H2"]
    assert "renewing" not in _record(timed, "alice")  # killed before the record said so
    timed.sandbox.faults.clear()
    assert timed.cli("sync").exit_code == 0
    assert _renewals(timed) == sorted(f"{c} — @alice — renewal 2027-H2" for c in COURSES)
    assert _record(timed, "alice")["renewing"] == {
        c: "2027-H2" for c in _record(timed, "alice")["awards"]
    }


def test_a_dry_run_shows_the_renewals_it_would_open_and_sends_nothing(timed: World) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    _later(timed, 151)  # 2027-06-04: the renewals are due
    timed.sandbox.reset_log()
    result = timed.cli("sync", "--dry-run")
    assert result.exit_code == 0, result.output
    assert timed.writes() == 0 and _renewals(timed) == []
    assert f"{FIRST} — @alice — renewal 2027-H2" in result.output
