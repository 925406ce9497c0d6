"""What was sent: the tool's own record of its chat messages. Pure.

It lives where the sync's own record lives (core/syncstate.py): the tool's comment on a closed
issue of its own, "accred-ops notifications", which no learner can edit. It holds

* `since`: GitLab's clock when notifications began; an event older than that is never sent (a
  program that turns notifications on does not replay its history);
* `sent`: a short digest of each (webhook variable, event id) already delivered, so a message
  goes out once whatever the runs, shards and crashes;
* `pending`: messages a webhook refused or could not take, with the event itself (the next run
  may not read that learner again) and how many runs tried; after MAX_ATTEMPTS runs a message is
  given up, named once, and counted as sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from accred_ops.core.model import Webhook
from accred_ops.notify.events import Event

TITLE = "accred-ops notifications"
KIND = "notify-ledger"
NOTE_KIND = "notify-ledger-note"  # the marker that proves the comment (with its author)
ISSUE_TEXT = (
    "accred-ops keeps the record of the chat messages it sent in its own comment below, so "
    "that each goes out once. Closing this issue changes nothing; deleting it makes the next "
    "sync start a new record (nothing older than that is sent).\n\n<!-- accred-ops:notify-ledger-issue -->\n"
)
MAX_ATTEMPTS = 8  # runs that try one message before it is given up
_TAG = re.compile(r"<!-- accred-ops:notify-ledger (\{.*?\}) -->", re.S)


@dataclass
class Ledger:
    since: str
    sent: set[str] = field(default_factory=set)
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Delivery:
    key: str
    webhook: Webhook
    event: Event
    attempts: int  # earlier runs that tried it


def digest(variable: str, event_id: str) -> str:
    return hashlib.sha256(f"{variable}\0{event_id}".encode()).hexdigest()[:16]


def moment(text: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def due(ledger: Ledger, webhooks: tuple[Webhook, ...], events: list[Event]) -> list[Delivery]:
    """Waiting messages first (for webhooks still configured that still want them), then each
    new event for each webhook that wants its kind: never one already sent or older than the
    ledger."""
    wanted = {hook.url_variable: hook for hook in webhooks}
    found: dict[str, Delivery] = {}
    for key, item in ledger.pending.items():
        hook, event = wanted.get(str(item.get("variable"))), Event.from_dict(item.get("event", {}))
        if hook and event and event.kind in hook.events:
            found[key] = Delivery(key, hook, event, int(item.get("attempts", 0)))
    since = moment(ledger.since)
    for event in events:
        at = moment(event.at)
        if since is None or at is None or at < since:
            continue
        for hook in webhooks:
            key = digest(hook.url_variable, event.id)
            if event.kind in hook.events and key not in ledger.sent and key not in found:
                found[key] = Delivery(key, hook, event, 0)
    return list(found.values())


def settle(ledger: Ledger, delivery: Delivery, ok: bool) -> bool:
    """Record one attempt; True when the message is given up (tried MAX_ATTEMPTS runs)."""
    attempts = delivery.attempts + 1
    if ok or attempts >= MAX_ATTEMPTS:
        ledger.sent.add(delivery.key)
        ledger.pending.pop(delivery.key, None)
        return not ok
    ledger.pending[delivery.key] = {
        "variable": delivery.webhook.url_variable,
        "attempts": attempts,
        "event": delivery.event.to_dict(),
    }
    return False


def render(ledger: Ledger) -> str:
    data = {"since": ledger.since, "sent": sorted(ledger.sent), "pending": ledger.pending}
    text = json.dumps(data, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    return (
        "The chat messages accred-ops sent (digests) and those waiting to be sent again.\n\n"
        f"<!-- accred-ops:{KIND} {text} -->\n<!-- accred-ops:{NOTE_KIND} -->\n"
    )


def parse(text: str | None) -> Ledger | None:
    found = _TAG.findall(text or "")
    if not found:
        return None
    try:
        data = json.loads(found[-1])
        pending = {str(k): dict(v) for k, v in dict(data.get("pending") or {}).items()}
        return Ledger(str(data["since"]), {str(s) for s in data.get("sent") or ()}, pending)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
