"""Open Badges 3.0 credentials checked by an independent Open Badges 3.0 library,
`openbadgeslib` (PyPI; none of its code is shared with accred-ops): each credential's signature
with the issuer's published key, its structure, and its revocation through the published
Bitstring Status List (itself a signed credential), fetched from the exported tree.
"""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from accred_ops.badges import export
from tests.badges.conftest import AWARDS, BASE, ISSUER, PROGRAM

verifier = pytest.importorskip("openbadgeslib.ob3.verifier")


def _public_pem(out: Path) -> bytes:
    """The issuer's key as a verifier gets it: from the published `jwks.json`."""
    (key,) = jwt.PyJWKSet.from_dict(json.loads((out / "jwks.json").read_text())).keys
    return key.key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _from_tree(out: Path):  # type: ignore[no-untyped-def]
    """The verifier's downloader, answering BASE URLs from the exported folder (offline)."""

    def download(url: str, *args: object, **kwargs: object) -> bytes:
        assert url.startswith(BASE + "/"), url
        return (out / url[len(BASE) + 1 :]).read_bytes()

    return download


@pytest.mark.parametrize("key", ["ed25519_pem", "p256_pem"])
def test_every_credential_verifies_and_only_the_revoked_one_is_refused(
    tmp_path: Path, key: str, request: pytest.FixtureRequest
) -> None:
    export(
        tmp_path,
        BASE,
        ISSUER,
        [PROGRAM],
        AWARDS,
        formats=("ob3",),
        signing_key=request.getfixturevalue(key),
    )
    check = verifier.OB3Verifier(_public_pem(tmp_path))
    outcomes = {}
    for path in sorted((tmp_path / "credentials").glob("*.jwt")):
        token = path.read_text().strip()
        credential = check.verify(token)  # signature, structure, validity window
        try:
            check.verify(token, check_status=True, download=_from_tree(tmp_path))
            outcomes[path.name] = "valid"
        except verifier.OB3VerificationError as error:
            outcomes[path.name] = f"refused: {error}"
        assert credential.issuer.id
    refused = [name for name, outcome in outcomes.items() if outcome != "valid"]
    revoked = [a for a in AWARDS if a.revoked]
    assert len(refused) == len(revoked) == 1, outcomes
    assert "Credential status 'revocation' is set at index" in outcomes[refused[0]]


def test_a_tampered_credential_is_refused(tmp_path: Path, ed25519_pem: str) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem)
    token = next((tmp_path / "credentials").glob("*.jwt")).read_text().strip()
    header, payload, signature = token.split(".")
    forged = ".".join(
        (header, payload[:-4] + ("AAAA" if payload[-4:] != "AAAA" else "BBBB"), signature)
    )
    with pytest.raises(verifier.OB3VerificationError):
        verifier.OB3Verifier(_public_pem(tmp_path)).verify(forged)
