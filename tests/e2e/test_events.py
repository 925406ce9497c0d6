"""`sync --event`: a GitLab webhook payload syncs the one learner it concerns, through the CLI.

Payloads come from the sandbox's own webhook deliveries (GitLab's documented Issue Hook and
Note Hook bodies), caught by a local receiver, so what is tested is what GitLab would send.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import gitlab
import pytest

from accred_ops.app.demo import PROJECT
from accred_ops.app.receiver import Receiver
from tests.e2e.conftest import World

FIRST = "Co-Selling with Partners"
AWARD = "SAL: Co-Selling with Partners"


class Caught:
    """Every delivery the sandbox makes to a project hook, kept in order."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    def __call__(self, body: bytes) -> None:
        self.bodies.append(body)

    def last(self, kind: str, actor: str) -> bytes:
        return next(
            b
            for b in reversed(self.bodies)
            if (d := json.loads(b))["object_kind"] == kind and d["user"]["username"] == actor
        )


def _hook(world: World, url: str, token: str = "hook-secret") -> None:
    gl = gitlab.Gitlab(world.sandbox.url, private_token=world.sandbox.token_for("accred-bot"))
    gl.projects.get(PROJECT, lazy=True).hooks.create(
        {"url": url, "token": token, "issues_events": True, "note_events": True}
    )


def _settle(world: World, receiver: Receiver) -> None:
    for _ in range(3):  # a handler's writes fire more deliveries
        assert world.sandbox.wait_for_hooks(20)
        deadline = time.monotonic() + 30
        while not receiver.idle() and time.monotonic() < deadline:
            time.sleep(0.01)
    assert receiver.idle() and not receiver.errors, receiver.errors


def _event(world: World, body: bytes | str, name: str = "payload.json") -> tuple[int, str]:
    path = world.root / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    result = world.cli("sync", "--event", str(path))
    return result.exit_code, result.output


def _issue(world: World, learner: str, course: str = FIRST) -> dict:
    return world.sandbox.snapshot()["issues"][(PROJECT, f"{course} — @{learner}")]


def _awards(world: World, learner: str) -> int:
    return sum(AWARD in n["body"] for n in _issue(world, learner)["notes"])


@pytest.fixture
def enrolled(world: World) -> World:
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0
    return world


def test_a_verdict_reaches_the_badge_through_the_webhook_alone(enrolled: World) -> None:
    """Assessor's label -> Issue Hook -> `sync --event` -> award, with no scheduled sync."""
    world = enrolled
    outcomes: list[int] = []

    def run(body: bytes) -> None:
        outcomes.append(_event(world, body, f"event-{len(outcomes)}.json")[0])

    with Receiver(run, "hook-secret") as receiver:
        _hook(world, receiver.url)
        alice, sam = world.person("alice"), world.person("sam")
        iid = alice.find_issue(FIRST, "alice")
        alice.tick(iid)
        _settle(world, receiver)
        assert "accreditation::assessment" in _issue(world, "alice")["labels"]
        sam.add_label(iid, "exam::passed")
        sam.add_label(iid, "practical::approved")
        _settle(world, receiver)
    issue = _issue(world, "alice")
    assert issue["state"] == "closed" and "accreditation::badge-awarded" in issue["labels"]
    assert _awards(world, "alice") == 1
    assert set(outcomes) == {0}
    events = {d.event for d in world.sandbox.deliveries}
    assert events == {"Issue Hook", "Note Hook"}  # the award comment is a note, by the tool
    assert all(d.status == 200 for d in world.sandbox.deliveries)


def test_the_tools_own_event_is_ignored_after_one_request(enrolled: World) -> None:
    world, caught = enrolled, Caught()
    with Receiver(caught, "hook-secret") as receiver:
        _hook(world, receiver.url)
        world.person("alice").tick(world.person("alice").find_issue(FIRST, "alice"))
        assert world.cli("sync").exit_code == 0  # the tool's own writes fire hooks too
        _settle(world, receiver)
    own = caught.last("issue", "accred-bot")
    world.sandbox.reset_log()
    code, output = _event(world, own)
    assert code == 0 and "the tool's own change" in output
    assert [r.path for r in world.sandbox.log] == ["/api/v4/user"]


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        '"issue"',
        "{}",
        '{"object_kind": "issue", "user": {"username": "sam"}}',
        '{"object_kind": "issue", "object_attributes": {"iid": 1}}',
        '{"object_kind": "issue", "user": {"username": "sam"}, "object_attributes": {"iid": "1"}}',
        '{"object_kind": "note", "user": {"username": "sam"}, '
        '"object_attributes": {"noteable_type": "Issue"}}',
    ],
)
def test_a_malformed_payload_exits_2_with_nothing_sent(enrolled: World, body: str) -> None:
    enrolled.sandbox.reset_log()
    code, output = _event(enrolled, body)
    assert code == 2, output
    assert "payload.json" in output
    assert enrolled.sandbox.log == []


def test_unreadable_or_missing_payload_file_exits_2(enrolled: World) -> None:
    enrolled.sandbox.reset_log()
    result = enrolled.cli("sync", "--event", str(enrolled.root / "absent.json"))
    assert result.exit_code == 2 and "cannot read" in result.output
    assert enrolled.cli("sync", "--event", "").exit_code == 2
    assert enrolled.cli("sync", "--event", "x.json", "--learner", "alice").exit_code == 2
    assert enrolled.sandbox.log == []


def test_stdin_is_read_with_a_dash(enrolled: World) -> None:
    from click.testing import CliRunner

    from accred_ops.cli import main

    body = '{"object_kind": "push", "user": {"username": "sam"}}'
    result = CliRunner().invoke(main, ["sync", "--event", "-"], input=body)
    assert result.exit_code == 0 and "push events" in result.output, result.output


def test_events_elsewhere_are_ignored_in_one_line(enrolled: World) -> None:
    world, caught = enrolled, Caught()
    with Receiver(caught, "hook-secret") as receiver:
        _hook(world, receiver.url)
        iid = world.person("alice").find_issue(FIRST, "alice")
        world.person("alice").comment(iid, "a question for my assessor")
        _settle(world, receiver)
    note = json.loads(caught.last("note", "alice"))
    world.sandbox.reset_log()
    push = json.dumps({"object_kind": "push", "user": {"username": "alice"}})
    code, output = _event(world, push)
    assert (code, output.strip()) == (
        0,
        "sync --event: ignored: accred-ops does not act on push events",
    )
    other = note | {"project": note["project"] | {"path_with_namespace": "elsewhere/project"}}
    code, output = _event(world, json.dumps(other))
    assert code == 0 and "not field-enablement/accreditation" in output
    assert world.sandbox.log == []  # nothing asked of GitLab for either
    plain = world.person("alice").project.issues.create({"title": "Lunch?"}).iid
    stray = note | {"issue": note["issue"] | {"iid": plain}}
    world.sandbox.reset_log()
    code, output = _event(world, json.dumps(stray))
    assert code == 0 and "not part of the program" in output
    assert len(world.sandbox.log) == 2  # the token's user, the issue


def test_a_forged_payload_grants_nothing_a_full_sync_would_not(enrolled: World) -> None:
    """The payload claims sam passed bob's course; GitLab says alice set her own verdict."""
    world, caught = enrolled, Caught()
    with Receiver(caught, "hook-secret") as receiver:
        _hook(world, receiver.url)
        alice = world.person("alice")
        iid = alice.find_issue(FIRST, "alice")
        alice.tick(iid)
        alice.add_label(iid, "exam::passed")
        alice.add_label(iid, "practical::approved")
        _settle(world, receiver)
    real = json.loads(caught.last("issue", "alice"))
    bob_iid = world.person("bob").find_issue(FIRST, "bob")
    forged = real | {
        "user": real["user"] | {"username": "sam"},
        "assignees": [{"username": "bob"}],
        "object_attributes": real["object_attributes"] | {"iid": iid, "title": "Account Planning"},
        "labels": [{"title": "exam::passed"}, {"title": "accreditation::badge-awarded"}],
    }
    saved = world.sandbox.save()
    code, output = _event(world, json.dumps(forged))
    assert code == 0, output
    after_event = world.sandbox.snapshot()["issues"]
    assert _awards(world, "alice") == 0  # her own verdicts are refused, not rewarded
    assert "exam::passed" not in _issue(world, "alice")["labels"]
    world.sandbox.restore(saved)
    assert world.cli("sync", "--learner", "alice").exit_code == 0
    assert _strip_times(world.sandbox.snapshot()["issues"]) == _strip_times(after_event)
    # naming bob's issue syncs bob, exactly as a sync of bob would: nothing is due to him
    world.sandbox.reset_log()
    code, _ = _event(world, json.dumps(forged | {"object_attributes": {"iid": bob_iid}}))
    assert code == 0 and world.writes() == 0


def _strip_times(issues: dict) -> str:
    """The issues, with times (which differ between two runs) left out."""
    text = json.dumps({str(k): v for k, v in issues.items()}, sort_keys=True, default=str)
    return re.sub(r"\d{4}-\d\d-\d\dT[0-9:.]+Z?", "T", text)


def test_a_flood_of_events_for_one_learner_ends_with_one_award(enrolled: World) -> None:
    world, caught = enrolled, Caught()
    with Receiver(caught, "hook-secret") as receiver:
        _hook(world, receiver.url)
        alice, sam = world.person("alice"), world.person("sam")
        iid = alice.find_issue(FIRST, "alice")
        alice.tick(iid)
        sam.add_label(iid, "exam::passed")
        sam.add_label(iid, "practical::approved")
        _settle(world, receiver)
    verdict = caught.last("issue", "sam")
    path = world.root / "verdict.json"
    path.write_bytes(verdict)
    codes = {world.cli("sync", "--event", str(path)).exit_code for _ in range(100)}
    assert codes == {0}
    assert _awards(world, "alice") == 1
    assert _issue(world, "alice")["state"] == "closed"


def test_requests_per_event(enrolled: World) -> None:
    """No change: at most 6 requests. An award: those reads, the details, and its writes."""
    world, caught = enrolled, Caught()
    with Receiver(caught, "hook-secret") as receiver:
        _hook(world, receiver.url)
        alice, sam = world.person("alice"), world.person("sam")
        iid = alice.find_issue(FIRST, "alice")
        alice.comment(iid, "started")
        alice.tick(iid)
        sam.add_label(iid, "exam::passed")
        sam.add_label(iid, "practical::approved")
        _settle(world, receiver)
    comment = caught.last("note", "alice")
    verdict = caught.last("issue", "sam")
    world.sandbox.reset_log()
    assert _event(world, verdict)[0] == 0
    award_reads, award_writes = world.sandbox.count(write=False), world.writes()
    # + what the badge rule reads (assessor group, label events, comments) and the read-back
    # of the award comment that keeps two runs at once to one comment, and the epic read again
    # right before its record is rewritten (no stale record written back: core/revocation.py)
    assert award_writes == 3 and award_reads <= 6 + 4 + 1
    world.sandbox.reset_log()
    assert _event(world, comment)[0] == 0
    assert len(world.sandbox.log) <= 6 and world.writes() == 0


def test_payload_file_path_is_what_ci_passes(enrolled: World, tmp_path: Path) -> None:
    """GitLab CI gives the body as a file variable: `$TRIGGER_PAYLOAD` holds the file's path."""
    body = json.dumps({"object_kind": "pipeline", "user": {"username": "sam"}})
    payload = tmp_path / "TRIGGER_PAYLOAD"
    payload.write_text(body)
    result = enrolled.cli("sync", "--event", str(payload))
    assert result.exit_code == 0 and "pipeline events" in result.output


def test_reactive_demo_shows_the_badge_arriving_with_no_schedule() -> None:
    from click.testing import CliRunner

    from accred_ops.cli import main

    result = CliRunner().invoke(main, ["demo", "--reactive"])
    assert result.exit_code == 0, result.output
    assert 'comment (award badge "SAL: Co-Selling with Partners")' in result.output
    assert "The badge arrived" in result.output and "with no schedule" in result.output


def test_an_epic_work_item_event_syncs_the_epics_learner(enrolled: World) -> None:
    """GitLab 17.7+ sends epics as work items: `object_kind: work_item`, `type: Epic`."""
    world = enrolled
    world.person("alice").tick(world.person("alice").find_issue(FIRST, "alice"))
    with world.sandbox.world.lock:
        epic_iid = next(
            e.iid for e in world.sandbox.world.state.epics.values() if e.title.endswith("@alice")
        )
    body = {
        "object_kind": "work_item",
        "event_type": "work_item",
        "user": {"username": "alice"},
        "object_attributes": {"iid": epic_iid, "type": "Epic"},
    }
    code, output = _event(world, json.dumps(body))
    assert code == 0, output
    assert "accreditation::assessment" in _issue(world, "alice")["labels"]
    task = body | {"object_attributes": {"iid": 1, "type": "Task"}}
    world.sandbox.reset_log()
    code, output = _event(world, json.dumps(task))
    assert (code, world.sandbox.log) == (0, []) and "neither a course issue nor an epic" in output


def test_payload_text_reaches_the_log_as_one_plain_short_line(enrolled: World) -> None:
    """Anyone with the trigger URL writes the payload: no terminal escapes, no fake lines."""
    body = {"object_kind": "push\n\x1b[31mAWARDED badge to @mallory" + "x" * 500, "user": {}}
    code, output = _event(enrolled, json.dumps(body))
    assert code == 0 and output.count("\n") == 1 and "\x1b" not in output
    assert len(output) < 200
    huge = enrolled.root / "huge.json"
    huge.write_bytes(b'{"object_kind": "issue", "pad": "' + b"x" * 6_000_000 + b'"}')
    enrolled.sandbox.reset_log()
    result = enrolled.cli("sync", "--event", str(huge))
    assert result.exit_code == 2 and "not a webhook payload" in result.output
    assert enrolled.sandbox.log == []
