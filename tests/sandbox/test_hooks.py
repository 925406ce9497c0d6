"""Project webhooks in the sandbox: the hooks API, and GitLab's Issue Hook and Note Hook bodies."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import gitlab
import pytest

from accred_ops.app.receiver import Receiver
from accred_ops.sandbox import Sandbox
from tests.sandbox.conftest import PROJECT


class Inbox:
    def __init__(self) -> None:
        self.bodies: list[dict] = []

    def __call__(self, body: bytes) -> None:
        self.bodies.append(json.loads(body))


def _wait(sb: Sandbox, receiver: Receiver) -> None:
    assert sb.wait_for_hooks(10)
    deadline = time.monotonic() + 10
    while not receiver.idle() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_hooks_are_created_listed_and_deleted_by_maintainers_only(
    sb: Sandbox, bot: gitlab.Gitlab, gl_for: Callable[..., gitlab.Gitlab]
) -> None:
    project = bot.projects.get(PROJECT, lazy=True)
    hook = project.hooks.create(
        {"url": "http://127.0.0.1:9/hook", "token": "s3cret", "issues_events": True}
    )
    listed = [h.asdict() for h in project.hooks.list()]
    assert [h["url"] for h in listed] == ["http://127.0.0.1:9/hook"]
    assert "s3cret" not in json.dumps(listed)  # GitLab never shows a hook's token
    assert listed[0]["issues_events"] is True and listed[0]["note_events"] is False
    with pytest.raises(gitlab.GitlabCreateError) as refused:
        gl_for("alice").projects.get(PROJECT, lazy=True).hooks.create({"url": "http://127.0.0.1/"})
    assert refused.value.response_code == 403
    with pytest.raises(gitlab.GitlabCreateError) as outside:
        project.hooks.create({"url": "https://example.com/hook"})
    assert outside.value.response_code == 422  # the sandbox never calls out
    project.hooks.delete(hook.id)
    assert project.hooks.list() == []


def test_issue_and_note_hooks_carry_gitlabs_bodies_and_headers(
    sb: Sandbox, bot: gitlab.Gitlab, gl_for: Callable[..., gitlab.Gitlab]
) -> None:
    inbox = Inbox()
    with Receiver(inbox, "s3cret") as receiver:
        project = bot.projects.get(PROJECT, lazy=True)
        project.hooks.create(
            {"url": receiver.url, "token": "s3cret", "issues_events": True, "note_events": True}
        )
        alice_id = bot.users.list(username="alice")[0].id
        # assigned to alice, a Guest: she may edit it (GitLab's assignee_or_author rule)
        issue = project.issues.create(
            {"title": "Course", "labels": "a", "assignee_ids": [alice_id]}
        )
        alice = gl_for("alice").projects.get(PROJECT, lazy=True)
        sam = gl_for("sam").projects.get(PROJECT, lazy=True)  # a Reporter: labels are his to set
        sam.issues.update(issue.iid, {"add_labels": "b"})
        alice.issues.get(issue.iid, lazy=True).notes.create({"body": "hello"})
        alice.issues.update(issue.iid, {"state_event": "close"})
        alice.issues.update(issue.iid, {"title": "Course"})  # no change: no event
        _wait(sb, receiver)
    kinds = [(b["object_kind"], b["user"]["username"]) for b in inbox.bodies]
    assert kinds == [
        ("issue", "accred-bot"),
        ("issue", "sam"),
        ("note", "alice"),
        ("issue", "alice"),
    ]
    opened, labelled, note, closed = inbox.bodies
    assert opened["object_attributes"]["action"] == "open"
    assert opened["project"]["path_with_namespace"] == PROJECT
    assert labelled["object_attributes"]["iid"] == issue.iid
    previous = [lb["title"] for lb in labelled["changes"]["labels"]["previous"]]
    current = [lb["title"] for lb in labelled["changes"]["labels"]["current"]]
    assert (previous, sorted(current)) == (["a"], ["a", "b"])
    assert note["object_attributes"]["noteable_type"] == "Issue"
    assert note["object_attributes"]["note"] == "hello"
    assert note["issue"]["iid"] == issue.iid
    assert closed["object_attributes"]["action"] == "close"
    assert {d.event for d in sb.deliveries} == {"Issue Hook", "Note Hook"}
    assert all(d.status == 200 for d in sb.deliveries)  # the receiver checked X-Gitlab-Token


def test_a_dead_receiver_never_fails_or_slows_the_api(sb: Sandbox, bot: gitlab.Gitlab) -> None:
    project = bot.projects.get(PROJECT, lazy=True)
    project.hooks.create({"url": "http://127.0.0.1:9/nobody", "issues_events": True})
    for n in range(5):
        project.issues.create({"title": f"Issue {n}"})
    assert sb.wait_for_hooks(10)
    assert [d.status for d in sb.deliveries] == [0] * 5  # refused connections, nothing raised
