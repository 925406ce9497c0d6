"""Embedded Data Integrity proofs: `DataIntegrityProof` with the `eddsa-rdfc-2022` cryptosuite.

As W3C's "Data Integrity EdDSA Cryptosuites v1.0" specifies it: the document (without proof)
and the proof options (with the document's `@context`) are each canonicalized with RDF
Dataset Canonicalization (RDFC-1.0, the standardised URDNA2015) and hashed with SHA-256; the
Ed25519 signature of the proof-options hash followed by the document hash is `proofValue`,
multibase base58btc. Canonicalization is PyLD's (URDNA2015), with a document loader that
serves only the contexts bundled in `contexts/`: signing never reaches the network, and a
document naming any other context fails here, before anything is published.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import base58
from pyld import jsonld

from accred_ops.errors import InputError

CRYPTOSUITE = "eddsa-rdfc-2022"
HERE = Path(__file__).parent / "contexts"
BUNDLED = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-context-3.0.3.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json": "ob-extensions.json",
}
ED25519_PUB = b"\xed\x01"  # multicodec prefix of an Ed25519 public key


@cache
def context(url: str) -> dict[str, Any]:
    if url not in BUNDLED:
        raise InputError(f"JSON-LD context {url} is not bundled with accred-ops")
    return json.loads((HERE / BUNDLED[url]).read_text())


def load(url: str, options: object = None) -> dict[str, Any]:
    """PyLD's document loader: the bundled contexts, and nothing else."""
    return {"contextUrl": None, "documentUrl": url, "document": context(url)}


def canonical(doc: dict[str, Any]) -> bytes:
    """The RDFC-1.0 (URDNA2015) canonical N-Quads of a JSON-LD document."""
    nquads = jsonld.normalize(
        doc, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": load}
    )
    return nquads.encode()


def multikey(raw_public_key: bytes) -> str:
    """An Ed25519 public key as `publicKeyMultibase` (multicodec 0xed, base58btc: `z6Mk...`)."""
    return "z" + base58.b58encode(ED25519_PUB + raw_public_key).decode("ascii")


def proof_options(doc: dict[str, Any], method: str, created: str) -> dict[str, Any]:
    return {
        "@context": doc["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }


def hash_data(doc: dict[str, Any], options: dict[str, Any]) -> bytes:
    """What is signed: SHA-256 of the canonical proof options, then of the canonical document."""
    unsigned = {k: v for k, v in doc.items() if k != "proof"}
    return (
        hashlib.sha256(canonical(options)).digest() + hashlib.sha256(canonical(unsigned)).digest()
    )


def attach(doc: dict[str, Any], method: str, created: str, sign: Any) -> dict[str, Any]:
    """`doc` with its proof; `sign(bytes) -> bytes` is the Ed25519 private key's signature."""
    options = proof_options(doc, method, created)
    signature = sign(hash_data(doc, options))
    proof = {k: v for k, v in options.items() if k != "@context"}
    proof["proofValue"] = "z" + base58.b58encode(signature).decode("ascii")
    return {**doc, "proof": [proof]}  # 1EdTech's OB 3.0 schema wants an array
