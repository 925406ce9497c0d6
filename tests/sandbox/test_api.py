"""The sandbox's REST surface, driven with python-gitlab (requests only for raw headers/bodies)."""

from __future__ import annotations

import gitlab
import pytest
import requests

from accred_ops.sandbox import Sandbox
from tests.sandbox.conftest import GROUP, PROJECT


def api(
    sb: Sandbox, path: str, user: str | None = "accred-bot", method: str = "GET", **kw: object
) -> requests.Response:
    """A raw request, for what python-gitlab hides: headers, exact bodies, odd inputs."""
    headers = {"PRIVATE-TOKEN": sb.token_for(user)} if user else {}
    headers |= kw.pop("headers", {})  # type: ignore[arg-type]
    return requests.request(method, f"{sb.url}/api/v4{path}", headers=headers, **kw)  # type: ignore[arg-type]


def test_auth_401_and_404_for_what_the_user_cannot_see(sb: Sandbox, gl_for) -> None:
    assert api(sb, "/user", user=None).json() == {"message": "401 Unauthorized"}
    bearer = {"Authorization": f"Bearer {sb.token_for('alice')}"}
    assert api(sb, "/user", user=None, headers=bearer).json()["username"] == "alice"
    with pytest.raises(gitlab.GitlabAuthenticationError):
        gitlab.Gitlab(sb.url, private_token="nope").auth()
    dana = gl_for("dana")
    with pytest.raises(gitlab.GitlabGetError) as err:
        dana.projects.get(PROJECT)
    assert err.value.response_code == 404 and err.value.error_message == "404 Project Not Found"
    assert api(sb, "/groups/field-enablement", user="dana").json() == {
        "message": "404 Group Not Found"
    }


def test_users_lookup_is_case_insensitive_and_shaped_like_gitlab(bot: gitlab.Gitlab) -> None:
    (alice,) = bot.users.list(username="ALICE")
    assert {"id", "username", "name", "state", "locked", "avatar_url", "web_url"} <= set(
        alice.asdict()
    )
    assert bot.users.list(username="ghost") == []
    assert bot.users.get(alice.id).username == "alice"
    with pytest.raises(gitlab.GitlabGetError, match="404 User Not Found"):
        bot.users.get(999_999)


def test_groups_projects_and_members(bot: gitlab.Gitlab, gl_for) -> None:
    assert bot.projects.get(PROJECT).path_with_namespace == PROJECT
    assessors = gl_for("sam").groups.get("field-enablement/assessors")
    assert assessors.full_path == "field-enablement/assessors"
    inherited = {m.username: m.access_level for m in assessors.members_all.list(get_all=True)}
    # learners are project members only: they are not inherited members of the subgroup
    assert inherited == {"accred-bot": 50, "erin": 40, "sam": 30}
    assert [m.username for m in assessors.members.list(get_all=True)] == ["sam"]
    sb_project = bot.projects.get(PROJECT)
    everyone = {m.username for m in sb_project.members_all.list(get_all=True)}
    assert {"accred-bot", "alice", "bob", "carol"} <= everyone


def test_labels_create_list_duplicate_and_roles(sb: Sandbox, group, project, gl_for) -> None:
    label = group.labels.create({"name": "exam::passed", "color": "#00AA00", "description": "ok"})
    assert (label.name, label.color, label.text_color, label.description) == (
        "exam::passed",
        "#00AA00",
        "#FFFFFF",
        "ok",
    )
    with pytest.raises(gitlab.GitlabCreateError) as dup:
        group.labels.create({"name": "exam::passed", "color": "#00AA00"})
    assert dup.value.response_code == 409 and dup.value.error_message == "Label already exists"
    assert api(sb, f"/groups/{GROUP}/labels", method="POST", json={"name": "x"}).json() == {
        "error": "color is missing"
    }
    (listed,) = project.labels.list(get_all=True)
    assert listed.is_project_label is False and listed.name == "exam::passed"
    sb.add_member(GROUP, "dana", 10)
    with pytest.raises(gitlab.GitlabCreateError, match="403"):
        gl_for("dana").groups.get(GROUP, lazy=True).labels.create({"name": "y", "color": "red"})


def test_issue_create_get_and_fields(sb: Sandbox, project, bot) -> None:
    alice = bot.users.list(username="alice")[0]
    issue = project.issues.create(
        {
            "title": "Course — @alice",
            "description": "- [x] a\n  * [ ] b\n1. [~] c",
            "labels": ["b", "a"],
            "assignee_ids": [alice.id],
            "due_date": "2026-12-15",
        }
    )
    assert (issue.iid, issue.state, issue.labels, issue.due_date) == (
        1,
        "opened",
        ["a", "b"],
        "2026-12-15",
    )
    assert issue.web_url == f"{sb.url}/{PROJECT}/-/issues/1"
    assert issue.references == {"short": "#1", "relative": "#1", "full": f"{PROJECT}#1"}
    assert issue.task_completion_status == {"count": 2, "completed_count": 1}
    assert (issue.assignee["username"], issue.author["username"], issue.epic) == (
        "alice",
        "accred-bot",
        None,
    )
    assert api(sb, f"/projects/{issue.project_id}/issues", method="POST", json={}).json() == {
        "error": "title is missing"
    }


def test_issue_edit_labels_state_and_updated_at(sb: Sandbox, project) -> None:
    issue = project.issues.create({"title": "T", "labels": "x,y"})
    sb.advance(minutes=5)
    edited = project.issues.update(
        issue.iid, {"add_labels": "z", "remove_labels": "x", "state_event": "close"}
    )
    assert edited["labels"] == ["y", "z"] and edited["state"] == "closed"
    assert edited["closed_by"]["username"] == "accred-bot" and edited["closed_at"]
    assert edited["updated_at"] > issue.updated_at
    reopened = project.issues.update(issue.iid, {"state_event": "reopen", "labels": ""})
    assert (reopened["state"], reopened["closed_at"], reopened["labels"]) == ("opened", None, [])


def test_issue_list_filters(sb: Sandbox, project, bot) -> None:
    alice = bot.users.list(username="alice")[0]
    one = project.issues.create(
        {"title": "Account Planning", "labels": "a,b", "assignee_ids": [alice.id]}
    )
    sb.advance(hours=1)
    two = project.issues.create(
        {"title": "Generate Pipeline", "description": "planning notes", "labels": "a"}
    )
    project.issues.create({"title": "Unlabelled"}).notes.create({"body": "hi"})
    project.issues.update(two.iid, {"state_event": "close"})

    def titles(**filters: object) -> list[str]:
        return [i.title for i in project.issues.list(get_all=True, **filters)]

    assert titles(labels=["a", "b"]) == ["Account Planning"]
    assert titles(labels="None") == ["Unlabelled"] and len(titles(labels="Any")) == 2
    assert titles(**{"not[labels]": "b"}) == ["Unlabelled", "Generate Pipeline"]
    assert titles(state="opened", assignee_username="alice") == ["Account Planning"]
    assert titles(iids=[one.iid, two.iid], sort="asc") == ["Account Planning", "Generate Pipeline"]
    assert titles(search="PLANNING account") == ["Account Planning"]
    assert titles(search="planning", **{"in": "title"}) == ["Account Planning"]
    recent = ["Generate Pipeline", "Unlabelled"]  # closed last, then commented
    assert titles(updated_after=two.created_at, order_by="updated_at") == recent
    detailed = project.issues.list(get_all=True, labels="b", with_labels_details=True)[0]
    assert [lb["name"] for lb in detailed.labels] == ["a", "b"] and "color" in detailed.labels[0]


def test_pagination_headers_and_get_all_across_pages(sb: Sandbox, project) -> None:
    for n in range(260):
        project.issues.create({"title": f"Issue {n}", "labels": "bulk"})
    page = api(
        sb, f"/projects/{project.id}/issues", params={"labels": "bulk", "per_page": 100, "page": 2}
    )
    h = page.headers
    assert (h["X-Page"], h["X-Per-Page"], h["X-Next-Page"], h["X-Prev-Page"]) == (
        "2",
        "100",
        "3",
        "1",
    )
    assert (h["X-Total"], h["X-Total-Pages"], len(page.json())) == ("260", "3", 100)
    assert 'labels=bulk&page=3&per_page=100>; rel="next"' in h["Link"] and 'rel="last"' in h["Link"]
    last = api(sb, f"/projects/{project.id}/issues", params={"per_page": 500, "page": 3})
    assert (last.headers["X-Per-Page"], last.headers["X-Next-Page"], len(last.json())) == (
        "100",
        "",
        60,
    )
    assert len(project.issues.list(get_all=True, labels="bulk", per_page=30)) == 260


def test_unknown_route_bad_json_and_wrong_method(sb: Sandbox) -> None:
    assert api(sb, "/nothing/here").json() == {"error": "404 Not Found"}
    json_type = {"Content-Type": "application/json"}
    bad = api(sb, "/projects/1/issues", method="POST", data="{oops", headers=json_type)
    assert bad.status_code == 400
    assert api(sb, "/user", method="DELETE").status_code == 405


def test_form_encoded_bodies_are_accepted(sb: Sandbox) -> None:
    created = api(
        sb,
        "/projects/field-enablement%2Faccreditation/issues",
        method="POST",
        data={"title": "Form", "labels": "p,q"},
    )
    assert created.status_code == 201 and created.json()["labels"] == ["p", "q"]


def test_group_boards_and_lists(group) -> None:
    labels = [group.labels.create({"name": n, "color": "#123456"}) for n in ("one", "two")]
    board = group.boards.create({"name": "Field Enablement"})
    for label in labels:
        board.lists.create({"label_id": label.id})
    lists = group.boards.get(board.id).lists.list(get_all=True)
    assert [(lst.label["name"], lst.position) for lst in lists] == [("one", 0), ("two", 1)]
    with pytest.raises(gitlab.GitlabCreateError, match="400"):
        board.lists.create({"label_id": 0})
    lists[0].delete()
    assert [lst.label["name"] for lst in board.lists.list(get_all=True)] == ["two"]
