"""The ledger's rules: once per (webhook, event), nothing older than the ledger, bounded retries."""

from __future__ import annotations

from accred_ops.core.model import Webhook
from accred_ops.notify import ledger
from accred_ops.notify.events import Event
from accred_ops.notify.ledger import Ledger

SLACK = Webhook("SLACK_WEBHOOK_URL", "slack", ("award", "path"))
JSON = Webhook("HOOK", "json", ("award", "failed"))


def _event(kind: str = "award", at: str = "2026-12-02T00:00:00Z", eid: str = "award:a") -> Event:
    return Event(kind, eid, at, "alice", "P", "Path", course="C")


def test_each_webhook_that_wants_the_kind_gets_it_once() -> None:
    book = Ledger("2026-12-01T00:00:00Z")
    due = ledger.due(book, (SLACK, JSON), [_event(), _event("failed", eid="failed:a")])
    assert [(d.webhook.url_variable, d.event.kind) for d in due] == [
        ("SLACK_WEBHOOK_URL", "award"),
        ("HOOK", "award"),
        ("HOOK", "failed"),
    ]
    for item in due:
        ledger.settle(book, item, ok=True)
    assert ledger.due(book, (SLACK, JSON), [_event()]) == []


def test_nothing_older_than_the_ledger_is_sent() -> None:
    book = Ledger("2026-12-01T00:00:00Z")
    old = _event(at="2026-11-30T23:59:59.000+00:00")
    assert ledger.due(book, (SLACK,), [old, _event(at="")]) == []


def test_a_failed_message_waits_then_is_given_up() -> None:
    book = Ledger("2026-12-01T00:00:00Z")
    for attempt in range(1, ledger.MAX_ATTEMPTS + 1):
        (item,) = (
            ledger.due(book, (SLACK,), [])
            if attempt > 1
            else ledger.due(book, (SLACK,), [_event()])
        )
        assert item.attempts == attempt - 1
        given_up = ledger.settle(book, item, ok=False)
        assert given_up is (attempt == ledger.MAX_ATTEMPTS)
    assert ledger.due(book, (SLACK,), [_event()]) == []


def test_a_waiting_message_survives_the_text_round_trip() -> None:
    book = Ledger("2026-12-01T00:00:00Z")
    (item,) = ledger.due(book, (SLACK,), [_event(eid="award:<b>-->")])
    ledger.settle(book, item, ok=False)
    text = ledger.render(book)
    assert "-->" not in text.split("notify-ledger ", 1)[1].split(" -->")[0]
    again = ledger.parse(text)
    assert again == book
    (waiting,) = ledger.due(again, (SLACK,), [])
    assert waiting.event == item.event and waiting.attempts == 1


def test_a_removed_webhook_drops_its_waiting_messages() -> None:
    book = Ledger("2026-12-01T00:00:00Z")
    (item,) = ledger.due(book, (SLACK,), [_event()])
    ledger.settle(book, item, ok=False)
    assert ledger.due(book, (JSON,), []) == []


def test_a_broken_record_reads_as_none() -> None:
    assert ledger.parse("<!-- accred-ops:notify-ledger {not json} -->") is None
    assert ledger.parse(None) is None
