"""The post itself: https only (http:// on this machine only), and no failure ever names the URL."""

from __future__ import annotations

import pytest
import requests
import responses

from accred_ops.notify import http

SECRET = "https://hooks.slack.com/services/T000/B000/XXXXSECRET"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("", "is not set"),
        ("http://chat.example.com/hook/XXXXSECRET", "must hold an https:// URL"),
        ("ftp://chat.example.com/XXXXSECRET", "must hold an https:// URL"),
        ("XXXXSECRET", "must hold an https:// URL"),
    ],
)
def test_refused_urls_are_not_repeated(
    monkeypatch: pytest.MonkeyPatch, value: str, why: str
) -> None:
    monkeypatch.setenv("HOOK", value)
    url, said = http.target("HOOK")
    assert url is None and why in said and "XXXXSECRET" not in said


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_plain_http_only_on_this_machine(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    monkeypatch.setenv("HOOK", f"http://{host}:9/x")
    assert http.target("HOOK")[0] == f"http://{host}:9/x"


@responses.activate
@pytest.mark.parametrize(
    "failure",
    [
        requests.ConnectionError(f"HTTPSConnectionPool: Max retries exceeded with url: {SECRET}"),
        requests.Timeout(f"read timeout {SECRET}"),
        requests.TooManyRedirects(SECRET),
    ],
)
def test_a_failure_names_the_variable_never_the_url(
    monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK_URL", SECRET)
    responses.add(responses.POST, SECRET, body=failure)
    with requests.Session() as client:
        outcome = http.post("SLACK_WEBHOOK_URL", {"text": "x"}, client)
    assert not outcome.ok and "SLACK_WEBHOOK_URL" in outcome.why
    assert "XXXXSECRET" not in outcome.why and "hooks.slack.com" not in outcome.why


@responses.activate
def test_teams_accepted_and_slack_ok_both_count_as_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOOK", SECRET)
    responses.add(responses.POST, SECRET, status=202)  # a Teams Workflows webhook answers 202
    responses.add(responses.POST, SECRET, body="ok")  # Slack answers 200 "ok"
    responses.add(responses.POST, SECRET, status=404, body="no_service")
    with requests.Session() as client:
        results = [http.post("HOOK", {}, client) for _ in range(3)]
    assert [r.ok for r in results] == [True, True, False]
    assert results[2].why == "the webhook in HOOK answered HTTP 404"
