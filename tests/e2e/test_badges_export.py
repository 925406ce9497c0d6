"""`badges export` reads the awards on record in GitLab and publishes exactly those."""

from __future__ import annotations

import json
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.e2e.conftest import World
from tests.e2e.test_sync import COURSES, FIRST, _enrolled, _pass

KEY = (
    ed25519.Ed25519PrivateKey.generate()
    .private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    .decode()
)


@pytest.fixture
def awarded(world: World, monkeypatch: pytest.MonkeyPatch) -> World:
    config = world.root / "accred.yml"
    config.write_text(
        config.read_text()
        + "badges:\n  issuer: {name: GitLab Field Enablement, url: https://about.gitlab.com, email: enablement@example.com}\n"
    )
    monkeypatch.setenv("ACCRED_BADGE_KEY", KEY)
    _enrolled(world)
    for course in COURSES:
        _pass(world, course, "alice")
    _pass(world, FIRST, "bob")
    world.cli("sync")
    world.cli("revoke", "bob", "co-selling-with-partners", "--reason", "Shared exam answers")
    return world


def export(world: World, out: Path, formats: str = "ob2"):  # type: ignore[no-untyped-def]
    args = ("--out", str(out), "--base-url", "https://example.com/badges", "--format", formats)
    return world.cli("badges", "export", *args)


def _assertions(out: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted((out / "assertions").glob("*.json"))]


def test_one_assertion_per_award_and_the_revoked_one_marked(awarded: World, tmp_path: Path) -> None:
    out = tmp_path / "badges"
    result = export(awarded, out, "ob2,ob3")
    assert result.exit_code == 0, result.output
    found = _assertions(out)
    assert len(found) == 5 + 1 + 1  # alice: five courses and the path; bob: one, revoked
    revoked = [a for a in found if a.get("revoked")]
    assert len(revoked) == 1 and revoked[0]["revocationReason"] == "Shared exam answers"
    assert KEY.splitlines()[1] not in "".join(
        p.read_bytes().decode("latin-1") for p in out.rglob("*") if p.is_file()
    )
    assert KEY.splitlines()[1] not in result.output


def test_credentials_verify_with_the_published_key(awarded: World, tmp_path: Path) -> None:
    out = tmp_path / "badges"
    export(awarded, out, "ob3")
    keys = jwt.PyJWKSet.from_dict(json.loads((out / "jwks.json").read_text()))
    tokens = sorted((out / "credentials").glob("*.jwt"))
    assert len(tokens) == 7
    for token in tokens:
        claims = jwt.decode(
            token.read_text().strip(),
            keys.keys[0],
            algorithms=["EdDSA"],
            options={"verify_aud": False},
        )
        assert "OpenBadgeCredential" in (claims.get("vc") or claims)["type"]


def test_re_export_with_nothing_changed_is_byte_identical(awarded: World, tmp_path: Path) -> None:
    out = tmp_path / "badges"
    export(awarded, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    export(awarded, out)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_export_without_an_issuer_is_a_usage_error(world: World, tmp_path: Path) -> None:
    result = world.cli("badges", "export", "--out", str(tmp_path), "--base-url", "https://x")
    assert result.exit_code == 2 and "badges.issuer" in result.output
