"""Posting one message to a webhook. The URL comes from the environment and never leaves this
module: no message, exception or log line built here holds it (only the variable's name).

A post is one attempt with short timeouts; a refused or failed one is kept for the next run
(ledger.py), so a slow or broken chat never holds up or fails a sync.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from accred_ops.core.addresses import sendable

TIMEOUT = (3.05, 10)  # connect, read (seconds)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    why: str = ""  # a failure in words, naming the variable, never the URL


def target(variable: str) -> tuple[str | None, str]:
    """The webhook's URL from `variable`, or None and why not (in words without the URL)."""
    url = os.environ.get(variable, "").strip()
    if not url:
        return None, f"{variable} is not set: its messages wait for the next run"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return None, f"{variable} does not hold a URL"
    if sendable(parts.scheme, host):
        return url, ""
    return None, f"{variable} must hold an https:// URL (http:// only for localhost)"


def post(variable: str, body: dict[str, Any], session: requests.Session) -> Outcome:
    url, why = target(variable)
    if url is None:
        return Outcome(False, why)
    try:
        response = session.post(url, json=body, timeout=TIMEOUT, allow_redirects=False)
    except requests.Timeout:
        return Outcome(False, f"the webhook in {variable} did not answer in time")
    except requests.RequestException as err:
        # requests' messages name the URL: only the kind of failure is said
        return Outcome(
            False, f"the webhook in {variable} could not be reached ({type(err).__name__})"
        )
    if 200 <= response.status_code < 300:
        return Outcome(True)
    return Outcome(False, f"the webhook in {variable} answered HTTP {response.status_code}")
