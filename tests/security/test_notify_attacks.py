"""Chat notifications under attack: a learner's own labels announce nothing; a learner's or a
curriculum's text mentions no channel; the webhook's URL is never shown (attacks 21-23 in
docs/security.md)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import World, world  # noqa: F401 (fixture)
from tests.e2e.test_notifications import OTHER, SLACK, _ready, chat  # noqa: F401 (fixture)
from tests.e2e.test_sync import FIRST, _pass
from tests.notify.chat import Chat


def test_a_learners_own_labels_announce_nothing(world: World, chat: Chat) -> None:  # noqa: F811
    _ready(world)
    alice = world.person("alice")
    iid = alice.find_issue(FIRST, "alice")
    for label in ("accreditation::badge-awarded", "exam::failed", "Retake", "exam::passed"):
        alice.add_label(iid, label)
    alice.set_state(iid, "close")
    assert world.cli("sync").exit_code == 0
    assert world.cli("sync").exit_code == 0
    assert chat.at(SLACK) == [] and chat.at(OTHER) == []


def test_a_curriculum_title_mentions_no_channel(world: World, chat: Chat) -> None:  # noqa: F811
    path = world.root / "curriculum" / "strategic-account-leaders.yml"
    path.write_text(
        path.read_text().replace(
            "title: Co-Selling with Partners", "title: '@here <!channel> Co-Selling'", 1
        )
    )
    _ready(world)
    bob = world.person("bob")
    iid = bob.find_issue("@here <!channel> Co-Selling", "bob")
    bob.tick(iid)
    judge = world.person("sam")
    judge.add_label(iid, "exam::passed")
    judge.add_label(iid, "practical::approved")
    assert world.cli("sync").exit_code == 0
    (message,) = chat.at(SLACK)
    assert "@here" not in str(message) and "<!channel>" not in str(message)
    assert "@\u2060here &lt;!channel&gt; Co-Selling" in message["text"]


def test_the_webhook_url_is_nowhere_to_read(
    world: World,  # noqa: F811
    chat: Chat,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK_URL", "http://127.0.0.1:9/services/T0/B0/PAGEME")
    _ready(world)
    _pass(world, FIRST, "alice")
    result = world.cli("sync")
    assert result.exit_code == 0
    assert (
        "the webhook in SLACK_WEBHOOK_URL could not be reached (ConnectionError)" in result.output
    )
    assert "PAGEME" not in result.output and "127.0.0.1:9" not in result.output
    assert "PAGEME" not in str(world.sandbox.snapshot())
