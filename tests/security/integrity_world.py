"""The world the award-integrity attacks are played in, and what every one of them must leave.

Three learners of cohort q4 (alice and carol, the victims; bob, the attacker) hold a realistic
role in the project: Guest (the least privilege the README recommends), Reporter or Developer
(what many organisations grant). frank is a project member in no cohort, zed a GitLab user who
is no member at all, erin a Reporter of the parent group (the enablement team), sam the
assessor. Every attack goes over HTTP with the attacker's own token; GitLab refuses what the
role may not do (the sandbox answers 403, or drops label edits silently, as GitLab does), and
the attack is then simply what the role could do.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import gitlab
import pytest

from accred_ops.app.demo import PROJECT, write_workspace
from accred_ops.sandbox import Sandbox
from tests.conftest import ROOT, copy_program
from tests.e2e.conftest import World, seed_with

ROLES = {"guest": 10, "reporter": 20, "developer": 30}
LEARNERS = ("alice", "bob", "carol")
FIRST = "Co-Selling with Partners"
SECOND = "Account Planning"
PATH_TITLE = "Strategic Account Leader Field Accreditation: Building the Territory & Pipeline"
MARKER = "<!-- accred-ops:issue learner={who} program=sal path=territory-and-pipeline course={course} -->"
TEMPLATE = (ROOT / ".gitlab" / "issue_templates" / "Accreditation enrollment.md").read_text()


class HostileWorld(World):
    monkeypatch: pytest.MonkeyPatch


@contextmanager
def hostile_world(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    role: str = "reporter",
    *,
    tier: str = "premium",
    learners: tuple[str, ...] = LEARNERS,
    open_cohort: bool = False,
    incremental: bool = False,
) -> Iterator[HostileWorld]:
    seed = copy.deepcopy(seed_with("dana", "frank", "zed"))
    seed["groups"][0]["tier"] = tier
    members = seed["projects"][0]["members"]
    for member in members:
        if member["username"] in LEARNERS:
            member["access_level"] = ROLES[role]
    members.append({"username": "frank", "access_level": ROLES[role]})
    with Sandbox(seed) as sandbox:
        copy_program(root)
        for name in ("example.yml", "self-paced.yml"):
            (root / "cohorts" / name).unlink()
        write_workspace(
            root,
            None,
            learners,
            cohort="q4",
            concurrency=1,
            full_sync_every_hours=24 if incremental else 0,
        )
        if open_cohort:
            shutil.copy(ROOT / "cohorts" / "self-paced.yml", root / "cohorts")
        monkeypatch.chdir(root)
        monkeypatch.setenv("GITLAB_URL", sandbox.url)
        monkeypatch.setenv("GITLAB_TOKEN", sandbox.token_for("accred-bot"))
        monkeypatch.setenv("ACCRED_MAX_RETRIES", "2")
        monkeypatch.setenv("ACCRED_NOW", sandbox.now().isoformat())
        world = HostileWorld(sandbox, root)
        world.monkeypatch = monkeypatch
        assert world.cli("setup").exit_code == 0
        yield world


def sync(world: HostileWorld, *args: str, hours: float = 0.1) -> str:
    """A scheduled sync a little later: it must not crash nor fail anyone."""
    world.sandbox.advance(hours=hours)
    world.monkeypatch.setenv("ACCRED_NOW", world.sandbox.now().isoformat())
    result = world.cli("sync", *args)
    assert result.exit_code == 0, result.output
    return result.output


class Attacker:
    """A learner acting against the program with their own token; what GitLab refuses them
    (403) is simply not done, as in real life."""

    def __init__(self, world: World, username: str = "bob") -> None:
        self.world = world
        self.name = username
        self.person = world.person(username)

    def attempt(self, act: Any, *args: Any, **kwargs: Any) -> bool:
        try:
            act(*args, **kwargs)
        except gitlab.GitlabError:
            return False
        return True

    def edit(self, iid: int, **fields: Any) -> bool:
        return self.attempt(self.person.project.issues.update, iid, fields)

    def description(self, iid: int) -> str:
        return str(self.person.project.issues.get(iid).description)

    def create(self, **fields: Any) -> int | None:
        try:
            return int(self.person.project.issues.create(fields).iid)
        except gitlab.GitlabError:
            return None

    def comment(self, iid: int, body: str) -> bool:
        return self.attempt(self.person.comment, iid, body)


def iid_of(world: World, title: str) -> int:
    bot = world.person("accred-bot")
    found = [i for i in bot.project.issues.list(get_all=True, state="all") if i.title == title]
    return int(min(found, key=lambda i: i.iid).iid)


def issue(world: World, course: str, learner: str) -> dict:
    return world.sandbox.snapshot()["issues"][(PROJECT, f"{course} — @{learner}")]


def passed(world: World, course: str, learner: str, *verdicts: str) -> int:
    """The learner ticks everything; sam sets the verdicts (both, unless named)."""
    person = world.person(learner)
    iid = person.find_issue(course, learner)
    person.tick(iid)
    for label in verdicts or ("exam::passed", "practical::approved"):
        world.person("sam").add_label(iid, label)
    return iid


def _notes(world: World) -> list[tuple[str, dict]]:
    snap = world.sandbox.snapshot()
    return [
        (title, note)
        for table in (snap["issues"], snap["epics"])
        for (_, title), item in table.items()
        for note in item["notes"]
    ]


def award_comments(world: World, learner: str) -> list[str]:
    """The tool's award and path-award comments that congratulate `learner`, anywhere."""
    return [
        title
        for title, note in _notes(world)
        if note["author"] == "accred-bot"
        and ("accred-ops:award" in note["body"] or "accred-ops:path-award" in note["body"])
        and re.search(rf"(@|learner=){re.escape(learner)}\b", note["body"])
    ]


def assert_no_badge(world: World, learner: str = "bob") -> None:
    """No course badge, no path badge, anywhere, for `learner`."""
    assert award_comments(world, learner) == []
    snap = world.sandbox.snapshot()
    for table in (snap["issues"], snap["epics"]):
        for (_, title), item in table.items():
            if title.endswith(f"@{learner}"):
                assert "accreditation::accredited" not in item["labels"], title


def assert_awarded(world: World, course: str, learner: str) -> None:
    """The victim's award stands: closed, labelled, announced once, on their progress table."""
    found = issue(world, course, learner)
    assert found["state"] == "closed" and "accreditation::badge-awarded" in found["labels"]
    assert award_comments(world, learner).count(f"{course} — @{learner}") == 1


def enrolled_learners(world: World) -> set[str]:
    """Who the tool gave course issues to."""
    return {
        assignee
        for (_, title), item in world.sandbox.snapshot()["issues"].items()
        if "@" in title
        for assignee in item["assignees"]
    }


def export(world: World, out: Path) -> list[dict]:
    """`badges export` (Open Badges 2.0), and the assertions it wrote."""
    config = world.root / "accred.yml"
    if "issuer" not in config.read_text():
        config.write_text(
            config.read_text()
            + "badges:\n  issuer: {name: Field Enablement, url: https://example.com, email: e@example.com}\n"
        )
    args = ("--out", str(out), "--base-url", "https://example.com/b", "--format", "ob2")
    result = world.cli("badges", "export", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(p.read_text()) for p in sorted((out / "assertions").glob("*.json"))]


def narratives(assertions: list[dict]) -> list[str]:
    return [str(a.get("evidence", [{}])[0].get("narrative", "")) for a in assertions]


@pytest.fixture(params=sorted(ROLES))
def world(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[HostileWorld]:
    """The program enrolled, its learners holding each role in turn (Guest, Reporter, Developer)."""
    with hostile_world(tmp_path, monkeypatch, request.param) as made:
        assert made.cli("enroll").exit_code == 0
        yield made
