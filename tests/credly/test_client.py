"""Credly's client against Credly's documented answers (mocked with `responses`): the calls and
bodies, errors named, retries bounded, the token in nothing it says."""

from __future__ import annotations

import json

import pytest
import responses
from responses import matchers

from accred_ops.credly.client import ATTEMPTS, Client, CredlyError
from tests.credly.payloads import API, BADGE_ID, BADGES, ORG, TEMPLATE, issued, listing, refused

TOKEN = "credly-secret-token-value"
BODY = {
    "recipient_email": "user1@example.com",
    "badge_template_id": TEMPLATE,
    "issued_at": "2014-04-01 09:41:00 -0500",
    "issued_to_first_name": "Earner First",
    "issued_to_last_name": "Earner Last",
}


def _client(waits: list[float] | None = None) -> Client:
    return Client(
        API, ORG, TOKEN, "CREDLY_TOKEN", sleep=(waits if waits is not None else []).append
    )


@responses.activate
def test_issue_posts_the_documented_body_with_basic_auth() -> None:
    responses.post(BADGES, json=issued(), status=201, match=[matchers.json_params_matcher(BODY)])
    assert _client().issue(BODY) == BADGE_ID
    request = responses.calls[0].request
    assert request.headers["Authorization"].startswith("Basic ")  # token as the user, no password


@responses.activate
def test_find_filters_by_email_and_template_and_skips_revoked() -> None:
    query = {"filter": f"recipient_email::user1@example.com|badge_template_id::{TEMPLATE}"}
    responses.get(
        BADGES,
        json=listing(issued(state="revoked", badge_id="old")["data"], issued()["data"]),
        match=[matchers.query_param_matcher(query)],
    )
    assert _client().find("user1@example.com", TEMPLATE)["id"] == BADGE_ID


@responses.activate
def test_revoke_puts_the_reason() -> None:
    body = {"reason": "Exam answers were copied", "suppress_revoke_notification_email": False}
    responses.put(
        f"{BADGES}/{BADGE_ID}/revoke",
        json=issued(state="revoked"),
        match=[matchers.json_params_matcher(body)],
    )
    _client().revoke(BADGE_ID, body)
    assert len(responses.calls) == 1


@responses.activate
@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (401, {}, "Credly answered 401 Unauthorized; check the token in CREDLY_TOKEN"),
        (403, {}, f"may not issue for organization {ORG}"),
        (404, {}, "check organization_id"),
        (
            422,
            refused("User already has this badge"),
            "422 Unprocessable Entity (User already has this badge; badge_template_id: User already has this badge)",
        ),
    ],
)
def test_errors_are_named_and_never_hold_the_token(status: int, body: dict, words: str) -> None:
    responses.post(BADGES, json=body, status=status)
    with pytest.raises(CredlyError) as raised:
        _client().issue(BODY)
    assert words in str(raised.value) and TOKEN not in str(raised.value)
    assert len(responses.calls) == 1  # a refusal is not retried


@responses.activate
def test_429_waits_as_told_then_succeeds() -> None:
    responses.post(BADGES, status=429, headers={"Retry-After": "7"})
    responses.post(BADGES, status=503)
    responses.post(BADGES, json=issued(), status=201)
    waits: list[float] = []
    assert _client(waits).issue(BODY) == BADGE_ID
    assert waits == [7.0, 2.0]


@responses.activate
def test_retries_are_bounded() -> None:
    for _ in range(ATTEMPTS + 2):
        responses.post(BADGES, status=502)
    with pytest.raises(CredlyError, match="502"):
        _client().issue(BODY)
    assert len(responses.calls) == ATTEMPTS


@responses.activate
def test_an_unreachable_credly_is_said_without_the_url_or_token() -> None:
    import requests

    responses.post(BADGES, body=requests.ConnectionError(f"{BADGES} {TOKEN}"))
    with pytest.raises(CredlyError) as raised:
        _client().issue(BODY)
    assert "could not be reached (ConnectionError)" in str(raised.value)
    assert TOKEN not in str(raised.value) and json.dumps(BODY) not in str(raised.value)


@responses.activate
def test_find_passes_over_the_badges_of_the_other_awards() -> None:
    """A renewal's lookup: the first award's badge (on record) is not the renewal's."""
    responses.get(BADGES, json=listing(issued(badge_id="first")["data"]))
    assert _client().find("user1@example.com", TEMPLATE, {"first"}) is None
    assert _client().find("user1@example.com", TEMPLATE)["id"] == "first"
