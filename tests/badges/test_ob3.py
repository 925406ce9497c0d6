"""Open Badges 3.0: signed credentials checked with PyJWT against the published key set, the
status list decoded here from the W3C spec, and the private key nowhere in the output."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from accred_ops.badges import export
from accred_ops.badges.signing import Signer
from accred_ops.errors import InputError
from tests.badges.conftest import AWARDS, BASE, ISSUER, PROGRAM

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]


def verified(out: Path, relative: str) -> tuple[dict, dict]:
    """(header, claims) of a published JWT, its signature checked against `jwks.json`."""
    token = (out / relative).read_text().strip()
    header = jwt.get_unverified_header(token)
    key_set = jwt.PyJWKSet.from_dict(json.loads((out / "jwks.json").read_text()))
    key = key_set[header["kid"]]
    claims = jwt.decode(token, key=key.key, algorithms=["EdDSA", "ES256"])
    return header, claims


def credentials(out: Path) -> dict[tuple[str, str], dict]:
    """Every credential's verified claims, by learner and badge id."""
    found = {}
    for path in sorted((out / "credentials").glob("*.jwt")):
        _, claims = verified(out, path.relative_to(out).as_posix())
        subject = claims["credentialSubject"]
        learner = subject["id"].rsplit("/", 1)[1]
        found[(learner, subject["achievement"]["id"].rsplit("/", 1)[1])] = claims
    return found


def status_bits(encoded: str) -> bytes:
    """The W3C Bitstring Status List `encodedList`: multibase "u" + base64url of GZIP data."""
    assert encoded.startswith("u")
    data = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def bit(bits: bytes, index: int) -> int:
    """Index 0 is the left-most bit of the bitstring: the high bit of the first byte."""
    return (bits[index // 8] >> (7 - index % 8)) & 1


@pytest.mark.parametrize("key", ["ed25519_pem", "p256_pem"])
def test_every_credential_verifies_against_the_published_keys(
    tmp_path: Path, key: str, request: pytest.FixtureRequest
) -> None:
    pem = request.getfixturevalue(key)
    result = export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=pem)

    assert not any(f.startswith("assertions/") for f in result.files)  # ob3 only
    found = credentials(tmp_path)
    assert len(found) == 4
    header, _ = verified(tmp_path, next(f for f in result.files if f.endswith(".jwt")))
    assert header == {
        "alg": "EdDSA" if key == "ed25519_pem" else "ES256",
        "kid": header["kid"],
        "typ": "JWT",
    }
    assert header["kid"].startswith(f"{BASE}/keys/") and header["kid"].endswith(".json")
    keys = json.loads((tmp_path / "jwks.json").read_text())["keys"]
    assert [k["kid"] for k in keys] == [header["kid"]] and "d" not in keys[0]
    # OB 3.0: the kid dereferences to a bare JWK (not a set), the same key
    bare = json.loads((tmp_path / header["kid"][len(BASE) + 1 :]).read_text())
    assert bare == keys[0] and "keys" not in bare


def test_a_credential_is_an_open_badge_with_its_claims_restated(
    tmp_path: Path, ed25519_pem: str
) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem)
    claims = credentials(tmp_path)[("alice", "co-selling-with-partners.json")]

    assert claims["@context"] == CONTEXTS
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["iss"] == claims["issuer"]["id"] == f"{BASE}/issuer.json"
    assert claims["jti"] == claims["id"] and claims["id"].startswith(f"{BASE}/credentials/")
    assert claims["sub"] == claims["credentialSubject"]["id"] == "https://gitlab.example.com/alice"
    assert claims["validFrom"] == "2025-06-10T09:30:00Z" and claims["nbf"] == 1749547800
    achievement = claims["credentialSubject"]["achievement"]
    assert achievement["name"] == "SAL: Co-Selling with Partners"
    assert achievement["image"] == {
        "id": f"{BASE}/classes/sal/territory-and-pipeline/co-selling-with-partners.svg",
        "type": "Image",
    }
    (identifier,) = claims["credentialSubject"]["identifier"]
    assert identifier["identityType"] == "emailAddress" and identifier["hashed"] is True
    assert "alice@example.com" not in json.dumps(claims).lower()
    assert claims["evidence"][0]["id"] == "https://gitlab.example.com/fe/acc/-/issues/10"
    assert "@sam" in claims["evidence"][0]["narrative"]


def test_the_status_list_has_the_revoked_bit_set_and_no_other(
    tmp_path: Path, ed25519_pem: str
) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem)
    found = credentials(tmp_path)
    statuses = {key: claims["credentialStatus"] for key, claims in found.items()}

    _, status_list = verified(tmp_path, "status/revocation.jwt")
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["statusPurpose"] == "revocation"
    bits = status_bits(status_list["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= 131072  # the spec's minimum, for herd privacy
    for (learner, _), status in statuses.items():
        assert status["type"] == "BitstringStatusListEntry"
        assert status["statusPurpose"] == "revocation"
        assert status["statusListCredential"] == f"{BASE}/status/revocation.jwt"
        assert bit(bits, int(status["statusListIndex"])) == (learner == "bob")
    assert sum(bin(byte).count("1") for byte in bits) == 1
    assert len({s["statusListIndex"] for s in statuses.values()}) == 4


def test_revoking_later_flips_the_bit_and_keeps_every_index(
    tmp_path: Path, ed25519_pem: str
) -> None:
    before = (AWARDS[0], AWARDS[1], AWARDS[2])
    export(tmp_path, BASE, ISSUER, [PROGRAM], before, formats=("ob3",), signing_key=ed25519_pem)
    indexes = {
        k: c["credentialStatus"]["statusListIndex"] for k, c in credentials(tmp_path).items()
    }

    revoked = AWARDS[1].__class__(**{**AWARDS[1].__dict__, "revoked": True})
    after = (AWARDS[0], revoked, AWARDS[2], AWARDS[3])
    export(tmp_path, BASE, ISSUER, [PROGRAM], after, formats=("ob3",), signing_key=ed25519_pem)

    now = {k: c["credentialStatus"]["statusListIndex"] for k, c in credentials(tmp_path).items()}
    assert {k: now[k] for k in indexes} == indexes
    bits = status_bits(
        verified(tmp_path, "status/revocation.jwt")[1]["credentialSubject"]["encodedList"]
    )
    assert bit(bits, int(now[("alice", "account-planning.json")])) == 1


def test_exports_signed_with_one_key_are_byte_identical(tmp_path: Path, p256_pem: str) -> None:
    for name in ("one", "two"):
        export(
            tmp_path / name,
            BASE,
            ISSUER,
            [PROGRAM],
            AWARDS,
            formats=("ob2", "ob3"),
            signing_key=p256_pem,
        )

    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*.jwt"))
    assert len(one) == 5
    assert all(
        (tmp_path / "one" / f).read_bytes() == (tmp_path / "two" / f).read_bytes() for f in one
    )


def test_the_private_key_never_appears_in_any_exported_file(
    tmp_path: Path, ed25519_pem: str
) -> None:
    private = serialization.load_pem_private_key(ed25519_pem.encode(), password=None)
    raw = private.private_bytes(  # type: ignore[union-attr]
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    body = "".join(ed25519_pem.strip().splitlines()[1:-1])
    secrets = {
        body,
        body[20:52],  # any stretch of the PEM
        base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),  # the JWK "d" value
        base64.b64encode(raw).decode(),
        raw.hex(),
    }
    export(
        tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob2", "ob3"), signing_key=ed25519_pem
    )

    for path in tmp_path.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("latin-1")  # PNG images too
            assert not any(secret in text for secret in secrets), path
            assert '"d"' not in text, path


def test_a_bad_key_is_refused_without_quoting_it(tmp_path: Path, ed25519_pem: str) -> None:
    head, body, tail = ed25519_pem.strip().splitlines()
    truncated = f"{head}\n{body[:40]}\n{tail}\n"
    rsa_like = f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----\n"
    for key in (truncated, rsa_like, "this is certainly not any kind of PEM key", body):
        with pytest.raises(InputError) as caught:
            export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=key)
        shown = str(caught.value) + repr(caught.value.__cause__) + repr(caught.value.__context__)
        assert key not in shown and body[8:40] not in shown
        assert "Ed25519 or P-256" in shown
    assert not list(tmp_path.iterdir())


def test_the_signer_does_not_show_its_key(ed25519_pem: str) -> None:
    signer = Signer(ed25519_pem, f"{BASE}/keys")
    body = ed25519_pem.strip().splitlines()[1]

    assert body not in repr(signer) and body not in str(vars(signer))
    assert repr(signer).startswith("Signer(alg='EdDSA', kid=")


@pytest.mark.parametrize("form", ["literal newlines", "base64"])
def test_a_key_in_a_one_line_ci_variable_is_accepted(
    tmp_path: Path, ed25519_pem: str, form: str
) -> None:
    if form == "base64":  # maskable in GitLab: `base64 -w0 key.pem`
        one_line = base64.b64encode(ed25519_pem.encode()).decode()
    else:
        one_line = ed25519_pem.strip().replace("\n", "\\n")
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=one_line)

    assert len(credentials(tmp_path)) == 4


def test_achievements_carry_their_competency_alignments(tmp_path: Path, ed25519_pem: str) -> None:
    """OB 3.0 §B.1 Alignment: `type` includes "Alignment"; `targetName` and `targetUrl`
    (a URI) are required; `targetCode` and `targetFramework` are optional strings."""
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem)
    found = credentials(tmp_path)
    partners = found[("alice", "co-selling-with-partners.json")]["credentialSubject"]
    assert partners["achievement"]["alignment"] == [
        {
            "type": ["Alignment"],
            "targetName": "Engaging partners",
            "targetUrl": "https://enablement.example.com/competencies#partner-engagement",
            "targetCode": "partner-engagement",
            "targetFramework": "Field Functional Competencies",
        }
    ]
    planning = found[("alice", "account-planning.json")]["credentialSubject"]["achievement"]
    assert "alignment" not in planning  # a course without competencies aligns to nothing
