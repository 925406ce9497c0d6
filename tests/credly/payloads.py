"""Credly's payloads as its API reference shows them, for the mocked Credly of the tests.

* Issue a Badge (https://www.credly.com/docs/issued_badges): the request body's example
  (recipient user1@example.com, template cfaf2910-ea5f-46f1-89a5-db525dad6e58, issued_at
  "2014-04-01 09:41:00 -0500") and a `201` answer holding the badge as `data`;
* lists (https://www.credly.com/docs/organizations, the same for issued badges): `data` and
  `metadata` with count, current_page, total_count, total_pages, per, previous_page_url,
  next_page_url.
"""

from __future__ import annotations

from typing import Any

API = "https://api.credly.com/v1"
ORG = "ba92621f-f22c-41e5-9157-c2dc274e3cf0"  # the organization id of Credly's own examples
TEMPLATE = "cfaf2910-ea5f-46f1-89a5-db525dad6e58"
BADGES = f"{API}/organizations/{ORG}/badges"
BADGE_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def badge(
    state: str = "pending", email: str = "user1@example.com", badge_id: str = BADGE_ID
) -> dict[str, Any]:
    return {
        "id": badge_id,
        "state": state,
        "recipient_email": email,
        "issued_at": "2014-04-01T14:41:00.000Z",
        "issued_to_first_name": "Earner First",
        "issued_to_last_name": "Earner Last",
        "issuer_earner_id": None,
        "badge_template": {"id": TEMPLATE, "name": "Badge Template 1"},
        "accept_badge_url": f"https://www.credly.com/earner/earned/badge/{badge_id}",
    }


def issued(**kw: Any) -> dict[str, Any]:
    return {"data": badge(**kw), "metadata": {}}


def listing(*badges: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": list(badges),
        "metadata": {
            "count": len(badges),
            "current_page": 1,
            "total_count": len(badges),
            "total_pages": 1,
            "per": 50,
            "previous_page_url": None,
            "next_page_url": None,
        },
    }


def refused(message: str, attribute: str = "badge_template_id") -> dict[str, Any]:
    return {
        "data": {"message": message, "errors": [{"attribute": attribute, "messages": [message]}]},
        "metadata": {},
    }
