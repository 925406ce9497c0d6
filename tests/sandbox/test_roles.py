"""GitLab's roles where the tool's safety depends on them, each as GitLab's policies or docs say.

The default world (`Sandbox()`): accred-bot (Owner) and erin (Maintainer) in the group; alice,
bob and carol Guests of the project only; sam a Developer of the assessors subgroup and a
Reporter of the project; dana nowhere.
"""

from __future__ import annotations

import gitlab
import pytest

from accred_ops.sandbox import Sandbox
from tests.sandbox.conftest import GROUP, PROJECT


def _issue_for(gl_for, user: str, iid: int):
    return gl_for(user).projects.get(PROJECT, lazy=True).issues.get(iid)


@pytest.fixture
def issues(bot: gitlab.Gitlab, project) -> dict[str, int]:
    """One issue assigned to alice, one of the tool's own."""
    bot.groups.get(GROUP).labels.create({"name": "exam::passed", "color": "#00AA00"})
    alice = bot.users.list(username="alice")[0].id
    mine = project.issues.create({"title": "Alice's course", "assignee_ids": [alice]})
    theirs = project.issues.create({"title": "Tool's"})
    return {"alice": mine.iid, "tool": theirs.iid}


def test_a_guest_edits_the_description_of_an_issue_assigned_to_them_but_not_its_labels(
    gl_for, issues, project
) -> None:
    """app/policies/issuable_policy.rb: `assignee_or_author` enables `update_issue`;
    app/policies/issue_policy.rb: `set_issue_metadata` (labels, assignees) needs `admin_issue`
    on a persisted issue, which a Guest lacks (the update drops those fields)."""
    mine = _issue_for(gl_for, "alice", issues["alice"])
    mine.description = "- [x] done"
    mine.save()
    gl_for("alice").projects.get(PROJECT, lazy=True).issues.update(
        issues["alice"], {"add_labels": "exam::passed"}
    )
    fresh = project.issues.get(issues["alice"])
    assert fresh.description == "- [x] done" and fresh.labels == []


def test_a_guest_cannot_edit_or_close_someone_elses_issue(gl_for, issues, project) -> None:
    """issuable_policy.rb: a Guest who is neither author nor assignee has no `update_issue`."""
    bob = gl_for("bob").projects.get(PROJECT, lazy=True)
    for change in ({"description": "mine now"}, {"state_event": "close"}, {"add_labels": "x"}):
        with pytest.raises(gitlab.GitlabUpdateError) as err:
            bob.issues.update(issues["alice"], change)
        assert err.value.response_code == 403
    assert project.issues.get(issues["alice"]).state == "opened"


def test_a_guests_quick_actions_on_a_peers_issue_stay_text(gl_for, issues, project) -> None:
    """lib/gitlab/quick_actions/issuable_actions.rb: /close needs `update_issue`, /label
    `set_issue_metadata`; a command not offered to its author is left as text."""
    bob = _issue_for(gl_for, "bob", issues["alice"])
    bob.notes.create({"body": '/label ~"exam::passed"\n/close'})
    fresh = project.issues.get(issues["alice"])
    assert (fresh.state, fresh.labels) == ("opened", [])


def test_a_project_only_member_reads_the_parent_group_its_labels_and_epics(
    gl_for, bot: gitlab.Gitlab
) -> None:
    """app/policies/group_policy.rb: `has_projects` enables `read_group`; epics and labels
    are read with the group. Group writes are then 403, not 404."""
    epic = bot.groups.get(GROUP).epics.create({"title": "Path"})
    alice = gl_for("alice")
    group = alice.groups.get(GROUP)
    assert group.full_path == GROUP
    group.labels.list(get_all=True)
    assert [e.title for e in group.epics.list(get_all=True)] == ["Path"]
    with pytest.raises(gitlab.GitlabCreateError) as err:
        group.labels.create({"name": "mine", "color": "#000000"})
    assert err.value.response_code == 403
    with pytest.raises(gitlab.GitlabUpdateError) as err:
        group.epics.update(epic.iid, {"title": "Renamed"})
    assert err.value.response_code == 403


def test_a_project_only_member_may_comment_on_an_epic(gl_for, bot: gitlab.Gitlab) -> None:
    """ee/app/policies/epic_policy.rb: `read_epic & ~anonymous` enables `create_note`."""
    epic = bot.groups.get(GROUP).epics.create({"title": "Path"})
    theirs = gl_for("alice").groups.get(GROUP, lazy=True).epics.get(epic.iid)
    theirs.notes.create({"body": "hello"})
    assert [n.body for n in epic.notes.list(get_all=True)] == ["hello"]


def test_a_private_project_and_group_are_404_to_non_members(gl_for) -> None:
    """GitLab answers 404, not 403, for what a user may not see (api/README, "Status codes")."""
    dana = gl_for("dana")
    for get in (lambda: dana.projects.get(PROJECT), lambda: dana.groups.get(GROUP)):
        with pytest.raises(gitlab.GitlabGetError) as err:
            get()
        assert err.value.response_code == 404


def test_learners_are_not_inherited_members_of_the_assessors_subgroup(gl_for) -> None:
    """members.md: `/members/all` adds members inherited from ancestor groups; the default
    world keeps learners out of the parent group, so they inherit nothing."""
    assessors = gl_for("accred-bot").groups.get(f"{GROUP}/assessors")
    everyone = {m.username for m in assessors.members_all.list(get_all=True)}
    assert not everyone & {"alice", "bob", "carol"}
    assert [m.username for m in assessors.members.list(get_all=True)] == ["sam"]


def test_scope_filters_issue_lists_and_a_bad_value_is_a_400(gl_for, issues, sb: Sandbox) -> None:
    """GitLab API issues.md: `scope` is `created_by_me`, `assigned_to_me` or `all`."""
    alice = gl_for("alice").projects.get(PROJECT, lazy=True)
    assert [i.title for i in alice.issues.list(scope="assigned_to_me")] == ["Alice's course"]
    assert alice.issues.list(scope="created_by_me") == []
    assert len(alice.issues.list(scope="all")) == 2
    from tests.sandbox.test_api import api

    answer = api(sb, f"/projects/{PROJECT.replace('/', '%2F')}/issues?scope=mine", user="alice")
    assert answer.status_code == 400


def test_labels_are_listed_by_title(bot: gitlab.Gitlab) -> None:
    """GitLab API labels.md lists labels ordered by title (LabelsFinder: `title_asc`)."""
    group = bot.groups.get(GROUP)
    for name in ("zeta", "Alpha", "mid"):
        group.labels.create({"name": name, "color": "#000000"})
    assert [lb.name for lb in group.labels.list(get_all=True)] == ["Alpha", "mid", "zeta"]


def test_a_free_group_gets_one_board(bot: gitlab.Gitlab) -> None:
    """Multiple group boards need Premium (GitLab docs, issue boards; gitlab-org/gitlab#276937)."""
    with Sandbox(
        {
            "users": [{"username": "bot"}],
            "groups": [
                {"path": "g", "tier": "free", "members": [{"username": "bot", "access_level": 50}]}
            ],
        }
    ) as free:
        gl = gitlab.Gitlab(free.url, private_token=free.token_for("bot"))
        boards = gl.groups.get("g").boards
        boards.create({"name": "one"})
        with pytest.raises(gitlab.GitlabCreateError) as err:
            boards.create({"name": "two"})
        assert err.value.response_code == 400
    group = bot.groups.get(GROUP)  # Premium: several
    group.boards.create({"name": "one"})
    group.boards.create({"name": "two"})


def test_system_notes_for_title_links_and_epics(bot: gitlab.Gitlab, project) -> None:
    """SystemNoteService: change_title, relate_issue (both sides), and SystemNotes::
    EpicsService for an issue added to, moved between and removed from epics."""
    first, second = (project.issues.create({"title": t}) for t in ("One", "Two"))
    first.title = "Uno"
    first.save()
    first.links.create(
        {"target_project_id": project.id, "target_issue_iid": second.iid, "link_type": "blocks"}
    )
    group = bot.groups.get(GROUP)
    a, b = (group.epics.create({"title": t}) for t in ("A", "B"))
    group.epics.get(a.iid, lazy=True).issues.create({"issue_id": first.id})
    group.epics.get(b.iid, lazy=True).issues.create({"issue_id": first.id})
    association = group.epics.get(b.iid, lazy=True).issues.list(get_all=True)[0]
    association.delete()
    said = [n.body for n in project.issues.get(first.iid).notes.list(get_all=True, sort="asc")]
    assert said == [
        "changed title from **One** to **Uno**",
        f"marked this issue as blocking #{second.iid}",
        f"added to epic &{a.iid}",
        f"changed epic to &{b.iid}",
        f"removed from epic &{b.iid}",
    ]
    other = [n.body for n in project.issues.get(second.iid).notes.list(get_all=True)]
    assert other == [f"marked this issue as blocked by #{first.iid}"]
    assert [n.body for n in group.epics.get(a.iid).notes.list(get_all=True, sort="asc")] == [
        f"added issue #{first.iid}",
        f"removed issue #{first.iid}",
    ]


def test_a_blocks_link_reads_is_blocked_by_from_the_blocked_side(project) -> None:
    """GitLab API linked_issues.md: each issue lists its links as seen from itself."""
    first, second = (project.issues.create({"title": t}) for t in ("One", "Two"))
    first.links.create(
        {"target_project_id": project.id, "target_issue_iid": second.iid, "link_type": "blocks"}
    )
    assert [i.link_type for i in first.links.list()] == ["blocks"]
    assert [i.link_type for i in project.issues.get(second.iid).links.list()] == ["is_blocked_by"]


def test_the_seed_format_in_sandbox_help_builds_that_world() -> None:
    """`accred-ops sandbox --help` documents the seed format with an example that works."""
    import textwrap

    import yaml
    from click.testing import CliRunner

    from accred_ops.cli import main

    text = CliRunner().invoke(main, ["sandbox", "--help"]).output
    block = text.split("A seed file:\n", 1)[1].split("\n\n", 1)[0]
    seed = yaml.safe_load(textwrap.dedent(block))
    with Sandbox(seed) as sandbox:
        assert sandbox.token_for("accred-bot") == "my-token"
        assert sandbox.world.find_user("accred-bot").bot  # an access token's user, as advised
        alice = gitlab.Gitlab(sandbox.url, private_token=sandbox.token_for("alice"))
        assert alice.groups.get("field-enablement").full_path == "field-enablement"


def test_the_extractor_skips_code_inline_code_html_and_quote_blocks() -> None:
    """lib/gitlab/quick_actions/extractor.rb: commands inside ``` blocks, a run between
    backticks, `<tag>`…`</tag>` lines and `>>>` quotes are text; `/close` at a line start runs."""
    from accred_ops.sandbox.markdown import quick_actions

    def runs(text: str) -> int:
        return quick_actions(text, is_open=True, persisted=True, has_labels=True).count

    for block in ("```\n/close\n```", "`\n/close\n`", "<div>\n/close\n</div>", ">>>\n/close\n>>>"):
        assert runs(block) == 0, block
        assert runs(block + "\n/close") == 1, block
    assert runs(" /close") == 0 and runs("\\/close") == 0 and runs("a\n/CLOSE\nb") == 1
