"""Chat notifications of badges that expire, end to end: the real CLI against the sandbox on a
pinned clock (moved with `advance()` and ACCRED_NOW, never the real date), messages to a local
chat over real HTTP. One `expiring` message per award cycle, when its renewal opens, however
many runs follow and whether the badge is renewed or expires; a renewal's award is announced."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.test_sync import COURSES, FIRST, _enrolled
from tests.e2e.timed_world import (
    ROLLING,
    World,
    _accredited,
    _later,
    _pass_renewal,
    _validity,
)
from tests.e2e.timed_world import timed as timed
from tests.notify.chat import Chat

HOOKS = """
notifications:
  webhooks:
    - {url_variable: SLACK_WEBHOOK_URL, format: slack, events: [award, expiring]}
    - {url_variable: OTHER_WEBHOOK_URL, events: [expiring]}
"""
SLACK, OTHER = "/slack/T0SECRET", "/other/T0SECRET"


@pytest.fixture
def chat(timed: World) -> Iterator[Chat]:
    made = Chat()
    for name in ("SLACK", "OTHER"):
        timed.monkeypatch.setenv(f"{name}_WEBHOOK_URL", f"{made.url}/{name.lower()}/T0SECRET")  # type: ignore[attr-defined]
    with (timed.root / "accred.yml").open("a") as config:
        config.write(HOOKS)
    yield made
    made.close()


def _said(chat: Chat, path: str, words: str) -> list[str]:
    return [b["text"] for b in chat.at(path) if words in b["text"]]


def test_expiring_is_sent_once_per_cycle_when_the_renewal_opens(timed: World, chat: Chat) -> None:
    _validity(timed, ROLLING)
    _enrolled(timed)
    _accredited(timed, "alice")
    assert len(_said(chat, SLACK, "earned the badge")) == len(COURSES)
    _later(timed, 150)  # 2027-06-03: the day before the renewals open
    assert timed.cli("sync").exit_code == 0
    assert _said(chat, SLACK, "valid until") == [] and chat.at(OTHER) == []

    _later(timed, 1)  # 2027-06-04: due 2027-07-04 minus 30 days
    for _ in range(2):
        run = timed.cli("sync")
        assert run.exit_code == 0, run.output
        assert "T0SECRET" not in run.output
    expiring = _said(chat, SLACK, "valid until 2027-07-18: its renewal 2027-H2 is open")
    assert len(expiring) == len(COURSES)
    assert expiring[0].startswith("@\u2060alice's badge ")
    other = chat.at(OTHER)
    assert len(other) == len(COURSES)
    assert {b["event"] for b in other} == {"expiring"}
    assert {b["cycle"] for b in other} == {"2027-H2"} and {b["until"] for b in other} == {
        "2027-07-18"
    }
    assert len({b["id"] for b in other}) == len(COURSES)

    _pass_renewal(timed, FIRST, "alice", "2027-H2")
    _later(timed, 2)  # 2027-06-06: the first badge renewed
    for _ in range(2):
        assert timed.cli("sync").exit_code == 0
    renewed = _said(chat, SLACK, "renewed the badge")
    assert len(renewed) == 1 and "Co-Selling with Partners" in renewed[0]

    _later(timed, 43)  # 2027-07-19: the other badges expire unrenewed: nothing more is said
    for _ in range(2):
        assert timed.cli("sync").exit_code == 0
    assert len(_said(chat, SLACK, "valid until")) == len(COURSES)
    assert len(chat.at(OTHER)) == len(COURSES)
    assert len(_said(chat, SLACK, "earned the badge")) == len(COURSES)

    # the next cycle of the renewed badge is a new award cycle: its own message, once
    _later(timed, 140)  # 2027-12-06: its renewal, due 2027-12-06 (+14 days grace), opened
    for _ in range(2):
        assert timed.cli("sync").exit_code == 0
    again = [b for b in chat.at(OTHER) if b["until"] != "2027-07-18"]
    assert len(again) == 1 and again[0]["until"] == "2027-12-20"
    assert "Co-Selling with Partners" in again[0]["text"]
