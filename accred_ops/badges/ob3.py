"""Open Badges 3.0: each award as an OpenBadgeCredential (a W3C Verifiable Credential, VCDM 2.0).

Unlike 2.0's hosted assertions, a 3.0 credential is verifiable wherever it travels: it is
signed (VC-JWT), the key is published as a JWK set, and revocation is a bit in a signed
Bitstring Status List credential that the issuer republishes at every export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from accred_ops.badges import layout, ob2, rubric, statuslist
from accred_ops.badges.curriculum import Badge
from accred_ops.badges.layout import Urls
from accred_ops.badges.model import Award, Issuer
from accred_ops.core.model import ExamRules

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
Json = dict[str, Any]


def profile(urls: Urls, issuer: Issuer) -> Json:
    doc: Json = {
        "id": urls(layout.ISSUER),
        "type": ["Profile"],
        "name": issuer.name,
        "url": issuer.url,
    }
    if issuer.email:
        doc["email"] = issuer.email
    return doc


def achievement(urls: Urls, badge: Badge) -> Json:
    """The badge as an Achievement; its id is the 2.0 BadgeClass URL, the same badge."""
    doc: Json = {
        "id": urls(badge.stem + ".json"),
        "type": ["Achievement"],
        "achievementType": "Certification" if badge.course is None else "Badge",
        "name": badge.name,
        "description": badge.description,
        "criteria": {"narrative": badge.criteria},
        "image": {"id": urls(badge.stem + ".svg"), "type": "Image"},
        "tag": badge.tags,
    }
    if badge.competencies:  # OB 3.0 Alignment: the 2.0 fields, with a type
        doc["alignment"] = [{"type": ["Alignment"], **item} for item in ob2.alignment(badge)]
    described = rubric.result_descriptions(doc["id"], badge.course)
    if badge.course is not None and badge.course.exam and badge.course.exam_rules is not None:
        described = [result_description(urls, badge, badge.course.exam_rules), *described]
    if described:
        doc["resultDescription"] = described
    return doc


def result_description(urls: Urls, badge: Badge, rules: ExamRules) -> Json:
    """The written exam's score, as OB 3.0 describes a result: a percentage, and the pass mark
    as the value required."""
    return {
        "id": urls(badge.stem + ".json") + "#exam",
        "type": ["ResultDescription"],
        "name": "Written exam score",
        "resultType": "Percent",
        "requiredValue": str(rules.pass_mark),
        "valueMin": "0",
        "valueMax": "100",
    }


def result(urls: Urls, badge: Badge, award: Award) -> list[Json]:
    """The learner's exam score on the credential, where the exam pass rests on one."""
    if award.score is None or badge.course is None or badge.course.exam_rules is None:
        return []
    described = urls(badge.stem + ".json") + "#exam"
    value = f"{award.score:g}"
    return [{"type": ["Result"], "resultDescription": described, "value": value}]


def subject(urls: Urls, badge: Badge, award: Award, salt: str) -> Json:
    """The learner is their GitLab profile URL; a roster email is added only as a salted hash."""
    doc: Json = {
        "id": award.profile_url,
        "type": ["AchievementSubject"],
        "achievement": achievement(urls, badge),
    }
    found = [*result(urls, badge, award), *rubric.results(doc["achievement"]["id"], award)]
    if found:
        doc["result"] = found
    email = ob2.email_of(award)
    if email:
        doc["identifier"] = [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": ob2.hashed(email, salt),
                "salt": salt,
            }
        ]
    return doc


def credential(
    urls: Urls, issuer: Issuer, badge: Badge, award: Award, award_uuid: str, salt: str, index: int
) -> Json:
    status_url = urls(layout.STATUS_LIST)
    return {
        "@context": CONTEXTS,
        "id": urls(layout.credential_file(award_uuid)),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": profile(urls, issuer),
        "validFrom": layout.iso(award.issued_on),
        **({"validUntil": layout.iso(award.valid_until)} if award.valid_until else {}),
        "name": badge.name,
        "credentialSubject": subject(urls, badge, award, salt),
        "evidence": [
            {
                "id": award.evidence_url,
                "type": ["Evidence"],
                "narrative": ob2.evidence_narrative(award),
            }
        ],
        "credentialStatus": {
            "id": f"{status_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(index),
            "statusListCredential": status_url,
        },
    }


def status_list(urls: Urls, revoked: list[int], valid_from: dt.datetime) -> Json:
    """The revocation list credential: bit `i` set means the credential with index `i` is revoked.

    `valid_from` is the latest award time, so that the document depends on its inputs only.
    """
    status_url = urls(layout.STATUS_LIST)
    return {
        "@context": CONTEXTS[:1],
        "id": status_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": urls(layout.ISSUER),
        "validFrom": layout.iso(valid_from),
        "credentialSubject": {
            "id": f"{status_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": statuslist.encode(revoked),
        },
    }


def jwt_claims(doc: Json) -> Json:
    """The VC-JWT payload: the credential itself, plus the registered claims that restate it.

    The VCDM 2.0 way (no `vc` wrapper); `iss`, `jti`, `sub`, `nbf` are what OB 3.0 verifiers
    check against `issuer.id`, `id`, `credentialSubject.id` and `validFrom`.
    """
    issuer = doc["issuer"]
    claims = {
        **doc,
        "iss": issuer["id"] if isinstance(issuer, dict) else issuer,
        "jti": doc["id"],
        "nbf": int(dt.datetime.fromisoformat(doc["validFrom"].replace("Z", "+00:00")).timestamp()),
    }
    if "validUntil" in doc:  # `exp` restates it, as `nbf` restates validFrom
        until = dt.datetime.fromisoformat(doc["validUntil"].replace("Z", "+00:00"))
        claims["exp"] = int(until.timestamp())
    subject_id = doc["credentialSubject"].get("id")
    if subject_id:
        claims["sub"] = subject_id
    return claims
