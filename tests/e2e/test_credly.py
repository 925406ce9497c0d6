"""`badges credly` end to end: the real CLI, awards read from the sandbox over real HTTP,
Credly mocked with `responses` from its API reference. Each award issued once (across runs and
a lost record), each revocation revoked once with its public reason, `--dry-run` calls nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import responses

from tests.credly.payloads import API, BADGE_ID, BADGES, ORG, TEMPLATE, issued, listing
from tests.e2e.conftest import World
from tests.e2e.test_sync import FIRST, _pass

CONFIG = f"""badges:
  issuer: {{name: GitLab Field Enablement, url: "https://about.gitlab.com"}}
  credly:
    organization_id: {ORG}
    token_variable: CREDLY_TOKEN
    templates: {{co-selling-with-partners: {TEMPLATE}}}
"""


def configured(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """`badges.credly` in accred.yml, alice's email in the cohort file, the token set."""
    with (world.root / "accred.yml").open("a") as config:
        config.write(CONFIG)
    cohort = world.root / "cohorts" / "q4.yml"
    cohort.write_text(
        cohort.read_text().replace(
            "  - alice\n", "  - {username: alice, email: user1@example.com}\n"
        )
    )
    monkeypatch.setenv("CREDLY_TOKEN", "credly-secret-token-value")


@pytest.fixture
def credly(world: World, monkeypatch: pytest.MonkeyPatch) -> Iterator[responses.RequestsMock]:
    configured(world, monkeypatch)
    assert world.cli("setup").exit_code == 0
    assert world.cli("enroll").exit_code == 0
    _pass(world, FIRST, "alice")
    _pass(world, FIRST, "bob")  # no email in the cohort file: named, no badge
    assert world.cli("sync").exit_code == 0
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru(world.sandbox.url)
        yield mock


def _credly_calls(mock: responses.RequestsMock) -> list[tuple[str, str]]:
    return [
        (c.request.method, c.request.url.split("?")[0])
        for c in mock.calls
        if c.request.url.startswith(API)
    ]


def test_an_award_is_issued_once(world: World, credly: responses.RequestsMock) -> None:
    credly.get(BADGES, json=listing())
    credly.post(BADGES, json=issued(), status=201)
    first = world.cli("badges", "credly")
    assert first.exit_code == 0, first.output
    assert (
        f"issued Credly badge {BADGE_ID} for @alice (SAL: Co-Selling with Partners)" in first.output
    )
    assert "@bob: no email in the cohort file" in first.output
    post = next(c for c in credly.calls if c.request.method == "POST")
    body = json.loads(post.request.body)
    assert body["recipient_email"] == "user1@example.com" and body["badge_template_id"] == TEMPLATE
    assert body["issued_to_first_name"] and body["issued_to_last_name"]
    assert body["issuer_earner_id"] == "alice"
    again = world.cli("badges", "credly")
    assert again.exit_code == 0 and "sent 0 changes" in again.output
    assert _credly_calls(credly) == [("GET", BADGES), ("POST", BADGES)]
    assert "credly-secret-token-value" not in first.output + again.output


def test_a_lost_record_finds_the_badge_instead_of_issuing_twice(
    world: World, credly: responses.RequestsMock
) -> None:
    credly.get(BADGES, json=listing())
    credly.post(BADGES, json=issued(), status=201)
    world.sandbox.faults.fail(500, times=10, method="POST", path=r"/issues$")  # record not made
    assert world.cli("badges", "credly").exit_code == 1
    world.sandbox.faults.clear()
    credly.replace(responses.GET, BADGES, json=listing(issued()["data"]))
    assert world.cli("badges", "credly").exit_code == 0
    assert [m for m, _ in _credly_calls(credly)] == ["GET", "POST", "GET"]


def test_a_revocation_revokes_once_with_the_public_reason(
    world: World, credly: responses.RequestsMock
) -> None:
    credly.get(BADGES, json=listing())
    credly.post(BADGES, json=issued(), status=201)
    assert world.cli("badges", "credly").exit_code == 0
    world.cli(
        "revoke",
        "alice",
        "co-selling-with-partners",
        "--reason",
        "Exam answers were copied",
        "--private-reason",
        "seen by sam",
    )
    credly.put(f"{BADGES}/{BADGE_ID}/revoke", json=issued(state="revoked"))
    assert world.cli("badges", "credly").exit_code == 0
    assert world.cli("badges", "credly").exit_code == 0
    puts = [c for c in credly.calls if c.request.method == "PUT"]
    assert len(puts) == 1
    assert json.loads(puts[0].request.body) == {
        "reason": "Exam answers were copied",
        "suppress_revoke_notification_email": False,
    }


def test_dry_run_shows_what_it_would_send_and_calls_nothing(
    world: World, credly: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDLY_TOKEN")
    result = world.cli("badges", "credly", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would issue Credly badge {TEMPLATE} for @alice" in result.output
    assert f"POST /organizations/{ORG}/badges" in result.output
    assert '"recipient_email": "user1@example.com"' in result.output
    assert _credly_calls(credly) == []
    assert "would send 1 change" in result.output


def test_a_missing_token_is_bad_input(
    world: World, credly: responses.RequestsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CREDLY_TOKEN")
    result = world.cli("badges", "credly")
    assert result.exit_code == 2 and "CREDLY_TOKEN is not set" in result.output
