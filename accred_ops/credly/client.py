"""Credly's Web Service API, the three calls accred-ops needs. The token authenticates as HTTP
Basic (the token as the user name, no password) and appears in nothing this module says.

Endpoints and payloads, from Credly's API reference:
* https://www.credly.com/docs/web_service_api: production https://api.credly.com/v1, sandbox
  https://sandbox-api.credly.com/v1; HTTP Basic with the organization's authorization token;
  JSON in and out;
* https://www.credly.com/docs/issued_badges: Issue a Badge, `POST
  /organizations/<organization_id>/badges` (required: recipient_email, badge_template_id,
  issued_at "2014-04-01 09:41:00 -0500", issued_to_first_name, issued_to_last_name; optional
  issuer_earner_id, `expires_at` "an expiration date for the badge", null: the template's
  default, ...), answered `201` with the badge as `data` (`data.id`, `data.state`). A
  duplicate (same template and recipient email, same user or same issuer_earner_id) is
  refused unless the template's settings allow duplicates: a renewal is one;
  Get Issued Badges, `GET /organizations/<organization_id>/badges?filter=key::value|key::value`
  (`recipient_email`, `badge_template_id`, ...); Revoke a Badge, `PUT
  /organizations/<organization_id>/badges/<id>/revoke` with `reason` and
  `suppress_revoke_notification_email`.

Retries: Credly's reference states no request rate; a 429 is waited out as its `Retry-After`
says (at most 60 s), a 5xx or a lost connection is tried again after 1, 2 and 4 s; then the
award fails for this run and is tried on the next (nothing is recorded before Credly answers).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from typing import Any

import requests

ATTEMPTS = 4
MAX_WAIT = 60.0
TIMEOUT = (5, 30)
_WORDS = {401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 422: "Unprocessable Entity"}


class CredlyError(Exception):
    """A failure in words: the call, Credly's status and message; never the token."""


class Client:
    def __init__(
        self,
        api_url: str,
        organization_id: str,
        token: str,
        token_variable: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base = f"{api_url}/organizations/{organization_id}"
        self.organization_id = organization_id
        self.variable = token_variable
        self.http = requests.Session()
        self.http.auth = (token, "")
        self.http.headers.update({"Accept": "application/json"})
        self.sleep = sleep

    def find(
        self, email: str, template_id: str, known: Collection[str] = ()
    ) -> dict[str, Any] | None:
        """The learner's badge of this template that is neither revoked nor rejected, if any,
        other than the badges `known` for other awards of it (a renewal's earlier awards)."""
        query = f"recipient_email::{email}|badge_template_id::{template_id}"
        data = self._call("looking up a badge", "get", "/badges", params={"filter": query})
        for badge in data.get("data") or ():
            if str(badge.get("id")) in known:
                continue
            if str(badge.get("state", "")).lower() not in ("revoked", "rejected"):
                return dict(badge)
        return None

    def issue(self, body: dict[str, Any]) -> str:
        data = self._call("issuing a badge", "post", "/badges", json=body)
        badge_id = (data.get("data") or {}).get("id")
        if not badge_id:
            raise CredlyError("Credly answered the issue without a badge id")
        return str(badge_id)

    def revoke(self, badge_id: str, body: dict[str, Any]) -> None:
        self._call(f"revoking badge {badge_id}", "put", f"/badges/{badge_id}/revoke", json=body)

    def _call(self, what: str, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        for attempt in range(ATTEMPTS):
            last = attempt == ATTEMPTS - 1
            try:
                response = self.http.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
            except requests.RequestException as err:
                if last:
                    raise CredlyError(
                        f"{what}: Credly could not be reached ({type(err).__name__})"
                    ) from None
                self.sleep(2.0**attempt)
                continue
            if response.status_code == 429 and not last:
                self.sleep(_retry_after(response.headers.get("Retry-After")))
                continue
            if response.status_code >= 500 and not last:
                self.sleep(2.0**attempt)
                continue
            if response.status_code >= 400:
                raise CredlyError(self._explain(what, response))
            return _json(response)
        raise AssertionError("unreachable")

    def _explain(self, what: str, response: requests.Response) -> str:
        status = response.status_code
        said = _message(_json(response))
        head = (
            f"{what}: Credly answered {status} {_WORDS.get(status, response.reason or '')}".rstrip()
        )
        hint = {
            401: f"; check the token in {self.variable}",
            403: f"; the token in {self.variable} may not issue for organization {self.organization_id}",
            404: f"; check organization_id {self.organization_id} and the badge template ids",
            429: "; Credly's rate limit, still reached after waiting",
        }.get(status, "")
        return head + (f" ({said})" if said else "") + hint


def _retry_after(value: str | None) -> float:
    try:
        return min(max(float(value or 1), 0.0), MAX_WAIT)
    except ValueError:
        return 1.0


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _message(data: dict[str, Any]) -> str:
    """Credly's own words for a refusal: `data.message` and the fields' `messages`."""
    inner = data.get("data") if isinstance(data.get("data"), dict) else data
    parts = [str(inner.get("message") or "")]
    for error in inner.get("errors") or ():
        if isinstance(error, dict):
            messages = error.get("messages") or [error.get("message", "")]
            parts.append(
                f"{error.get('attribute', '')}: {', '.join(map(str, messages))}".strip(": ")
            )
    return "; ".join(p for p in parts if p)[:500]
