"""What to send Credly: each award on record with a badge template, issued once; each revoked
award that was issued, revoked once. Pure: the awards, the configuration and the tool's record
of what Credly holds come in.

The record maps an award (learner, program, path, course; `-` for the path badge) to the Credly
badge id and whether it is revoked. It is kept in the tool's own comment (sync/ownnote.py),
written after each call Credly answered; an award issued by a run that died before writing it
is found by the lookup that comes before every issue (same email, same template).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from accred_ops.badges.model import Award
from accred_ops.core.model import Credly

TITLE = "accred-ops Credly badges"
NOTE_KIND = "credly-record-note"
ISSUE_TEXT = (
    "accred-ops keeps the Credly badge it issued for each award in its own comment below, so "
    "that each is issued and revoked once. Closing this issue changes nothing.\n\n"
    "<!-- accred-ops:credly-record-issue -->\n"
)
_TAG = "<!-- accred-ops:credly-record "


@dataclass(frozen=True)
class Step:
    kind: str  # issue | revoke
    key: str
    award: Award
    template: str
    badge_id: str = ""

    @property
    def badge(self) -> str:
        course = self.award.course
        return course.badge_name or course.title if course else self.award.path.title

    def describe(self, body: dict[str, Any], organization: str) -> str:
        where = f"/organizations/{organization}/badges"
        if self.kind == "issue":
            call = f"POST {where} (after a lookup of the same email and template)"
        else:
            call = f"PUT {where}/{self.badge_id}/revoke"
        what = f"{self.kind} Credly badge {self.template} for @{self.award.learner} ({self.badge})"
        return f"{what}: {call} {json.dumps(body, sort_keys=True)}"


def award_key(award: Award) -> str:
    """The award's key in the record; a renewal (the n-th new day in the learner record's
    `awarded_on`) is an award of its own, `:renewal-N` after the first award's key."""
    course = award.course.id if award.course else "-"
    key = f"{award.learner.lower()}:{award.program.id}:{award.path.id}:{course}"
    return f"{key}:renewal-{award.cycle}" if award.cycle else key


def siblings(record: dict[str, dict[str, str]], key: str) -> set[str]:
    """The Credly badges the record holds for the other awards of the same badge (its first
    award and renewals): a lookup before issuing a renewal must not take one of them for it."""
    first = key.split(":renewal-", 1)[0]
    return {
        entry["id"]
        for other, entry in record.items()
        if other != key and (other == first or other.startswith(f"{first}:renewal-"))
    }


def plan(
    awards: list[Award], config: Credly, record: dict[str, dict[str, str]]
) -> tuple[list[Step], list[str]]:
    """The steps, and what is left out and why (one line each)."""
    steps, notes = [], []
    for award in awards:
        template = config.template(award.course.id if award.course else award.path.id)
        if template is None:
            continue
        key, known = award_key(award), record.get(award_key(award))
        if award.revoked:
            if known and known.get("state") != "revoked":
                steps.append(Step("revoke", key, award, template, known["id"]))
        elif known is None:
            if award.email:
                steps.append(Step("issue", key, award, template))
            else:
                notes.append(
                    f"@{award.learner}: no email in the cohort file, so no Credly badge "
                    f"{template} (add `email:` to the learner)"
                )
    return steps, notes


def issue_body(step: Step, name: str) -> dict[str, Any]:
    """Credly's Issue a Badge body; the name as on the learner's GitLab profile, split at its
    last space (a one-word name is both first and last name: Credly requires both)."""
    first, _, last = name.strip().rpartition(" ")
    first, last = (first or last), last
    body = {
        "recipient_email": step.award.email,
        "badge_template_id": step.template,
        "issued_at": _moment(step.award.issued_on),
        "issued_to_first_name": first,
        "issued_to_last_name": last,
        "issuer_earner_id": step.award.learner.lower(),
    }
    if step.award.valid_until is not None:  # a badge that expires: Credly shows it expired
        body["expires_at"] = _moment(step.award.valid_until)
    return body


def _moment(when: dt.datetime) -> str:
    """Credly's time format, as its reference writes `issued_at`: 2014-04-01 09:41:00 -0500."""
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S %z")


def revoke_body(step: Step) -> dict[str, Any]:
    """The public reason (never `--private-reason`); Credly tells the earner."""
    reason = step.award.revocation_reason or "revoked by the program"
    return {"reason": reason, "suppress_revoke_notification_email": False}


def render(record: dict[str, dict[str, str]]) -> str:
    text = json.dumps(dict(sorted(record.items())), separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e")
    return (
        "The Credly badges accred-ops issued, by award.\n\n"
        f"{_TAG}{text} -->\n<!-- accred-ops:{NOTE_KIND} -->\n"
    )


def parse(text: str | None) -> dict[str, dict[str, str]]:
    if not text or _TAG not in text:
        return {}
    body = text.rsplit(_TAG, 1)[1].split(" -->", 1)[0]
    try:
        data = json.loads(body)
        return {str(k): {"id": str(v["id"]), "state": str(v["state"])} for k, v in data.items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
