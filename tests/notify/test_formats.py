"""Each chat's message: the shape its webhook takes, and every person's text made inert."""

from __future__ import annotations

import dataclasses
import json

import pytest

from accred_ops.notify import formats
from accred_ops.notify.events import Event

AWARD = Event(
    "award",
    "award:alice:sal:p:c",
    "2026-12-01T10:00:00Z",
    "alice",
    "Strategic Account Leader",
    "Territory & Pipeline",
    course="Co-Selling",
    badge="SAL: Co-Selling",
    url="https://gitlab.example.com/g/p/-/issues/1",
)
HOSTILE = Event(
    "award",
    "award:x",
    "2026-12-01T10:00:00Z",
    "alice",
    "P <!channel> @here",
    "Path <!here|x> @channel [click](https://evil.example) *bold*",
    course="<at>everyone</at> @everyone",
    badge="B <https://evil.example|win> & @all",
)


def test_slack_is_block_kit_with_a_fallback_text() -> None:
    body = formats.slack(AWARD)
    assert body["text"] == (
        "@\u2060alice earned the badge SAL: Co-Selling (Co-Selling, Territory &amp; Pipeline)"
    )
    section, context = body["blocks"]
    assert section["type"] == "section" and section["text"]["type"] == "mrkdwn"
    assert "*SAL: Co-Selling*" in section["text"]["text"]
    assert context["elements"][0]["text"] == f"<{AWARD.url}|Open in GitLab>"


def test_teams_is_one_adaptive_card_for_a_workflows_webhook() -> None:
    body = formats.teams(AWARD)
    assert body["type"] == "message"
    (attachment,) = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert card["body"][0]["text"].startswith("@\u2060alice earned the badge **SAL: Co\\-Selling**")
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Open in GitLab", "url": AWARD.url}
    ]


def test_json_is_the_event_with_its_id() -> None:
    body = formats.as_json(AWARD)
    assert body["event"] == "award" and body["id"] == "award:alice:sal:p:c"
    assert body["learner"] == "alice" and body["url"] == AWARD.url
    assert json.loads(json.dumps(body)) == body


@pytest.mark.parametrize("name", ["slack", "teams", "json"])
def test_no_text_mentions_a_channel_or_makes_a_link(name: str) -> None:
    text = json.dumps(formats.payload(name, HOSTILE), ensure_ascii=False)
    for word in ("channel", "here", "everyone", "all"):
        assert f"@{word}" not in text
    assert "<!" not in text and "<at>" not in text
    assert "<https://evil" not in text


def test_slack_escapes_its_control_characters() -> None:
    assert formats.slack_text("a & <b> <!channel>") == "a &amp; &lt;b&gt; &lt;!channel&gt;"


def test_teams_escapes_markdown() -> None:
    assert formats.teams_text("[x](https://e.example) *b*") == (
        "\\[x\\]\\(https://e\\.example\\) \\*b\\*"
    )


EXPIRING = dataclasses.replace(
    HOSTILE, kind="expiring", id="expiring:x:2027-H2", cycle="2027-H2", until="2027-07-18"
)


@pytest.mark.parametrize("name", ["slack", "teams", "json"])
def test_an_expiring_badge_is_escaped_like_the_others(name: str) -> None:
    text = json.dumps(formats.payload(name, EXPIRING), ensure_ascii=False)
    for word in ("channel", "here", "everyone", "all"):
        assert f"@{word}" not in text
    assert "<!" not in text and "<at>" not in text and "<https://evil" not in text
    assert "07" in text and "H2" in text  # (Teams escapes the dashes: 2027\\-07\\-18)


def test_an_expiring_badge_says_until_when_and_which_renewal() -> None:
    event = dataclasses.replace(AWARD, kind="expiring", cycle="2027-H2", until="2027-07-18")
    assert formats.slack(event)["text"] == (
        "@\u2060alice's badge SAL: Co-Selling is valid until 2027-07-18: its renewal 2027-H2 "
        "is open (Territory &amp; Pipeline)"
    )


def test_a_renewed_award_says_renewed() -> None:
    event = dataclasses.replace(AWARD, id="award:alice:sal:p:c:renewal-1", cycle="1")
    assert formats.slack(event)["text"].startswith("@\u2060alice renewed the badge SAL: Co-Selling")
