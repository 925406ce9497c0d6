"""Chat notifications under attack: a learner's own labels announce nothing; a learner's or a
curriculum's text mentions no channel; the webhook's URL is never shown (attacks 21-23 in
docs/security.md)."""

from __future__ import annotations

from tests.e2e.conftest import World, world  # noqa: F401 (fixture)
from tests.e2e.test_notifications import OTHER, SLACK, _ready, chat  # noqa: F401 (fixture)
from tests.e2e.test_sync import FIRST
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
