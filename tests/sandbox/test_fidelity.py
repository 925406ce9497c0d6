"""Two gaps python-gitlab's own functional tests found: HEAD on a GET route, and an issue's
weight on a Premium group (GitLab API issues.md: `weight`, Premium and Ultimate)."""

from __future__ import annotations

import copy

import gitlab
import pytest
import requests

from accred_ops.sandbox import DEFAULT_SEED, Sandbox
from tests.sandbox.conftest import PROJECT


def test_head_on_a_get_route_answers_like_get_without_a_body(sb: Sandbox, project) -> None:
    issue = project.issues.create({"title": "Weigh me"})
    headers = {"PRIVATE-TOKEN": sb.token_for("accred-bot")}
    url = f"{sb.url}/api/v4/projects/{project.id}/issues/{issue.iid}"
    got = requests.get(url, headers=headers, timeout=10)
    head = requests.head(url, headers=headers, timeout=10)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["Content-Type"] == got.headers["Content-Type"] == "application/json"
    assert head.headers["Content-Length"] == str(len(got.content))
    listing = requests.head(f"{sb.url}/api/v4/projects/{project.id}/issues", headers=headers)
    assert listing.status_code == 200 and listing.headers["X-Total"] == "1"
    assert requests.head(f"{sb.url}/api/v4/projects/{project.id}/issues").status_code == 401
    assert requests.head(f"{sb.url}/api/v4/nowhere", headers=headers).status_code == 404
    assert requests.head(f"{sb.url}/").status_code == 200  # the board page too
    assert [r.method for r in sb.log][-6:] == ["GET"] + ["HEAD"] * 5


def test_weight_is_stored_on_a_premium_issue_edit(project) -> None:
    issue = project.issues.create({"title": "Weigh me", "weight": 2})
    assert issue.weight == 2
    issue.weight = 5  # alone: once a 400 ("at least one parameter")
    issue.save()
    assert project.issues.get(issue.iid).weight == 5
    project.issues.update(issue.iid, {"weight": 3, "title": "Weighed"})  # with another field
    again = project.issues.get(issue.iid)
    assert (again.weight, again.title) == (3, "Weighed")
    notes = [n.body for n in again.notes.list(get_all=True) if n.system]
    assert "changed weight to **5**" in notes and "changed weight to **3**" in notes
    project.issues.update(issue.iid, {"weight": None})
    assert project.issues.get(issue.iid).weight is None


def test_weight_is_refused_when_invalid_and_dropped_where_not_allowed(project, gl_for) -> None:
    issue = project.issues.create({"title": "Weigh me", "assignee_ids": []})
    with pytest.raises(gitlab.GitlabUpdateError) as err:
        project.issues.update(issue.iid, {"weight": -1})
    assert err.value.response_code == 400 and "greater than or equal to 0" in str(err.value)
    with pytest.raises(gitlab.GitlabUpdateError, match="weight is invalid"):
        project.issues.update(issue.iid, {"weight": "heavy"})
    # a Guest may edit an issue they authored, but not its metadata: the weight is dropped
    alice = gl_for("alice").projects.get(PROJECT)
    own = alice.issues.create({"title": "Mine"})
    alice.issues.update(own.iid, {"weight": 4})
    assert project.issues.get(own.iid).weight is None


def test_weight_is_dropped_on_free() -> None:
    seed = copy.deepcopy(DEFAULT_SEED)
    seed["groups"][0]["tier"] = "free"
    with Sandbox(seed) as sb:
        gl = gitlab.Gitlab(sb.url, private_token=sb.token_for("accred-bot"))
        project = gl.projects.get(PROJECT)
        issue = project.issues.create({"title": "Weigh me"})
        project.issues.update(issue.iid, {"weight": 3})  # accepted, and dropped
        assert "weight" not in project.issues.get(issue.iid).attributes
