"""Faults, rate limits, the log, the clock, snapshots, save points and thread safety."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import gitlab
import pytest
import requests

from accred_ops.sandbox import Sandbox
from tests.sandbox.conftest import PROJECT


def issues(gl: gitlab.Gitlab):
    return gl.projects.get(PROJECT, lazy=True).issues


def test_latency_is_added_to_every_request(sb: Sandbox, bot: gitlab.Gitlab) -> None:
    sb.faults.latency = 0.05
    start = time.monotonic()
    bot.auth()
    assert time.monotonic() - start >= 0.05


def test_429_with_retry_after_is_obeyed_by_python_gitlab(sb: Sandbox, bot: gitlab.Gitlab) -> None:
    sb.faults.fail(429, times=2, path=r"/issues$")
    assert issues(bot).create({"title": "T"}).iid == 1
    assert [r.status for r in sb.log] == [429, 429, 201]
    body = requests.get(f"{sb.url}/api/v4/user")  # no fault left: a plain 401
    assert body.status_code == 401


def test_5xx_is_retried_only_with_retry_transient_errors(sb: Sandbox, gl_for) -> None:
    sb.faults.fail(502, times=2, method="GET")
    assert gl_for(retry_transient_errors=True).projects.get(PROJECT).path == "accreditation"
    sb.faults.fail(502, after=1)
    gl = gl_for()
    gl.auth()
    with pytest.raises(gitlab.GitlabGetError) as err:
        gl.projects.get(PROJECT)
    assert (err.value.response_code, err.value.error_message) == (502, "502 Bad Gateway")


@pytest.mark.parametrize("applied", [True, False])
def test_a_dropped_write_is_applied_or_not_and_never_answered(sb: Sandbox, bot, applied) -> None:
    sb.faults.drop(nth_write=2, applied=applied)
    issues(bot).create({"title": "one"})
    with pytest.raises(requests.ConnectionError):
        issues(bot).create({"title": "two"})
    assert issues(bot).create({"title": "three"}).iid == (3 if applied else 2)
    assert [r.status for r in sb.log if r.is_write] == [201, 0, 201]


def test_crash_at_write_then_503_until_clear(sb: Sandbox, bot) -> None:
    sb.faults.crash_at_write(1, applied=True)
    with pytest.raises(requests.ConnectionError):
        issues(bot).create({"title": "T"})
    down = requests.get(f"{sb.url}/api/v4/user")
    assert (down.status_code, down.headers["Retry-After"]) == (503, "0")
    assert down.json() == {"message": "503 Service Unavailable"}
    sb.faults.clear()
    assert [i.title for i in issues(bot).list(get_all=True)] == ["T"]


def test_rate_limits_answer_429_with_gitlab_headers(sb: Sandbox) -> None:
    sb.faults.rate_limits = {"api": 100, "issues_create": 2}
    url = f"{sb.url}/api/v4/projects/field-enablement%2Faccreditation/issues"
    token = {"PRIVATE-TOKEN": sb.token_for("alice")}
    answers = [requests.post(url, json={"title": f"T{n}"}, headers=token) for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[0].headers["RateLimit-Limit"] == "100"
    assert answers[1].headers["RateLimit-Remaining"] == "98"
    limited = answers[2]
    assert int(limited.headers["Retry-After"]) > 0 and limited.headers["RateLimit-Remaining"] == "0"
    assert limited.json() == {
        "message": {"error": "This endpoint has been requested too many times. Try again later."}
    }


def test_log_and_counts(sb: Sandbox, bot) -> None:
    bot.auth()
    issues(bot).create({"title": "T"})
    record = sb.writes()[0]
    assert (record.method, record.path, record.status, record.username) == (
        "POST",
        f"/api/v4/projects/{PROJECT}/issues",
        201,
        "accred-bot",
    )
    assert (sb.count(), sb.count(write=True), sb.count(write=False)) == (2, 1, 1)
    sb.reset_log()
    assert sb.log == []


def test_clock_can_be_advanced(sb: Sandbox, bot) -> None:
    old = issues(bot).create({"title": "old"})
    sb.advance(days=3)
    new = issues(bot).create({"title": "new"})
    assert new.created_at[:10] > old.created_at[:10]
    assert [
        i.title for i in issues(bot).list(get_all=True, updated_before=new.created_at[:10])
    ] == ["old"]


def _build(sb: Sandbox) -> None:
    gl = gitlab.Gitlab(sb.url, private_token=sb.token_for("accred-bot"))
    epic = gl.groups.get("field-enablement", lazy=True).epics.create({"title": "E"})
    issue = issues(gl).create({"title": "I", "labels": "b,a", "epic_id": epic.id})
    issue.notes.create({"body": "hi"})


def test_snapshots_of_worlds_built_alike_are_equal(sb: Sandbox) -> None:
    _build(sb)
    with Sandbox() as other:
        time.sleep(0.01)
        _build(other)
        assert other.snapshot() == sb.snapshot()
    snap = sb.snapshot()["issues"][(PROJECT, "I")]
    assert snap == {
        "description": "",
        "labels": ["a", "b"],
        "state": "opened",
        "assignees": [],
        "due_date": None,
        "epic": "E",
        "notes": [{"author": "accred-bot", "body": "hi"}],
    }


def test_save_restore_and_reset(sb: Sandbox, bot) -> None:
    saved = sb.save()
    issues(bot).create({"title": "T"})
    sb.restore(saved)
    assert sb.snapshot()["issues"] == {}
    issues(bot).create({"title": "U"})
    sb.reset()
    assert sb.snapshot()["issues"] == {} and sb.log == []


def test_concurrent_creates_get_unique_iids(sb: Sandbox, gl_for) -> None:
    found: list[int] = []

    def work() -> None:
        gl = gl_for()
        found.extend(issues(gl).create({"title": "T"}).iid for _ in range(5))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(found) == list(range(1, 41))


def test_seed_file_subgroups_and_members(tmp_path: Path) -> None:
    seed = tmp_path / "seed.yml"
    seed.write_text(
        "users:\n  - {username: bot, token: t}\ngroups:\n"
        "  - {path: top, tier: free, members: [{username: bot, access_level: 50}]}\n"
        "  - {path: top/sub}\nprojects:\n  - {path: top/sub/p}\n"
    )
    sb = Sandbox.from_seed_file(seed)
    assert sb.token_for("bot") == "t" and sb.world.group_by_path("top/sub").tier == "free"
    with pytest.raises(ValueError, match="parent group"):
        Sandbox({"groups": [{"path": "missing/child"}]})
