"""Today's GitLab webhooks, from GitLab's documentation: the work item event (the docs'
payload, `tests/core/payloads/work_item_event.json`, copied from "Webhook events > Work item
events", its `changes.labels` left out), the same body as GitLab 17.x sends it for items edited
as work items, and system hook bodies ("System hooks > Hooks request example")."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from accred_ops.core.event import EPIC, ISSUE, Selection, read_event

DOCS = json.loads((Path(__file__).parent / "payloads" / "work_item_event.json").read_text())


def _as_work_item(kind: str | None) -> dict:
    body = copy.deepcopy(DOCS) | {"object_kind": "work_item", "event_type": "work_item"}
    if kind is None:
        del body["object_attributes"]["type"]
    else:
        body["object_attributes"]["type"] = kind
    return body


def test_the_docs_work_item_event_for_an_issue_selects_the_issue() -> None:
    found = read_event(json.dumps(DOCS))
    assert isinstance(found, Selection)
    assert (found.hook, found.kind, found.iid, found.actor) == ("Issue Hook", ISSUE, 23, "root")
    assert found.project == "gitlabhq/gitlab-test" and found.assignees == ("user1",)


@pytest.mark.parametrize("kind", ["Issue", None])
def test_an_issue_sent_as_a_work_item_selects_the_issue(kind: str | None) -> None:
    """Header `Issue Hook`, `event_type: work_item`: only `type` (or, before 17.2, its absence
    on a project's item) says it is an issue."""
    found = read_event(json.dumps(_as_work_item(kind)))
    assert isinstance(found, Selection)
    assert (found.hook, found.kind, found.iid) == ("Work Item Hook", ISSUE, 23)


def test_an_epic_work_item_selects_the_epic() -> None:
    found = read_event(json.dumps(_as_work_item("Epic")))
    assert isinstance(found, Selection) and found.kind == EPIC and found.iid == 23


@pytest.mark.parametrize("kind", ["Task", "Incident", "Objective", "Requirement"])
def test_other_work_items_are_ignored_by_name(kind: str) -> None:
    assert read_event(json.dumps(_as_work_item(kind))) == (
        f"ignored: a {kind} is neither a course issue nor an epic"
    )


SYSTEM_HOOKS = [
    {
        "created_at": "2012-07-21T07:30:54Z",
        "updated_at": "2012-07-21T07:38:22Z",
        "event_name": "project_create",
        "name": "StoreCloud",
        "owner_email": "johnsmith@example.com",
        "owner_name": "John Smith",
        "owners": [{"name": "John", "email": "user1@example.com"}],
        "path": "storecloud",
        "path_with_namespace": "jsmith/storecloud",
        "project_id": 74,
        "project_namespace_id": 23,
        "project_visibility": "private",
    },
    {
        "created_at": "2012-07-21T07:44:07Z",
        "updated_at": "2012-07-21T07:38:22Z",
        "email": "js@gitlabhq.com",
        "event_name": "user_create",
        "name": "John Smith",
        "username": "js",
        "user_id": 41,
    },
    {
        "created_at": "2012-07-21T07:30:56Z",
        "updated_at": "2012-07-21T07:38:22Z",
        "event_name": "user_add_to_group",
        "group_access": "Maintainer",
        "group_id": 78,
        "group_name": "StoreCloud",
        "group_path": "storecloud",
        "user_email": "johnsmith@example.com",
        "user_name": "John Smith",
        "user_username": "johnsmith",
        "user_id": 41,
    },
]


@pytest.mark.parametrize("body", SYSTEM_HOOKS, ids=lambda b: b["event_name"])
def test_system_hooks_are_ignored_by_name_not_refused(body: dict) -> None:
    said = read_event(json.dumps(body))
    assert said == (
        f"ignored: a system hook's {body['event_name']} event (accred-ops acts on the issue, "
        "comment and epic events of a project or group webhook)"
    )


def test_a_body_with_neither_kind_nor_event_name_is_still_refused() -> None:
    from accred_ops.core.event import BadEvent

    with pytest.raises(BadEvent, match="missing object_kind"):
        read_event(json.dumps({"user": {"username": "x"}}))
