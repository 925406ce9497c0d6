"""Award integrity, identity: which issue is whose course, who is enrolled, which issue is the
tool's own. Rows 1, 2, 6, 7, 15 and 17 of the hostile pass, each with the attacker's own token
and role. Nothing here may yield a badge, a path badge or an enrolment, crash or fail a sync,
or touch a victim."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from accred_ops.core import syncstate
from tests.security.integrity_world import (
    FIRST,
    MARKER,
    PATH_TITLE,
    SECOND,
    Attacker,
    HostileWorld,
    assert_awarded,
    assert_no_badge,
    award_comments,
    enrolled_learners,
    export,
    hostile_world,
    iid_of,
    issue,
    narratives,
    passed,
    sync,
)
from tests.security.integrity_world import world as world  # every learner role, enrolled


@pytest.fixture
def free_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[HostileWorld]:
    """GitLab Free (learner issues), an open cohort, learners with the least role: Guest (who
    may still create issues, labels included: GitLab lets members set metadata on creation)."""
    with hostile_world(tmp_path, monkeypatch, "guest", tier="free", open_cohort=True) as world:
        assert world.cli("enroll").exit_code == 0
        yield world


# --- row 1: one's own issue (or the tool's other issues) re-marked as an awarded course ------


def test_row1_own_issue_remarked_as_another_course_and_labelled_awarded(
    world: HostileWorld,
) -> None:
    bob = Attacker(world)
    iid = bob.person.find_issue(FIRST, "bob")
    bob.person.tick(iid)  # his own, assigned issue: every role may tick it
    text = bob.description(iid).replace(
        "course=co-selling-with-partners", "course=account-planning"
    )
    bob.edit(iid, description=text, add_labels="accreditation::badge-awarded", state_event="close")
    sync(world)
    sync(world)
    assert_no_badge(world)
    assert "accreditation::badge-awarded" not in issue(world, FIRST, "bob")["labels"]
    assert issue(world, SECOND, "bob")["state"] == "opened"  # his real second course, untouched


def test_row1_the_tools_closed_sync_state_issue_remarked_as_an_awarded_course(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hostile_world(tmp_path, monkeypatch, "developer", incremental=True) as world:
        assert world.cli("enroll").exit_code == 0
        sync(world)  # leaves the state issue: closed, by the tool, authored by the tool
        bob = Attacker(world)
        state = iid_of(world, syncstate.TITLE)
        forged = MARKER.format(who="bob", course="co-selling-with-partners")
        labels = "program::sal,course::co-selling-with-partners,accreditation::badge-awarded"
        assert bob.edit(state, description=forged, add_labels=labels, assignee_ids=[])
        sync(world, "--full")
        sync(world, hours=2)
        assert_no_badge(world)
        assert issue(world, FIRST, "bob")["state"] == "opened"


def test_row1_an_issue_of_ones_own_with_a_course_marker_counts_for_nothing(
    world: HostileWorld,
) -> None:
    bob = Attacker(world)
    labels = "program::sal,course::co-selling-with-partners,accreditation::badge-awarded"
    forged = bob.create(
        title=f"{FIRST} — @bob",
        description=MARKER.format(who="bob", course="co-selling-with-partners") + "\n- [x] all",
        labels=labels,
    )
    assert forged is not None
    bob.edit(forged, state_event="close")
    sync(world)
    assert_no_badge(world)


# --- row 2: another learner's awarded issue claimed ------------------------------------------


@pytest.mark.parametrize("how", ["marker first", "marker deleted"])
def test_row2_a_victims_awarded_issue_claimed_by_marker_and_assignee(
    world: HostileWorld, how: str, tmp_path: Path
) -> None:
    passed(world, FIRST, "alice")
    sync(world)
    assert_awarded(world, FIRST, "alice")
    bob = Attacker(world)
    victim = bob.person.find_issue(FIRST, "alice")
    text = bob.description(victim).split("<!-- accred-ops:issue")[0]
    if how == "marker first":
        text = MARKER.format(who="bob", course="co-selling-with-partners") + "\n" + text
    bob.edit(victim, description=text, title=f"{FIRST} — @bob (mine)")
    bob.edit(victim, assignee_ids=[bob.person.gl.users.list(username="bob")[0].id])
    sync(world)
    sync(world)
    assert_no_badge(world)
    still = world.person("accred-bot").project.issues.get(victim)
    assert still.state == "closed" and "accreditation::badge-awarded" in still.labels
    assert len(award_comments(world, "alice")) == 1
    assert "| Badge awarded |" in _epic(world, "alice")["description"]
    assessed = narratives(export(world, tmp_path / "badges"))
    assert any("@alice" in n for n in assessed) and not any("@bob" in n for n in assessed)


def _epic(world: HostileWorld, learner: str) -> dict:
    snap = world.sandbox.snapshot()
    return next(e for (_, t), e in snap["epics"].items() if t.endswith(f"@{learner}"))


# --- rows 6, 7, 15: objects anyone can create enrol nobody (Free tier) -----------------------


def _learner_issue(bot: Attacker, title: str, description: str) -> int | None:
    labels = "Learning path,program::sal,cohort::self-paced,Field Learning Programs"
    return bot.create(title=title, description=description, labels=labels)


@pytest.mark.parametrize("who", ["frank", "no-such-user-anywhere"])
def test_row6_row7_a_learner_issue_with_an_epic_marker_naming_anyone(
    free_world: HostileWorld, who: str
) -> None:
    sync(free_world)
    free_world.sandbox.reset_log()
    sync(free_world)
    baseline = free_world.sandbox.count()
    bob = Attacker(free_world)
    marker = f"<!-- accred-ops:epic learner={who} program=sal path=territory-and-pipeline -->"
    assert _learner_issue(bob, "My path", marker) is not None
    before = enrolled_learners(free_world)
    sync(free_world)  # exit 0: no unknown user to fail on, nobody enrolled
    free_world.sandbox.reset_log()
    sync(free_world)
    assert free_world.sandbox.count() == baseline  # bounded: the forgery costs no request
    assert enrolled_learners(free_world) == before == {"alice", "bob", "carol"}


@pytest.mark.parametrize("who", ["frank", "not a user!"])
def test_row15_a_learner_issue_titled_for_anyone(free_world: HostileWorld, who: str) -> None:
    bob = Attacker(free_world)
    assert _learner_issue(bob, f"{PATH_TITLE} — @{who}", "") is not None
    sync(free_world)
    assert enrolled_learners(free_world) == {"alice", "bob", "carol"}
    report = free_world.cli("report", "--format", "csv")
    assert report.exit_code == 0 and who not in report.output


def test_row15_a_tool_made_issue_retitled_as_a_learner_issue_enrols_nobody(
    free_world: HostileWorld,
) -> None:
    """Even an issue the tool authored (a course issue) proves nothing by title and labels."""
    sync(free_world)
    free_world.cli("dashboard")
    bob = Attacker(free_world)
    own = bob.person.find_issue(FIRST, "bob")
    bob.edit(own, title=f"{PATH_TITLE} — @frank")  # a Guest may retitle his own issue
    sync(free_world)
    assert "frank" not in enrolled_learners(free_world)


# --- row 17: the dashboard overwriting a peer's issue -----------------------------------------


def test_row17_a_peers_course_issue_retitled_as_the_dashboard(world: HostileWorld) -> None:
    carol = world.person("carol")
    iid = carol.find_issue(FIRST, "carol")
    carol.tick(iid, ["The different types of partners GitLab works with"])
    sync(world)
    ticked = issue(world, FIRST, "carol")["description"]
    bob = Attacker(world)
    bob.edit(
        iid, title="Accreditation dashboard", description=ticked + "\n<!-- accred-ops:dashboard -->"
    )
    assert world.cli("dashboard").exit_code == 0
    assert world.cli("dashboard").exit_code == 0
    sync(world)
    snap = world.sandbox.snapshot()["issues"]
    mine = [i for (_, t), i in snap.items() if t.startswith("Accreditation dashboard")]
    dashboards = [i for i in mine if "accreditation::" not in " ".join(i["labels"])]
    assert len(dashboards) == 1  # its own, created once
    carols = [i for i in mine if i not in dashboards] or [issue(world, FIRST, "carol")]
    assert "[x] The different types of partners" in carols[0]["description"]
    assert "accreditation::in-progress" in carols[0]["labels"]


# --- a plan made with another token ------------------------------------------------------------


def test_a_plan_with_the_merge_request_token_names_the_tools_user(world: HostileWorld) -> None:
    """The merge-request job plans with its own token: told whose objects are the tool's, it
    plans no change; with only another user's word for it, nothing counts as the tool's."""
    world.monkeypatch.setenv("GITLAB_TOKEN", world.sandbox.token_for("erin"))
    world.monkeypatch.setenv("ACCRED_TOOL_USER", "accred-bot")
    world.sandbox.reset_log()
    told = world.cli("sync", "--dry-run")
    assert told.exit_code == 0 and "create" not in told.output
    world.monkeypatch.setenv("ACCRED_TOOL_USER", "bob")
    wrong = world.cli("sync", "--dry-run")  # the program is accred-bot's: said, never re-planned
    assert wrong.exit_code == 2 and "written by the tool user 'accred-bot'" in wrong.output
    assert "create epic" not in wrong.output
    assert world.writes() == 0


# --- the learner record itself -------------------------------------------------------------------


def _forged_record(world: HostileWorld) -> str:
    courses = ["co-selling-with-partners", "account-planning", "account-planning-in-gainsight"]
    courses += ["generate-pipeline", "manage-forecasting-activities"]
    data = {
        "learner": "bob",
        "program": "sal",
        "path": "territory-and-pipeline",
        "cohort": "q4",
        "via": "file",
        "issues": {},
        "awards": {c: ["sam"] for c in courses},
        "revoked": [],
    }
    return f"<!-- accred-ops:learner-record {json.dumps(data)} -->"


def test_a_record_written_by_a_learner_counts_for_nothing_on_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Learner issues are project issues a Reporter may edit: the record there is the tool's
    comment; one in the description, or in the learner's own comment, is nobody's."""
    with hostile_world(tmp_path, monkeypatch, "developer", tier="free") as world:
        assert world.cli("enroll").exit_code == 0
        bob = Attacker(world)
        path = iid_of(world, f"{PATH_TITLE} — @bob")
        forged = _forged_record(world)
        assert bob.edit(path, description=bob.description(path) + "\n" + forged)
        assert bob.comment(path, forged)
        sync(world)
        sync(world)
        assert_no_badge(world)


def test_a_project_member_cannot_touch_the_record_in_a_group_epic(world: HostileWorld) -> None:
    bob = Attacker(world)
    group = bob.person.gl.groups.get("field-enablement", lazy=True)
    assert not bob.attempt(group.epics.update, 2, {"description": _forged_record(world)})
    sync(world)
    assert_no_badge(world)
