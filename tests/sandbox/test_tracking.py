"""What GitLab records when people act: notes, label events, tick notes, quick actions, epics."""

from __future__ import annotations

import gitlab
import pytest

from accred_ops.sandbox import Sandbox, markdown
from tests.sandbox.conftest import GROUP, PROJECT

FREE = {
    "users": [{"username": "bot", "token": "bot-secret"}],
    "groups": [{"path": "g", "tier": "free", "members": [{"username": "bot", "access_level": 50}]}],
    "projects": [{"path": "g/p"}],
}


def events(issue) -> list[tuple[str, str, str]]:
    rows = issue.resourcelabelevents.list(get_all=True)
    return [(e.action, e.label["name"], e.user["username"]) for e in rows]


def test_notes_create_list_order_and_edit(project) -> None:
    issue = project.issues.create({"title": "T"})
    first = issue.notes.create({"body": "first"})
    issue.notes.create({"body": "second"})
    assert (first.system, first.noteable_type, first.noteable_iid, first.author["username"]) == (
        False,
        "Issue",
        issue.iid,
        "accred-bot",
    )
    assert [n.body for n in issue.notes.list(get_all=True)] == ["second", "first"]
    assert [n.body for n in issue.notes.list(get_all=True, sort="asc")] == ["first", "second"]
    first.body = "edited"
    first.save()
    assert project.issues.get(issue.iid).user_notes_count == 2
    assert issue.notes.get(first.id).body == "edited"


def test_label_events_name_who_added_each_label(project, gl_for) -> None:
    issue = project.issues.create({"title": "T", "labels": "status::todo,course::a"})
    sam = gl_for("sam").projects.get(PROJECT, lazy=True)
    sam.issues.update(issue.iid, {"add_labels": "status::done"})
    got = events(project.issues.get(issue.iid))
    assert got == [
        ("add", "status::todo", "accred-bot"),  # labels given at creation: by the creator
        ("add", "course::a", "accred-bot"),
        ("add", "status::done", "sam"),
        ("remove", "status::todo", "sam"),  # Premium: same scope, replaced
    ]
    assert project.issues.get(issue.iid).labels == ["course::a", "status::done"]


def test_ticking_a_checklist_item_writes_the_exact_system_note(project, gl_for) -> None:
    alice_id = gl_for("accred-bot").users.list(username="alice")[0].id
    issue = project.issues.create(  # alice, a Guest, may edit it because she is its assignee
        {
            "title": "T",
            "description": "- [ ] Read the handbook\n- [ ] Do it",
            "assignee_ids": [alice_id],
        }
    )
    mine = gl_for("alice").projects.get(PROJECT, lazy=True).issues.get(issue.iid)
    mine.description = "- [x] Read the handbook\n- [ ] Do it"
    mine.save()
    note = mine.notes.list(get_all=True)[0]
    assert (note.body, note.system, note.author["username"]) == (
        "marked the checklist item **Read the handbook** as completed",
        True,
        "alice",
    )
    assert project.issues.get(issue.iid).task_completion_status == {
        "count": 2,
        "completed_count": 1,
    }
    mine.description = "- [x] Read the handbook\n- [ ] Do it twice"
    mine.save()
    assert mine.notes.list(get_all=True)[0].body == "changed the description"


def test_task_lists_follow_gitlab_markdown() -> None:
    text = "* [X] a\n  + [ ] nested\n1. [x] numbered\n- [~] skipped\n```\n- [ ] code\n```\n<!-- - [ ] hidden -->"
    assert markdown.completion(text) == (3, 2)
    assert [t.text for t in markdown.flipped("- [ ] a\n- [ ] b", "- [ ] a\n- [x] b")] == ["b"]
    assert markdown.flipped("- [ ] a", "- [ ] new\n- [x] a") == []  # paired by index, like GitLab


def test_quick_action_in_a_members_comment_runs_as_that_member(group, project, gl_for) -> None:
    group.labels.create({"name": "exam::passed", "color": "#00AA00"})
    issue = project.issues.create({"title": "T"})
    mine = gl_for("sam").projects.get(PROJECT, lazy=True).issues.get(issue.iid, lazy=True)
    answer = mine.notes.create({"body": '/label ~"exam::passed"'})
    assert answer.summary and "add_label_ids" in answer.commands_changes  # 202: nothing stored
    assert events(mine) == [("add", "exam::passed", "sam")]
    mine.notes.create({"body": "done\n/close\n`/reopen` and  /label ~x are text"})
    fresh = project.issues.get(issue.iid)
    closer = fresh.attributes["closed_by"]["username"]  # `.closed_by` is a python-gitlab method
    assert (fresh.state, fresh.labels, closer) == (
        "closed",
        ["exam::passed"],
        "sam",
    )
    assert [n.body for n in fresh.notes.list(get_all=True)] == [
        "done\n`/reopen` and  /label ~x are text"
    ]


def test_epics_epic_issues_and_the_issue_epic_field(sb: Sandbox, group, project) -> None:
    epic = group.epics.create({"title": "Path — @alice", "labels": ["learner"], "description": "d"})
    assert (epic.iid, epic.state, epic.labels) == (1, "opened", ["learner"])
    assert epic.web_url == f"{sb.url}/groups/{GROUP}/-/epics/1"
    issue = project.issues.create({"title": "Course", "epic_id": epic.id})
    assert issue.epic == {
        "id": epic.id,
        "iid": 1,
        "title": "Path — @alice",
        "url": f"/groups/{GROUP}/-/epics/1",
        "group_id": group.id,
    }
    other = group.epics.create({"title": "Other"})
    link = other.issues.create({"issue_id": issue.id})  # moves it from the first epic
    assert (
        project.issues.get(issue.iid).epic_iid == other.iid and epic.issues.list(get_all=True) == []
    )
    (child,) = other.issues.list(get_all=True)
    assert child.epic_issue_id == link.epic_issue_id and child.title == "Course"
    child.delete()
    assert project.issues.get(issue.iid).epic is None
    assert [e.title for e in group.epics.list(get_all=True, labels="learner", state="all")] == [
        "Path — @alice"
    ]


def test_epic_notes_events_and_edits_use_gitlab_ids(group) -> None:
    epic = group.epics.create({"title": "E", "description": "- [ ] x"})
    epic.notes.create({"body": "hello"})
    group.epics.update(
        epic.iid, {"description": "- [x] x", "add_labels": "k::v", "state_event": "close"}
    )
    fresh = group.epics.get(epic.iid)
    assert (fresh.state, fresh.labels, fresh.closed_at is not None) == ("closed", ["k::v"], True)
    assert [n.body for n in fresh.notes.list(get_all=True)] == [
        "marked the checklist item **x** as completed",
        "hello",
    ]
    (event,) = fresh.resourcelabelevents.list(get_all=True)
    assert (event.resource_type, event.resource_id, event.action) == ("Epic", epic.id, "add")


def test_issue_links(project) -> None:
    a, b = project.issues.create({"title": "A"}), project.issues.create({"title": "B"})
    a.links.create({"target_project_id": project.id, "target_issue_iid": b.iid})
    (linked,) = b.links.list(get_all=True)
    assert (linked.title, linked.link_type) == ("A", "relates_to")
    with pytest.raises(gitlab.GitlabCreateError, match="409"):
        a.links.create({"target_project_id": project.id, "target_issue_iid": b.iid})


def test_free_tier_has_no_epics_and_no_scoped_exclusivity() -> None:
    with Sandbox(FREE) as sb:
        gl = gitlab.Gitlab(sb.url, private_token="bot-secret")
        with pytest.raises(gitlab.GitlabListError) as err:
            gl.groups.get("g", lazy=True).epics.list(get_all=True)
        assert err.value.response_code == 403 and err.value.error_message == "403 Forbidden"
        issue = gl.projects.get("g/p", lazy=True).issues.create({"title": "T", "labels": "s::a"})
        assert "epic" not in issue.asdict()
        issue = gl.projects.get("g/p", lazy=True).issues.update(issue.iid, {"add_labels": "s::b"})
        assert issue["labels"] == ["s::a", "s::b"]
