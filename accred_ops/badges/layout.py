"""Where each file of the exported tree lives, and the stable ids and salts derived from awards.

Every id is an absolute URL under `base_url`, and every name is computed from the award's
identity (learner, program, path, course) alone, so that exporting again, on any machine,
gives the same URLs: a credential handed to a learner keeps pointing at its hosted copy.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from accred_ops.badges.model import Award
from accred_ops.errors import InputError

# A fixed namespace: award ids are uuid5(NAMESPACE, identity), the same everywhere, forever.
NAMESPACE = uuid.UUID("ac4795f6-dd03-4632-980a-81cbb1ef28ff")
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

ISSUER = "issuer.json"
REVOCATIONS = "revocations.json"
JWKS = "jwks.json"
STATUS_LIST = "status/revocation.jwt"
KEYS = "keys"  # keys/<thumbprint>.json: the bare JWK a VC-JWT `kid` names
INDEX = "index.html"
# The export owns these folders whole (stale files in them are removed) and these top-level
# names; anything else under `out` (a report, a README) is left alone.
OWNED_DIRS = ("assertions", "classes", "credentials", "status", KEYS, "awards")
OWNED_FILES = (ISSUER, REVOCATIONS, JWKS, INDEX, "did.json", ".well-known/did.json")


def award_id(award: Award) -> str:
    """A UUID that depends only on who earned which badge, never on time or order."""
    return award_uuid_of(award.key)


def award_uuid_of(key: tuple[str, str, str, str]) -> str:
    """The award id of (learner lowercased, program, path, course or "" for the path badge)."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join(key)))


def salt(award_uuid: str, seed: str) -> str:
    """The recipient-hash salt: HMAC-SHA256 of the award id, keyed by `seed`.

    Open Badges publishes the salt next to the hash, so a salt is never a secret; what it
    must do is differ between assertions, so that one person's hashes cannot be matched
    across badges or against a precomputed table. A keyed hash of the award id does that and
    keeps exports byte-identical. A secret `seed` additionally stops anyone from predicting
    a future salt, which would only let them precompute guesses a little earlier.
    """
    key = b"accred-ops/ob2-salt\x00" + seed.encode()
    return hmac.new(key, award_uuid.encode(), hashlib.sha256).hexdigest()[:32]


def badge_stem(program: str, path: str, course: str | None) -> str:
    """`classes/<program>/<path>` for a path badge, `classes/<program>/<path>/<course>` else."""
    parts = [program, path] + ([course] if course else [])
    for part in parts:
        if not SLUG.match(part):
            raise InputError(f"badge id {part!r} is not a lowercase slug ([a-z0-9][a-z0-9-]*)")
    return "classes/" + "/".join(parts)


def assertion_file(award_uuid: str) -> str:
    return f"assertions/{award_uuid}.json"


def credential_file(award_uuid: str) -> str:
    return f"credentials/{award_uuid}.jwt"


@dataclass(frozen=True)
class Urls:
    """Absolute URLs of the tree's files once published at `base`."""

    base: str

    @classmethod
    def of(cls, base_url: str) -> Urls:
        parts = urlsplit(base_url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(
                f"the badges base URL must be an absolute http(s) URL, not {base_url!r}"
            )
        if parts.query or parts.fragment:
            raise InputError(f"the badges base URL must not have a query or fragment: {base_url!r}")
        return cls(base_url.strip().rstrip("/"))

    def __call__(self, relative: str) -> str:
        return f"{self.base}/{relative}"


def utc(moment: dt.datetime) -> dt.datetime:
    """The award time in UTC, to the second (naive times are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def iso(moment: dt.datetime) -> str:
    """ISO 8601 with a `Z`: what both Open Badges versions expect."""
    return utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")
