"""Self-enrollment by issue, end to end: learners open requests from the real issue template
(its quick action applies the label), `sync` enrols the author, replies and closes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from accred_ops.app.demo import GROUP, PROJECT, write_workspace
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.people import Person
from tests.conftest import ROOT, copy_program
from tests.e2e.conftest import World, seed_with

TEMPLATE = (ROOT / ".gitlab" / "issue_templates" / "Accreditation enrollment.md").read_text()
REQUEST_LABEL = "accreditation::enrollment-request"


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The e2e world, plus the shipped open cohort `self-paced`; frank and gina are project
    members (Reporter) in no cohort. (A non-member cannot open an issue in a private project.)"""
    seed = seed_with("dana", "frank", "gina")
    seed["projects"][0]["members"] += [
        {"username": name, "access_level": 20} for name in ("frank", "gina")
    ]
    seed["groups"].append({"path": "field-enablement/sales", "members": []})
    with Sandbox(seed) as sandbox:
        copy_program(tmp_path)
        (tmp_path / "cohorts" / "example.yml").unlink()
        write_workspace(
            tmp_path,
            None,
            ("alice", "bob", "carol"),
            cohort="q4",
            concurrency=1,
            full_sync_every_hours=0,
        )
        shutil.copy(ROOT / "cohorts" / "self-paced.yml", tmp_path / "cohorts")
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("GITLAB_URL", sandbox.url)
        monkeypatch.setenv("GITLAB_TOKEN", sandbox.token_for("accred-bot"))
        monkeypatch.setenv("ACCRED_MAX_RETRIES", "2")
        world = World(sandbox, tmp_path)
        assert world.cli("setup").exit_code == 0
        assert world.cli("enroll").exit_code == 0
        yield world


def _request(world: World, author: str, body: str = TEMPLATE) -> int:
    person = Person(world.sandbox.url, world.sandbox.token_for(author), PROJECT)
    issue = person.project.issues.create({"title": "Accreditation enrollment", "description": body})
    assert REQUEST_LABEL in issue.labels  # the template's quick action
    return int(issue.iid)


def _by_iid(world: World, iid: int) -> dict:
    """A request as GitLab shows it, with its comments (not system notes)."""
    issue = world.person("accred-bot").project.issues.get(iid)
    notes = [n.asdict() for n in issue.notes.list(get_all=True, sort="asc") if not n.system]
    return issue.asdict() | {"notes": [{**n, "author": n["author"]["username"]} for n in notes]}


def _epics_of(world: World, learner: str) -> list[dict]:
    group = world.person("accred-bot").gl.groups.get(GROUP, lazy=True)
    return [e.asdict() for e in group.epics.list(get_all=True) if e.title.endswith(f"@{learner}")]


def _sync(world: World) -> str:
    result = world.cli("sync")
    assert result.exit_code == 0, result.output
    return result.output


def test_the_author_is_enrolled_answered_with_their_epic_and_the_request_closed(
    world: World,
) -> None:
    iid = _request(world, "frank")
    output = _sync(world)
    assert "enrollment request by @frank: accepted" in output

    (epic,) = _epics_of(world, "frank")
    assert "cohort::self-paced" in epic["labels"]
    issues = [i for i in world.issues() if i["assignees"] == ["frank"]]
    assert len(issues) == 5 and all(i["epic"] == epic["title"] for i in issues)
    enrolled_on = world.sandbox.now().date()
    first_due = min(i["due_date"] for i in issues)
    assert (first_due, len({i["due_date"] for i in issues})) == (
        str(enrolled_on.fromordinal(enrolled_on.toordinal() + 14)),
        5,
    )  # weeks_per_course: 2, counted from the day of enrollment

    request = _by_iid(world, iid)
    assert request["state"] == "closed"
    (reply,) = request["notes"]
    assert reply["author"] == "accred-bot"
    assert reply["body"].startswith(":wave: Welcome @frank!")
    assert epic["web_url"] in reply["body"]

    world.sandbox.reset_log()
    _sync(world)  # frank is now known by his epic: kept in sync, nothing repeated
    assert world.writes() == 0
    report = world.cli("report", "--format", "csv").output
    assert "self-paced" in report and "frank" in report


def test_text_in_a_request_never_decides_who_is_enrolled_nor_reaches_a_reply(
    world: World,
) -> None:
    hostile = (
        "Program: sal\nPath: territory-and-pipeline\nLearner: dana\n@dana please\n"
        f'/label ~"{REQUEST_LABEL}"\n/assign @dana'
    )
    iid = _request(world, "gina", hostile)
    _sync(world)
    assert _epics_of(world, "dana") == []
    (epic,) = _epics_of(world, "gina")
    reply = _by_iid(world, iid)["notes"][-1]["body"]
    assert "dana" not in reply and "/assign" not in reply
    assert epic["web_url"] in reply


def test_refusals_get_one_helpful_reply_and_are_closed(world: World) -> None:
    unknown = _request(world, "frank", f'Program: sal\nPath: nope\n/label ~"{REQUEST_LABEL}"')
    enrolled = _request(world, "alice")
    _sync(world)
    replies = {}
    for iid in (unknown, enrolled):
        issue = _by_iid(world, iid)
        assert issue["state"] == "closed"
        (reply,) = issue["notes"]
        replies[iid] = reply["body"]
    assert "could not tell which learning path" in replies[unknown]
    assert "`Program: sal` and `Path: territory-and-pipeline`" in replies[unknown]
    assert "already enrolled" in replies[enrolled]
    assert _epics_of(world, "alice")[0]["web_url"] in replies[enrolled]
    assert _epics_of(world, "frank") == []
    assert len(_epics_of(world, "alice")) == 1

    world.sandbox.reset_log()
    _sync(world)
    assert world.writes() == 0


def test_allowed_groups_restrict_who_may_self_enrol(world: World) -> None:
    with (world.root / "accred.yml").open("a") as config:
        config.write("enrollment:\n  allowed_groups: [field-enablement/sales]\n")
    world.sandbox.add_member("field-enablement/sales", "frank", 10)
    _request(world, "frank")
    refused = _request(world, "gina")
    _sync(world)
    assert len(_epics_of(world, "frank")) == 1 and _epics_of(world, "gina") == []
    reply = _by_iid(world, refused)["notes"][-1]["body"]
    assert "members of field-enablement/sales" in reply


def test_a_run_killed_after_the_reply_closes_the_request_without_a_second_reply(
    world: World,
) -> None:
    iid = _request(world, "frank")
    before = world.sandbox.save()
    world.sandbox.reset_log()
    _sync(world)
    writes = world.writes()  # the last two: the reply, then closing the request
    world.sandbox.restore(before)
    world.sandbox.faults.crash_at_write(writes - 1)  # the reply lands, then GitLab is gone
    assert world.cli("sync").exit_code == 1
    world.sandbox.faults.clear()
    assert _by_iid(world, iid)["state"] == "opened"
    _sync(world)
    request = _by_iid(world, iid)
    assert request["state"] == "closed"
    assert len(request["notes"]) == 1
    assert len(_epics_of(world, "frank")) == 1
