"""`sync --event` with GitLab 17.x work item bodies and system hooks, through the CLI: the
docs' work item payload pointed at a learner's course issue syncs that learner; a Task or a
system hook is ignored with one line saying what and why, and writes nothing."""

from __future__ import annotations

import json

from accred_ops.app.demo import PROJECT
from tests.core.test_event_work_items import SYSTEM_HOOKS, _as_work_item
from tests.e2e.conftest import World
from tests.e2e.test_events import FIRST, _event, _issue, enrolled  # noqa: F401 (fixture)


def _body(world: World, kind: str | None) -> dict:
    body = _as_work_item(kind)
    body["user"] = body["user"] | {"username": "alice"}
    body["project"] = body["project"] | {"path_with_namespace": PROJECT}
    iid = world.person("alice").find_issue(FIRST, "alice")
    body["object_attributes"] = body["object_attributes"] | {"iid": iid}
    return body


def test_an_issue_sent_as_a_work_item_syncs_its_learner(enrolled: World) -> None:  # noqa: F811
    world = enrolled
    world.person("alice").tick(world.person("alice").find_issue(FIRST, "alice"))
    code, output = _event(world, json.dumps(_body(world, "Issue")))
    assert code == 0, output
    assert "accreditation::assessment" in _issue(world, "alice")["labels"]


def test_tasks_and_system_hooks_are_ignored_in_one_line(enrolled: World) -> None:  # noqa: F811
    world = enrolled
    world.sandbox.reset_log()
    code, output = _event(world, json.dumps(_body(world, "Task")))
    assert (code, output.strip()) == (
        0,
        "sync --event: ignored: a Task is neither a course issue nor an epic",
    )
    for body in SYSTEM_HOOKS:
        code, output = _event(world, json.dumps(body))
        assert code == 0 and f"a system hook's {body['event_name']} event" in output
    assert [r for r in world.sandbox.log if "issues" in r.path and r.is_write] == []
