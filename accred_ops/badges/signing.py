"""Compact JWS signing (VC-JWT) with the issuer's private key, and its public JWK set.

The key arrives as a PEM string, or the base64 of one (GitLab masks only single-line
values of a restricted alphabet, which a PEM is not), and lives only in this object's
memory: it is never written, logged, put in an exception or shown by `repr`. Ed25519
(EdDSA) and P-256 (ES256) are accepted; both sign deterministically here (RFC 8032, and
RFC 6979 for ECDSA), so exporting twice gives byte-identical credentials.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from accred_ops.errors import InputError


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def canonical(value: Any) -> bytes:
    """Compact JSON with sorted keys: the same claims always give the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Signer:
    """Signs JWTs with one private key; `jwk` is the public half, safe to publish."""

    def __init__(self, pem: str, key_dir_url: str) -> None:
        key = _load(pem)
        if isinstance(key, ed25519.Ed25519PrivateKey):
            raw = key.public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw
            )
            self.alg = "EdDSA"
            public = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
        else:
            numbers = key.public_key().public_numbers()
            self.alg = "ES256"
            public = {
                "kty": "EC",
                "crv": "P-256",
                "x": b64url(numbers.x.to_bytes(32, "big")),
                "y": b64url(numbers.y.to_bytes(32, "big")),
            }
        self.__key = key
        thumbprint = b64url(hashlib.sha256(canonical(public)).digest())  # RFC 7638
        # the kid is the URL of the bare JWK (OB 3.0: it must dereference to a JWK, not a set)
        self.kid = f"{key_dir_url}/{thumbprint}.json"
        self.jwk = {**public, "kid": self.kid, "alg": self.alg, "use": "sig"}

    def __repr__(self) -> str:
        return f"Signer(alg={self.alg!r}, kid={self.kid!r})"

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.jwk]}

    @property
    def ed25519(self) -> bool:
        """Whether the key can also sign Data Integrity proofs (eddsa-rdfc-2022)."""
        return isinstance(self.__key, ed25519.Ed25519PrivateKey)

    def public_raw(self) -> bytes:
        """The Ed25519 public key's 32 bytes (for the DID document's Multikey)."""
        return self.__key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    def derive(self, label: str) -> bytes:
        """A secret derived from the private key for one purpose (e.g. award page names):
        known to whoever holds the key, unguessable to anyone else, never the key itself."""
        key = self.__key
        if isinstance(key, ed25519.Ed25519PrivateKey):
            material = key.private_bytes_raw()
        else:
            material = key.private_numbers().private_value.to_bytes(32, "big")
        return hashlib.sha256(f"accred-ops/{label}\x00".encode() + material).digest()

    def sign_raw(self, data: bytes) -> bytes:
        """A plain Ed25519 signature of `data` (Data Integrity proofs)."""
        assert isinstance(self.__key, ed25519.Ed25519PrivateKey), "Ed25519 keys only"
        return self.__key.sign(data)

    def sign(self, claims: dict[str, Any]) -> str:
        """`claims` as a compact JWS: header (alg, kid, typ JWT), payload, signature."""
        header = {"alg": self.alg, "kid": self.kid, "typ": "JWT"}
        signing_input = f"{b64url(canonical(header))}.{b64url(canonical(claims))}"
        key = self.__key
        if isinstance(key, ed25519.Ed25519PrivateKey):
            signature = key.sign(signing_input.encode("ascii"))
        else:
            der = key.sign(
                signing_input.encode("ascii"),
                ec.ECDSA(hashes.SHA256(), deterministic_signing=True),
            )
            r, s = decode_dss_signature(der)
            signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return f"{signing_input}.{b64url(signature)}"


def _load(pem: str) -> ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey:
    """The private key in `pem`; any failure says what is wrong, never what the text was."""
    text = pem.strip()
    if "\n" not in text and "\\n" in text:  # a CI variable pasted with literal "\n"
        text = text.replace("\\n", "\n")
    try:
        if "-----BEGIN" not in text:  # base64 of the PEM: the form GitLab can mask
            text = base64.b64decode(text, validate=True).decode("ascii")
        key = serialization.load_pem_private_key(text.encode(), password=None)
    except Exception:  # the library's message could quote the input: say nothing of it
        key = None
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return key
    raise InputError(
        "the badge signing key must be an unencrypted PEM private key, Ed25519 or P-256 "
        "(e.g. `openssl genpkey -algorithm ed25519`)"
    )
