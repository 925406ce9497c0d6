"""One event as the message each chat expects. Pure.

* `slack`: an incoming webhook's Block Kit message (https://api.slack.com/reference/block-kit/blocks),
  with `text` as the notification's fallback;
* `teams`: a Microsoft Teams *Workflows* webhook's message holding one Adaptive Card
  (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card);
* `json`: the event itself, for anything else (its `id` lets a receiver drop a repeat).

Every text that comes from people — usernames, and the curriculum's titles, which the house
treats like learner text — is escaped for the format it lands in, and can never mention a whole
channel: `@channel`, `@here`, `@everyone`, `<!channel>`, Teams' `<at>` all arrive inert.
"""

from __future__ import annotations

import re
from typing import Any

from accred_ops.notify.events import Event

# A zero-width joiner after "@" keeps the text readable and mentions nobody.
_AT = re.compile(r"@(?=\w)")
_SLACK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_MARKDOWN = re.compile(r"([\\`*_\[\](){}#+\-.!|~])")


def _inert(text: str) -> str:
    return _AT.sub("@\u2060", text)


def slack_text(text: str) -> str:
    """Slack's own escaping (&, <, >: no `<!channel>`, no link) and no @-mention."""
    return _inert(text.translate(_SLACK))


def _no_tags(text: str) -> str:
    """Angle brackets as look-alikes: no `<!channel>`, `<at>`, or `<url|text>` link."""
    return text.replace("<", "\u2039").replace(">", "\u203a")


def teams_text(text: str) -> str:
    """Adaptive Card Markdown escaped, no `<at>` tag, no @-mention."""
    return _inert(_MARKDOWN.sub(r"\\\1", _no_tags(text)))


def json_text(text: str) -> str:
    """Plain text, still safe to relay into a chat: no tag, no @-mention."""
    return _inert(_no_tags(text))


def sentence(event: Event, esc: Any, bold: str = "*") -> str:
    """What happened, in one line, every value escaped with `esc`."""
    who = esc("@" + event.learner)
    course, path = esc(event.course), esc(event.path)
    b = bold
    if event.kind == "award" and event.cycle:
        return f"{who} renewed the badge {b}{esc(event.badge)}{b} ({course}, {path})"
    if event.kind == "award":
        return f"{who} earned the badge {b}{esc(event.badge)}{b} ({course}, {path})"
    if event.kind == "path":
        return f"{who} is accredited: {b}{path}{b} ({esc(event.program)})"
    if event.kind == "assessment":
        return f"{who}'s {b}{course}{b} is waiting for assessment ({path})"
    if event.kind == "failed":
        return f"{who}'s {b}{course}{b} got {esc(event.verdict)}: a retake follows ({path})"
    if event.kind == "expiring":
        return (
            f"{who}'s badge {b}{esc(event.badge)}{b} is valid until {esc(event.until)}: "
            f"its renewal {esc(event.cycle)} is open ({path})"
        )
    if event.kind == "digest":
        whom = who if event.manager else esc(event.program)
        return f"Weekly digest for {whom}: {esc(event.summary)}"
    return f"{who}: {esc(event.kind)}"


def slack(event: Event) -> dict[str, Any]:
    line = sentence(event, slack_text)
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": line}}]
    if event.url:
        link = f"<{slack_text(event.url)}|Open in GitLab>"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": link}]})
    return {"text": sentence(event, slack_text, bold=""), "blocks": blocks}


def teams(event: Event) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": sentence(event, teams_text, bold="**"), "wrap": True}
    ]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if event.url:
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open in GitLab", "url": event.url}]
    attachment = {
        "contentType": "application/vnd.microsoft.card.adaptive",
        "contentUrl": None,
        "content": card,
    }
    return {"type": "message", "attachments": [attachment]}


def as_json(event: Event) -> dict[str, Any]:
    data = {k: json_text(v) if k != "url" else v for k, v in event.to_dict().items()}
    return {
        "source": "accred-ops",
        "event": event.kind,
        **data,
        "text": sentence(event, json_text, ""),
    }


def payload(format_name: str, event: Event) -> dict[str, Any]:
    return {"slack": slack, "teams": teams}.get(format_name, as_json)(event)
