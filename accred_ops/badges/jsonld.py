"""Open Badges 3.0 as JSON-LD with an embedded Data Integrity proof: what wallets verify.

The VC-JWT form (ob3.py) is signed around the JSON; wallets built on the Digital Credentials
Consortium's verifier (the Learner Credential Wallet, VerifierPlus) check only proofs embedded
in the JSON-LD document. This form is the same OpenBadgeCredential (ob3.credential, so any
field another module adds to it, a result or `validUntil`, is carried over as is) with:

* the issuer as a `did:web` DID derived from the base URL (its document in the tree);
* `credentialSchema`: 1EdTech's OB 3.0 JSON schema, with the extensions context that defines
  its `1EdTechJsonSchemaValidator2019` type;
* `credentialStatus`: one BitstringStatusListEntry into a JSON-LD status list signed the same
  way (`status/revocation.json`);
* a `DataIntegrityProof` (eddsa-rdfc-2022) by the Ed25519 key; no JWT claims (`jti`, ...).

Only Ed25519 keys can make it: eddsa-rdfc-2022 is an Ed25519 suite, and the wallets named
above verify no ECDSA Data Integrity suite. A P-256 key still signs the VC-JWT form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from accred_ops.badges import dataintegrity, did, ob3
from accred_ops.badges.layout import Urls

EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CONTEXTS = [*ob3.CONTEXTS, EXTENSIONS]
SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
STATUS_LIST = "status/revocation.json"
Json = dict[str, Any]


def credential_file(award_uuid: str) -> str:
    return f"credentials/{award_uuid}.json"


def credential(urls: Urls, vc: Json, award_uuid: str) -> Json:
    """The JSON-LD form of the OpenBadgeCredential `vc` (as ob3.credential builds it)."""
    status = vc["credentialStatus"]
    index = status["statusListIndex"]
    doc = {
        **vc,
        "@context": CONTEXTS,
        "id": urls(credential_file(award_uuid)),
        "issuer": {**vc["issuer"], "id": did.did_of(urls)},
        "credentialSchema": [{"id": SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": {
            **status,
            "id": f"{urls(STATUS_LIST)}#{index}",
            "statusListCredential": urls(STATUS_LIST),
        },
    }
    return doc


def status_list(urls: Urls, revoked: list[int], valid_from: dt.datetime) -> Json:
    doc = ob3.status_list(urls, revoked, valid_from)
    status_url = urls(STATUS_LIST)
    return {
        **doc,
        "id": status_url,
        "issuer": did.did_of(urls),
        "credentialSubject": {**doc["credentialSubject"], "id": f"{status_url}#list"},
    }


def sign(urls: Urls, doc: Json, sign_bytes: Any) -> Json:
    """`doc` with its proof, created at the document's own `validFrom` (reproducible)."""
    return dataintegrity.attach(doc, did.method_id(urls), doc["validFrom"], sign_bytes)


def did_document(urls: Urls, raw_public_key: bytes) -> tuple[str, Json]:
    """Where the issuer's DID document goes in the tree, and the document."""
    return did.document_file(urls), did.document(urls, dataintegrity.multikey(raw_public_key))
