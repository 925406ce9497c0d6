"""Chat notifications end to end: the real CLI against the sandbox, messages to a local chat
over real HTTP; once per event across runs, a refusing chat and a killed run; URLs never shown."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _pass
from tests.notify.chat import Chat

HOOKS = """
notifications:
  webhooks:
    - {url_variable: SLACK_WEBHOOK_URL, format: slack, events: [award, path, assessment]}
    - {url_variable: TEAMS_WEBHOOK_URL, format: teams, events: [award]}
    - {url_variable: OTHER_WEBHOOK_URL, events: [award, failed]}
"""


@pytest.fixture
def chat(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[Chat]:
    made = Chat()
    for name in ("SLACK", "TEAMS", "OTHER"):
        monkeypatch.setenv(f"{name}_WEBHOOK_URL", f"{made.url}/{name.lower()}/T0SECRET")
    with (world.root / "accred.yml").open("a") as config:
        config.write(HOOKS)
    yield made
    made.close()


def _ready(world: World) -> None:
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0


def _texts(chat: Chat, path: str) -> list[str]:
    bodies = chat.at(path)
    if path.startswith("/slack"):
        return [b["text"] for b in bodies]
    if path.startswith("/teams"):
        return [b["attachments"][0]["content"]["body"][0]["text"] for b in bodies]
    return [b["text"] for b in bodies]


SLACK, TEAMS, OTHER = "/slack/T0SECRET", "/teams/T0SECRET", "/other/T0SECRET"


def test_an_award_reaches_each_format_once_across_runs(world: World, chat: Chat) -> None:
    _ready(world)
    _pass(world, FIRST, "alice")
    first = world.cli("sync")
    assert first.exit_code == 0, first.output
    for _ in range(2):
        assert world.cli("sync").exit_code == 0
    slack = _texts(chat, SLACK)
    assert slack == [
        "@\u2060alice earned the badge SAL: Co-Selling with Partners "
        "(Co-Selling with Partners, Building the Territory &amp; Pipeline)"
    ]
    assert len(_texts(chat, TEAMS)) == 1
    assert "\\*" not in _texts(chat, TEAMS)[0] and "**SAL: Co\\-Selling" in _texts(chat, TEAMS)[0]
    other = chat.at(OTHER)
    assert [(m["event"], m["learner"], m["course"]) for m in other] == [
        ("award", "alice", "Co-Selling with Partners")
    ]
    blocks = chat.at(SLACK)[0]["blocks"]
    assert blocks[0]["text"]["type"] == "mrkdwn" and "&amp; Pipeline" in blocks[0]["text"]["text"]
    assert "notifications: 3 sent" in first.output


def test_the_urls_are_never_printed(world: World, chat: Chat) -> None:
    _ready(world)
    _pass(world, FIRST, "alice")
    chat.refuse, chat.status = 3, 500
    result = world.cli("sync")
    assert result.exit_code == 0  # a failing chat never fails the sync
    assert "T0SECRET" not in result.output and chat.url not in result.output
    assert "SLACK_WEBHOOK_URL answered HTTP 500" in result.output
    assert "3 kept for the next run" in result.output
    snapshot = world.sandbox.snapshot()
    assert any(title == "accred-ops notifications" for _p, title in snapshot["issues"])
    assert "T0SECRET" not in str(snapshot) and chat.url not in str(snapshot)


def test_a_refusing_chat_gets_the_message_on_the_next_run(world: World, chat: Chat) -> None:
    _ready(world)
    _pass(world, FIRST, "alice")
    chat.refuse = 3
    assert world.cli("sync").exit_code == 0
    assert chat.messages == []
    world.sandbox.reset_log()
    assert world.cli("sync").exit_code == 0
    assert len(chat.at(SLACK)) == len(chat.at(TEAMS)) == len(chat.at(OTHER)) == 1
    assert world.cli("sync").exit_code == 0
    assert len(chat.messages) == 3


# The awarding sync's writes, in order: 1-3 start the ledger (issue, close, comment); 4-6 the
# award (comment, labels and close, the learner record); 7-9 the ledger after each message.
KILLS = [(k, True) for k in (1, 3, 4, 5, 6, 7, 9)] + [(k, False) for k in (2, 4, 6)]


@pytest.mark.parametrize(("k", "applied"), KILLS)
def test_no_message_is_lost_or_doubled_by_a_killed_run(
    world: World, chat: Chat, k: int, applied: bool
) -> None:
    _ready(world)
    _pass(world, FIRST, "alice")
    world.sandbox.faults.crash_at_write(k, applied=applied)  # then GitLab is gone
    world.cli("sync")
    world.sandbox.faults.clear()
    assert world.cli("sync").exit_code == 0
    assert world.cli("sync").exit_code == 0
    assert len(chat.at(SLACK)) == len(chat.at(TEAMS)) == len(chat.at(OTHER)) == 1


def test_a_message_whose_record_was_lost_is_sent_again_not_lost(world: World, chat: Chat) -> None:
    """The one window: the chat took the message and the run died before the ledger said so
    (write 7 never made). Sent again: at least once, never lost (docs/notifications.md)."""
    _ready(world)
    _pass(world, FIRST, "alice")
    world.sandbox.faults.crash_at_write(7, applied=False)
    assert world.cli("sync").exit_code == 1
    world.sandbox.faults.clear()
    assert world.cli("sync").exit_code == 0
    assert len(chat.at(SLACK)) == 2
    assert len(chat.at(TEAMS)) == len(chat.at(OTHER)) == 1


def test_history_before_notifications_is_not_replayed(world: World, chat: Chat) -> None:
    config = (world.root / "accred.yml").read_text()
    (world.root / "accred.yml").write_text(config.replace(HOOKS, ""))
    _ready(world)
    _pass(world, FIRST, "alice")
    assert world.cli("sync").exit_code == 0  # awarded before notifications were turned on
    (world.root / "accred.yml").write_text(config)
    world.sandbox.advance(minutes=1)
    assert world.cli("sync").exit_code == 0
    assert chat.messages == []


def test_the_weekly_digest_reaches_a_manager_once_a_week(
    world: World, chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (world.root / "accred.yml").open("a") as config:
        config.write("    - {url_variable: DIGEST_URL, format: slack, events: [digest]}\n")
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(
        cohort.read_text().replace("  - alice\n", "  - {username: alice, manager: carol}\n")
    )
    monkeypatch.setenv("DIGEST_URL", f"{chat.url}/digest")
    world.sandbox.advance(days=9, hours=3)  # GitLab's clock and the tool's agree
    monkeypatch.setenv("ACCRED_NOW", "2026-12-09T12:00:00Z")  # ISO week 2026-W50
    _ready(world)
    alice = world.person("alice")
    alice.tick(alice.find_issue(FIRST, "alice"))
    for _ in range(2):
        assert world.cli("sync").exit_code == 0
    texts = _texts(chat, "/digest")
    assert texts == [
        "Weekly digest for @\u2060carol: @\u2060alice waiting for assessment in "
        "Co-Selling with Partners"
    ]
    world.sandbox.advance(days=7)
    monkeypatch.setenv("ACCRED_NOW", "2026-12-16T12:00:00Z")  # the next week
    assert world.cli("sync").exit_code == 0
    assert len(_texts(chat, "/digest")) == 2


def test_a_dry_run_sends_nothing_and_writes_no_ledger(world: World, chat: Chat) -> None:
    _ready(world)
    _pass(world, FIRST, "alice")
    world.sandbox.reset_log()
    assert world.cli("sync", "--dry-run").exit_code == 0
    assert chat.messages == [] and world.writes() == 0
    assert world.cli("sync").exit_code == 0
    assert len(chat.messages) == 3


def test_a_webhook_triggered_sync_notifies_too(world: World, chat: Chat) -> None:
    import json

    from accred_ops.app.demo import PROJECT
    from tests.core.test_event_work_items import _as_work_item

    _ready(world)
    assert world.cli("sync").exit_code == 0  # the ledger starts before the verdicts
    _pass(world, FIRST, "alice")
    body = _as_work_item("Issue")
    body["user"] = body["user"] | {"username": "sam"}
    body["project"] = body["project"] | {"path_with_namespace": PROJECT}
    iid = world.person("alice").find_issue(FIRST, "alice")
    body["object_attributes"] = body["object_attributes"] | {"iid": iid}
    payload = world.root / "payload.json"
    payload.write_text(json.dumps(body))
    for _ in range(2):
        assert world.cli("sync", "--event", str(payload)).exit_code == 0
    assert len(chat.at(SLACK)) == 1 and "earned the badge" in chat.at(SLACK)[0]["text"]
