"""The issuer as a `did:web` DID, derived from the export's base URL, and its DID document.

did:web (W3C CCG did:web method) maps `https://host[:port]/a/b` to `did:web:host%3Aport:a:b`,
and a resolver fetches that DID's document from `https://host/a/b/did.json` (or
`https://host/.well-known/did.json` when there is no path). The export publishes the document
at exactly that place in its tree, so the issuer resolves wherever the folder is served.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

from accred_ops.badges.layout import Urls

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
KEY_FRAGMENT = "#key-1"


def did_of(urls: Urls) -> str:
    """`did:web:<host>[%3A<port>][:<path>...]` for the base URL (the path's segments kept)."""
    parts = urlsplit(urls.base)
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return ":".join(["did:web", quote(parts.netloc, safe=""), *segments])


def document_file(urls: Urls) -> str:
    """Where, relative to the base URL, a did:web resolver fetches the document."""
    return "did.json" if urlsplit(urls.base).path.strip("/") else ".well-known/did.json"


def method_id(urls: Urls) -> str:
    return did_of(urls) + KEY_FRAGMENT


def document(urls: Urls, public_key_multibase: str) -> dict[str, Any]:
    """The DID document: one Ed25519 Multikey, for assertions (signing credentials)."""
    did = did_of(urls)
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": [
            {
                "id": method_id(urls),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key_multibase,
            }
        ],
        "assertionMethod": [method_id(urls)],
        "authentication": [method_id(urls)],
    }
