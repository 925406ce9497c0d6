"""`badges credly` for badges that expire, end to end: the real CLI against the sandbox on a
pinned clock (moved with `advance()` and ACCRED_NOW), Credly mocked with `responses` from its
API reference. Each award carries its `expires_at`; a renewal (a new day in the learner
record's `awarded_on`) is issued once more, across runs and a lost record; a badge that expires
unrenewed sends nothing (Credly shows it expired by its own `expires_at`)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import responses

from tests.credly.payloads import API, BADGE_ID, BADGES, issued, listing
from tests.e2e.test_credly import configured
from tests.e2e.test_sync import FIRST, _enrolled
from tests.e2e.timed_world import ROLLING, World, _accredited, _later, _pass_renewal, _validity
from tests.e2e.timed_world import timed as timed

RENEWED = "5ab7c3e1-0000-4000-8000-000000000002"


@pytest.fixture
def credly(timed: World) -> Iterator[responses.RequestsMock]:
    _validity(timed, ROLLING)
    configured(timed, timed.monkeypatch)  # type: ignore[attr-defined]
    _enrolled(timed)
    _accredited(timed, "alice")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru(timed.sandbox.url)
        yield mock


def _posts(mock: responses.RequestsMock) -> list[dict]:
    return [
        json.loads(c.request.body)
        for c in mock.calls
        if c.request.method == "POST" and c.request.url.startswith(API)
    ]


def test_a_renewal_issues_again_once_and_an_expired_badge_sends_nothing(
    timed: World, credly: responses.RequestsMock
) -> None:
    credly.get(BADGES, json=listing())
    credly.post(BADGES, json=issued(), status=201)
    first = timed.cli("badges", "credly")
    assert first.exit_code == 0, first.output
    (body,) = _posts(credly)
    assert body["issued_at"].startswith("2027-01-04")
    assert body["expires_at"] == "2027-07-19 00:00:00 +0000"  # valid through 2027-07-18

    _later(timed, 151)  # 2027-06-04: the renewal opens; nothing new for Credly
    assert timed.cli("sync").exit_code == 0
    _pass_renewal(timed, FIRST, "alice", "2027-H2")
    _later(timed, 2)  # 2027-06-06: renewed
    assert timed.cli("sync").exit_code == 0
    # the lookup finds the first award's badge: on record, so it is not taken for the renewal
    credly.replace(responses.GET, BADGES, json=listing(issued()["data"]))
    credly.replace(responses.POST, BADGES, json=issued(badge_id=RENEWED), status=201)
    timed.sandbox.faults.fail(500, times=10, method="PUT", path=r"/notes/\d+$")  # record lost
    assert timed.cli("badges", "credly").exit_code == 1
    assert len(_posts(credly)) == 2  # Credly issued the renewal; the record kept nothing
    timed.sandbox.faults.clear()
    credly.replace(
        responses.GET, BADGES, json=listing(issued()["data"], issued(badge_id=RENEWED)["data"])
    )
    again = timed.cli("badges", "credly")
    assert again.exit_code == 0, again.output
    assert f"issued Credly badge {RENEWED} for @alice" in again.output
    posts = _posts(credly)
    assert len(posts) == 2  # the next run's lookup found the renewal's badge: not issued twice
    assert posts[1]["issued_at"].startswith("2027-06-06")
    assert posts[1]["expires_at"] == "2027-12-21 00:00:00 +0000"  # due 2027-12-06 + 14 days
    assert BADGE_ID != RENEWED

    _later(timed, 200)  # 2027-12-23: the renewal expired unrenewed: nothing to send
    assert timed.cli("sync").exit_code == 0
    quiet = timed.cli("badges", "credly")
    assert quiet.exit_code == 0 and "sent 0 changes" in quiet.output, quiet.output
    assert len(_posts(credly)) == 2
    assert "credly-secret-token-value" not in first.output + again.output + quiet.output
