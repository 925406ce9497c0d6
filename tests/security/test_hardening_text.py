"""Rows 9, 10, 19, 20, 21, 22: text from curriculum files, accred.yml, the command line and GitLab
never runs a quick action as the tool, never sends `@all`, never breaks a table or a link.

Each attack is played with the attacker's own token and role (a learner is a project Reporter,
as the demo's world has them; the enablement team edits files), against the sandbox, whose
quick-action extractor follows GitLab's (lib/gitlab/quick_actions/extractor.rb).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from accred_ops.app.planfile import plan_markdown
from accred_ops.core import marker
from accred_ops.sandbox.markdown import quick_actions
from accred_ops.sync.results import LearnerResult, RunResult
from tests.e2e.conftest import World, free_seed, world_on
from tests.e2e.conftest import world as world  # the e2e world fixture, shared
from tests.e2e.test_sync import FIRST, _enrolled

CURRICULUM = "curriculum/strategic-account-leaders.yml"
LIVE_MENTION = re.compile(r"(?<![\\\w`])@(all|field-enablement)\b")


@pytest.fixture
def free_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """A Free group: learner issues in the project, which any Reporter may edit."""
    with world_on(free_seed(), tmp_path, monkeypatch) as made:
        yield made


def _learner_issue(world: World, learner: str) -> object:
    """`learner`'s learner issue as python-gitlab gives it to a peer (bob)."""
    project = world.person("bob").project
    found = [
        i
        for i in project.issues.list(iterator=True, labels="Learning path", state="all")
        if i.title.endswith(f"@{learner}")
    ]
    assert len(found) == 1, [i.title for i in found]
    return found[0]


def _tick_one(world: World, learner: str) -> None:
    person = world.person(learner)
    person.tick(
        person.find_issue(FIRST, learner), ["The different types of partners GitLab works with"]
    )


# --- row 10: a dormant `/close` in one's own learner issue --------------------------------------


def test_row10_dormant_close_in_a_learner_issue_is_not_run_by_the_tools_rewrite(
    free_world: World,
) -> None:
    world = _enrolled(free_world)
    issue = _learner_issue(world, "alice")
    alice = world.person("alice").project.issues.get(issue.iid)
    alice.state_event = "close"
    alice.save()
    alice.description = alice.description + "\n/close\n"  # closed: /close is not available
    alice.save()
    alice.state_event = "reopen"
    alice.save()
    assert "\n/close" in world.person("bob").project.issues.get(issue.iid).description
    _tick_one(world, "alice")  # the progress table changes: the tool rewrites the description
    assert world.cli("sync").exit_code == 0
    after = world.person("bob").project.issues.get(issue.iid)
    assert after.state == "opened"
    assert "\\/close" in after.description and "\n/close" not in after.description
    assert "accreditation::in-progress" in after.labels


# --- row 19: a peer wraps the progress section in a fence, quote or HTML block -----------------

WRAPS = {
    "fence": ("```", "```"),
    "quote": (">>>", ">>>"),
    "html": ("<div>", "</div>"),
}


@pytest.mark.parametrize("wrap", sorted(WRAPS))
def test_row19_commands_wrapped_around_a_peers_section_never_run_as_the_tool(
    free_world: World, wrap: str
) -> None:
    world = _enrolled(free_world)
    issue = _learner_issue(world, "alice")
    opening, closing = WRAPS[wrap]
    bob = world.person("bob").project.issues.get(issue.iid)
    commands = '/unlabel ~"program::sal"\n/close'
    bob.description = f"{opening}\n{commands}\n{bob.description}\n{commands}\n{closing}\n"
    bob.save()
    saved = world.person("bob").project.issues.get(issue.iid)
    assert saved.state == "opened" and "program::sal" in saved.labels  # bob's save ran nothing
    _tick_one(world, "alice")
    for _ in range(2):
        assert world.cli("sync").exit_code == 0
    after = world.person("bob").project.issues.get(issue.iid)
    assert after.state == "opened"
    assert "program::sal" in after.labels
    assert not re.search(r"^/(close|unlabel)", after.description, re.M)
    _learner_issue(world, "alice")  # still exactly one learner issue for alice


def test_defused_text_holds_no_command_for_gitlabs_extractor() -> None:
    """The rule, against the extractor's own cases: any block may be opened or closed around the
    section, a "\\r" may hide the line start; nothing survives `defuse`."""
    nasty = [
        "/close",
        "\r/close",
        "```\n/close\n```",
        ">>>\n/close\n>>>",
        "<div>\n/close\n</div>",
        "`\n/close\n`",
        "<!--\n/close\n-->",
        '/label ~"x"\n/unlabel ~"program::sal"',
    ]
    for text in nasty:
        for around in ("", "```\n", ">>>\n", "<p>\n"):
            body = marker.replace_section(
                around
                + text
                + "\n"
                + marker.PROGRESS_START
                + "\n"
                + marker.PROGRESS_END
                + "\n"
                + text,
                "| a | b |",
            )
            found = quick_actions(body, is_open=True, persisted=True, has_labels=True)
            assert found.count == 0, (text, around, body)


# --- row 9: multi-line fields, pipes and mentions in a curriculum file --------------------------


FIRST_URL = "url: https://gitlab.edcast.com/insights/ECL-9a30df21-dff0-4ac5-8ffa-e67429860dfd"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (FIRST_URL, 'url: "https://example.com/x\\n/label ~exam::passed\\n/close"'),
        ("title: Co-Selling with Partners", "title: |\n          Co-Selling\n          /close"),
    ],
)
def test_row9_a_multi_line_field_is_refused_at_its_line(
    program_dir: Path, old: str, new: str
) -> None:
    from click.testing import CliRunner

    from accred_ops.cli import main

    path = program_dir / CURRICULUM
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    line = next(
        n for n, text in enumerate(path.read_text().splitlines(), 1) if new.split("\n")[0] in text
    )
    assert re.search(rf"strategic-account-leaders\.yml:{line}: .*one line", result.output)


def test_row9_badge_name_with_pipes_and_mentions_keeps_the_table_and_mentions_nobody(
    world: World,
) -> None:
    path = world.root / CURRICULUM
    text = path.read_text()
    hostile = "Pipes | and @all and @field-enablement <img src=x> ~exam::passed"
    text = text.replace(
        'badge: {name: "SAL: Co-Selling with Partners"}', f'badge: {{name: "{hostile}"}}'
    )
    path.write_text(text)
    _enrolled(world)
    from tests.e2e.test_sync import _pass

    _pass(world, FIRST, "alice")
    assert world.cli("sync").exit_code == 0
    snap = world.sandbox.snapshot()
    written = [
        body
        for group in ("issues", "epics")
        for item in snap[group].values()
        for body in [item["description"], *(n["body"] for n in item["notes"])]
    ]
    assert written and not any(LIVE_MENTION.search(body or "") for body in written)
    epic = next(e for (_, t), e in snap["epics"].items() if t.endswith("@alice"))
    rows = [ln for ln in epic["description"].splitlines() if ln.startswith("| ")]
    assert rows and all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows), rows


# --- row 20: failed learners' names never leave the plan's code block ---------------------------


def test_row20_failed_names_from_gitlab_stay_inside_the_code_block() -> None:
    forged = "x @all ![i](https://e.example/i.png) [l](https://e.example) <b>hi</b>"
    result = RunResult(dry_run=True, learners=[LearnerResult("q1", forged, error="boom")])
    text = plan_markdown(result, "sync", {"CI_PIPELINE_URL": "https://ci.example/1"})
    outside = re.sub(r"(?ms)^(`{3,})text\n.*?^\1$", "", text)
    for piece in ("@all", "![i]", "[l]", "<b>"):
        assert piece not in outside
    assert "FAILED: boom" in text


# --- row 21: javascript: links in accred.yml and curriculum files -------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("accred.yml", "url: https://about.gitlab.com", 'url: "javascript:alert(1)"'),
        (CURRICULUM, FIRST_URL, 'url: "javascript:alert(1)"'),
    ],
)
def test_row21_only_http_links_are_accepted(
    program_dir: Path, file: str, old: str, new: str
) -> None:
    from click.testing import CliRunner

    from accred_ops.cli import main

    path = program_dir / file
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(Path(file).name)}:\d+: .*http\(s\) URL", result.output)


# --- row 22: the command line is untrusted too --------------------------------------------------


def test_row22_revoke_by_a_name_with_a_line_break_is_refused_before_any_request(
    world: World,
) -> None:
    _enrolled(world)
    world.sandbox.reset_log()
    result = world.cli(
        "revoke", "alice", "co-selling-with-partners", "--reason", "x", "--by", "erin\n/reopen"
    )
    assert result.exit_code == 2
    assert "is not a GitLab username" in result.output
    assert world.sandbox.log == []


def test_row22_a_revoke_reason_cannot_run_a_command_or_mention_everyone(world: World) -> None:
    _enrolled(world)
    from tests.e2e.test_sync import _issue, _pass

    _pass(world, FIRST, "alice")
    assert world.cli("sync").exit_code == 0
    result = world.cli(
        "revoke",
        "alice",
        "co-selling-with-partners",
        "--reason",
        "copied\n/reopen\n@all",
        "--by",
        "erin",
    )
    assert result.exit_code == 0
    issue = _issue(world, FIRST, "alice")
    assert issue["state"] == "closed"
    note = next(n["body"] for n in issue["notes"] if "has been revoked" in n["body"])
    assert "by @erin" in note and not LIVE_MENTION.search(note)
    assert not re.search(r"^/", note, re.M)
