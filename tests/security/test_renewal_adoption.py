"""A renewal issue a killed run created but never recorded is adopted by its title, cycle and
course: attacked by a learner of each role. Only the tool's own issue whose history shows no
other hand (assignees, `course::` labels) is adopted, as for course issues (identity rule 4 of
docs/security.md). On the sandbox with the clock moved, through the CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import seed_with, world_on
from tests.e2e.test_sync import COURSES, FIRST, _enrolled
from tests.e2e.timed_world import (
    ROLLING,
    START,
    World,
    _accredited,
    _later,
    _pin,
    _record,
    _validity,
)

CYCLE = "2027-H2"  # renewals of awards made 2027-01-04, due 2027-07-04, open from 2027-06-04
ROLES = {"guest": 10, "reporter": 20, "developer": 30}
OTHER = "account-planning"  # COURSES[1]
COURSES_ID = ("co-selling-with-partners", OTHER)


@pytest.fixture(params=sorted(ROLES))
def learner_role(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """The timed world in which alice, the attacker, has the role of the parameter."""
    seed = seed_with("dana")
    for member in seed["projects"][0]["members"]:
        if member["username"] == "alice":
            member["access_level"] = ROLES[request.param]
    with world_on(seed, tmp_path, monkeypatch, clock=lambda: START) as made:
        made.monkeypatch = monkeypatch  # type: ignore[attr-defined]
        _pin(made)
        _validity(made, ROLLING)
        _enrolled(made)
        _accredited(made, "alice")
        yield made


def _titled(world: World, title: str) -> list:
    found = world.person("accred-bot").project.issues.list(search=title, state="all", get_all=True)
    return sorted((i for i in found if i.title == title), key=lambda i: i.iid)


def _renewal_title(course_title: str) -> str:
    return f"{course_title} — @alice — renewal {CYCLE}"


def _the_renewals_are_the_tools(world: World) -> None:
    """Every course's renewal on record is an issue the tool authored, titled for its course."""
    on_record = _record(world, "alice")
    assert on_record["renewing"] == dict.fromkeys(on_record["awards"], CYCLE)
    bot = world.person("accred-bot").project
    for course in on_record["renewing"]:
        issue = bot.issues.get(on_record["iids"][course])
        assert issue.author["username"] == "accred-bot"
        assert issue.title.endswith(f" — @alice — renewal {CYCLE}")
        assert f"course::{course}" in issue.labels


def test_a_learners_own_issue_titled_as_the_renewal_is_not_the_renewal(
    learner_role: World,
) -> None:
    """Before the renewal opens, alice opens an issue titled, marked and labelled as her
    renewal, assigned to herself (a Guest may set labels and assignees on a new issue)."""
    w = learner_role
    _later(w, 140)  # 2027-05-24: before the renewal opens
    alice = w.person("alice").project
    original = alice.issues.get(w.person("alice").find_issue(FIRST, "alice"))
    forged = alice.issues.create(
        {
            "title": _renewal_title(FIRST),
            "description": original.description,
            "labels": ",".join(label for label in original.labels if "::" in label),
            "assignee_ids": [a["id"] for a in original.assignees],
        }
    )
    _later(w, 11)  # 2027-06-04: the renewals open; a run is killed after the first write
    w.sandbox.faults.crash_at_write(1)
    w.cli("sync")
    w.sandbox.faults.clear()
    assert w.cli("sync").exit_code == 0
    assert forged.id not in _record(w, "alice")["issues"].values()
    assert [i.author["username"] for i in _titled(w, _renewal_title(FIRST))].count(
        "accred-bot"
    ) == 1
    _the_renewals_are_the_tools(w)


def test_a_killed_runs_renewal_dressed_as_another_courses_is_not_adopted(
    learner_role: World,
) -> None:
    """A run is killed right after it created alice's first renewal (the tool's, assigned to
    her, on no record yet). alice retitles it, re-marks it and (as a Reporter or Developer)
    relabels it as the renewal of another course, to have it adopted for that course."""
    w = learner_role
    _later(w, 151)  # 2027-06-04: the renewals open
    w.sandbox.faults.crash_at_write(1)
    w.cli("sync")
    w.sandbox.faults.clear()
    (orphan,) = _titled(w, _renewal_title(FIRST))
    alice = w.person("alice").project
    description = orphan.description.replace(f"course={COURSES_ID[0]}", f"course={OTHER}")
    alice.issues.update(
        orphan.iid,
        {
            "title": _renewal_title(COURSES[1]),
            "description": description,
            "add_labels": f"course::{OTHER}",
            "remove_labels": f"course::{COURSES_ID[0]}",
        },
    )
    assert w.cli("sync").exit_code == 0
    on_record = _record(w, "alice")
    assert on_record["iids"][OTHER] != orphan.iid
    assert orphan.iid not in on_record["iids"].values()
    _the_renewals_are_the_tools(w)
    assert len(_titled(w, _renewal_title(COURSES[1]))) == 2  # the dressed one and the tool's
