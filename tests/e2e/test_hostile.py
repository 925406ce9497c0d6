"""Authority and injection: nothing but an assessor's verdict yields a badge; no text runs an action."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _comments, _enrolled, _issue

TOKEN = "test-token-DISTINCTIVE-sentinel-0123456789"


def _ready(world: World, learner: str = "alice") -> int:
    _enrolled(world)
    person = world.person(learner)
    iid = person.find_issue(FIRST, learner)
    person.tick(iid)
    return iid


def _no_badge(world: World, learner: str = "alice") -> dict:
    assert world.cli("sync").exit_code == 0
    issue = _issue(world, FIRST, learner)
    assert "accreditation::badge-awarded" not in issue["labels"]
    assert issue["state"] == "opened"
    return issue


def test_former_assessor_no_longer_counts(world: World) -> None:
    iid = _ready(world)
    world.person("sam").add_label(iid, "exam::passed")
    world.person("sam").add_label(iid, "practical::approved")
    world.sandbox.remove_member("field-enablement/assessors", "sam")
    issue = _no_badge(world)
    assert "exam::passed" not in issue["labels"]


def test_the_tools_own_token_cannot_pass_anyone(world: World) -> None:
    iid = _ready(world)
    world.person("accred-bot").add_label(iid, "exam::passed")
    world.person("sam").add_label(iid, "practical::approved")
    assert "exam::passed" not in _no_badge(world)["labels"]


def test_quick_action_in_a_learners_comment_is_the_learners_verdict(world: World) -> None:
    iid = _ready(world)
    world.person("alice").comment(iid, '/label ~"exam::passed"')
    world.person("sam").add_label(iid, "practical::approved")
    issue = _no_badge(world)
    assert "exam::passed" not in issue["labels"]
    assert _comments(issue, "only when an assessor sets them") == 1


def test_titles_that_look_like_quick_actions_run_nothing(world: World) -> None:
    curriculum = world.root / "curriculum" / "strategic-account-leaders.yml"
    text = curriculum.read_text().replace(
        "title: Co-Selling with Partners", 'title: "/label ~exam::passed /close <b>Co-Selling</b>"'
    )
    curriculum.write_text(text)
    assert world.cli("enroll").exit_code == 0
    issues = world.issues()
    assert all(issue["state"] == "opened" for issue in issues)
    assert not any("exam::passed" in issue["labels"] for issue in issues)
    assert all("\\/label" in i["description"] for i in issues if "Co-Selling" in i["description"])


@pytest.mark.parametrize(
    "breakage",
    ["bad-token", "server-down", "free-tier", "dropped-connection"],
)
def test_the_token_never_appears_in_any_output(
    world: World, monkeypatch: pytest.MonkeyPatch, breakage: str
) -> None:
    world.sandbox.add_user("sentinel-bot", token=TOKEN)
    world.sandbox.add_member("field-enablement", "sentinel-bot", 50)
    if breakage != "bad-token":
        monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    else:
        monkeypatch.setenv("GITLAB_TOKEN", TOKEN + "-revoked")
    if breakage == "server-down":
        world.sandbox.faults.fail(503, times=1000)
    if breakage == "free-tier":
        world.sandbox.world.state.groups[next(iter(world.sandbox.world.state.groups))].tier = "free"
    if breakage == "dropped-connection":
        world.sandbox.faults.crash_at_write(3, applied=True)
    for command in (
        ["setup"],
        ["enroll"],
        ["sync"],
        ["status", "alice"],
        ["report"],
        ["dashboard"],
    ):
        result = world.cli(*command)
        assert "DISTINCTIVE" not in result.output, (breakage, command)
        assert "Traceback" not in result.output, (breakage, command)


def test_two_syncs_at_once_award_one_badge_with_one_comment(world: World) -> None:
    """Two processes racing: each reads no award comment, both post; they converge on one."""
    import threading

    from click.testing import CliRunner

    from accred_ops.cli import main
    from tests.e2e.test_sync import _pass

    _enrolled(world)
    for learner in ("alice", "bob", "carol"):
        _pass(world, FIRST, learner)
    world.sandbox.faults.latency = 0.02  # widen the window between reading and posting
    results: list[int] = []

    def run() -> None:
        results.append(CliRunner().invoke(main, ["sync"]).exit_code)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    world.sandbox.faults.latency = 0
    assert results == [0, 0]
    raced = [r for r in world.sandbox.log if r.method == "DELETE" and "/notes/" in r.path]
    print(f"duplicate comments removed: {len(raced)}")
    for learner in ("alice", "bob", "carol"):
        issue = _issue(world, FIRST, learner)
        assert _comments(issue, "You have earned") == 1, learner
        assert "accreditation::badge-awarded" in issue["labels"]
