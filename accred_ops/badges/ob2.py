"""Open Badges 2.0 hosted documents: issuer profile, BadgeClass, Assertion, RevocationList.

Hosted verification means a verifier trusts an assertion because it is served from the
issuer's own origin; so every id is the URL the file is published at, and revocation is
stated in the assertion itself (`revoked`) and in the issuer's revocation list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from accred_ops.badges import layout, rubric
from accred_ops.badges.curriculum import Badge
from accred_ops.badges.layout import Urls
from accred_ops.badges.model import Award, Issuer

CONTEXT = "https://w3id.org/openbadges/v2"
Json = dict[str, Any]


def issuer_profile(urls: Urls, issuer: Issuer) -> Json:
    doc: Json = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls(layout.ISSUER),
        "name": issuer.name,
        "url": issuer.url,
        "revocationList": urls(layout.REVOCATIONS),
    }
    if issuer.email:
        doc["email"] = issuer.email
    return doc


def alignment(badge: Badge) -> list[Json]:
    """Open Badges 2.0 AlignmentObjects: one per competency the badge aligns to."""
    found = []
    for competency in badge.competencies:
        item: Json = {
            "targetName": competency.name,
            "targetUrl": competency.url,
            "targetCode": competency.id,
        }
        if competency.framework:
            item["targetFramework"] = competency.framework
        found.append(item)
    return found


def badge_class(urls: Urls, badge: Badge) -> Json:
    doc: Json = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls(badge.stem + ".json"),
        "name": badge.name,
        "description": badge.description,
        "image": urls(badge.stem + ".svg"),
        "criteria": {"narrative": badge.criteria},
        "issuer": urls(layout.ISSUER),
        "tags": badge.tags,
    }
    if badge.competencies:
        doc["alignment"] = alignment(badge)
    return doc


def identity(award: Award) -> tuple[str, str]:
    """(type, value) of the recipient: the roster's email when known, else the profile URL.

    Emails are compared without regard to case everywhere, so they are hashed lowercased.
    """
    email = email_of(award)
    return ("email", email) if email else ("url", award.profile_url)


def email_of(award: Award) -> str | None:
    """The roster email as compared everywhere: trimmed and lowercased (None when blank)."""
    return (award.email or "").strip().lower() or None


def hashed(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode()).hexdigest()


def evidence_narrative(award: Award) -> str:
    """Who vouched for the award, in words: the assessors whose verdicts it rests on."""
    if award.course is None:
        return (
            f"@{award.learner} earned every course badge of the {award.path.title} path; "
            "the learning-path epic records each one."
        )
    verdicts = []
    if award.course.exam:
        rules = award.course.exam_rules
        scored = award.score is not None and rules is not None
        verdicts.append(
            f"written exam passed with {award.score:g} % (pass mark {rules.pass_mark} %)"
            if scored and rules is not None and award.score is not None
            else "written exam passed"
        )
    if award.course.practical:
        verdicts.append("practical assessment approved")
    who = ", ".join(f"@{name}" for name in sorted(set(award.assessors))) or "no assessor"
    said = f" ({' and '.join(verdicts)})" if verdicts else ""
    return (
        f"Every learning objective ticked by @{award.learner} on the course issue; "
        f"verdicts{said} recorded there by {who}.{rubric.narrative(award)}"
    )


def assertion(urls: Urls, badge: Badge, award: Award, award_uuid: str, salt: str) -> Json:
    kind, value = identity(award)
    doc: Json = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls(layout.assertion_file(award_uuid)),
        "recipient": {
            "type": kind,
            "hashed": True,
            "salt": salt,
            "identity": hashed(value, salt),
        },
        "badge": urls(badge.stem + ".json"),
        "issuedOn": layout.iso(award.issued_on),
        **({"expires": layout.iso(award.valid_until)} if award.valid_until else {}),
        "verification": {"type": "hosted"},
        "evidence": [{"id": award.evidence_url, "narrative": evidence_narrative(award)}],
    }
    if award.revoked:
        doc["revoked"] = True
        if award.revocation_reason:
            doc["revocationReason"] = award.revocation_reason
    return doc


def revocation_list(urls: Urls, revoked: Sequence[tuple[str, Award]]) -> Json:
    """The issuer's list of withdrawn assertions, `revoked` being (award id, award) pairs."""
    entries = []
    for award_uuid, award in sorted(revoked, key=lambda pair: pair[0]):
        entry: Json = {"id": urls(layout.assertion_file(award_uuid))}
        if award.revocation_reason:
            entry["revocationReason"] = award.revocation_reason
        entries.append(entry)
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": urls(layout.REVOCATIONS),
        "issuer": urls(layout.ISSUER),
        "revokedAssertions": entries,
    }
