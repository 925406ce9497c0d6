"""The JSON-LD Open Badges 3.0 credentials checked by verifiers accred-ops did not write.

* The Digital Credentials Consortium's verifier (`@digitalcredentials/verifier-core`, the
  engine of the Learner Credential Wallet and VerifierPlus): the embedded eddsa-rdfc-2022
  proof against the did:web issuer's DID document, and revocation through the signed
  Bitstring Status List;
* jsonld.js expansion in safe mode (any term the contexts do not define is an error);
* `jose`: the VC-JWT's `kid` dereferenced to a bare JWK, and the signature checked with it;
* 1EdTech's OB 3.0 JSON schema (draft 2019-09), with `jsonschema`.

The node tools are pinned by tests/verifier/package-lock.json and installed by `npm ci`
(`python3 dev.py test` and `.ci/run` do it). Offline: tests/verifier/verify.mjs answers every
URL under the base URL from the exported folder and refuses any other. Where node is
installed a verifier's failure fails the test; only a machine without node skips them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from accred_ops.badges import export
from tests.badges.conftest import AWARDS, BASE, ISSUER, PLANNING, PROGRAM, award

EXPIRED = dataclasses.replace(
    award("carol", PLANNING, 3), valid_until=dt.datetime(2025, 6, 30, tzinfo=dt.UTC)
)
WORLD = (*AWARDS, EXPIRED)  # four awards, one revoked, one expired

HERE = Path(__file__).resolve().parents[1] / "verifier"
SCHEMA = HERE / "schema" / "ob_v3p0_achievementcredential_schema.json"
NODE = shutil.which("node")

needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed (.ci/run installs it)")


def run_verifiers(out: Path) -> dict:
    modules = HERE / "node_modules" / "@digitalcredentials" / "verifier-core"
    assert modules.is_dir(), "run `npm ci` in tests/verifier (python3 dev.py test does it)"
    done = subprocess.run(
        [str(NODE), str(HERE / "verify.mjs"), str(out), BASE, str(SCHEMA)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=HERE,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory, ed25519_pem: str) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("ld")
    export(out, BASE, ISSUER, [PROGRAM], WORLD, formats=("ob2", "ob3"), signing_key=ed25519_pem)
    return out, run_verifiers(out)


def steps(result: dict) -> dict[str, bool]:
    return {step["id"]: step["valid"] for step in result.get("log", [])}


@needs_node
def test_the_dcc_verifier_accepts_every_signature_and_catches_the_revoked_one(
    verified: tuple[Path, dict],
) -> None:
    out, report = verified
    results = report["dcc"]
    assert len(results) == len(WORLD) == 5
    failed: dict[str, set[str]] = {"revocation_status": set(), "expiration": set()}
    for name, result in results.items():
        assert not result.get("errors"), (name, result)
        outcome = steps(result)
        assert outcome["valid_signature"] is True, (name, result)
        for step in failed:
            if outcome[step] is False:
                failed[step].add(name)
    subjects = {
        step: [
            json.loads((out / "credentials" / n).read_text())["credentialSubject"]["id"]
            for n in names
        ]
        for step, names in failed.items()
    }
    (revoked,) = [a for a in AWARDS if a.revoked]
    assert subjects == {
        "revocation_status": [revoked.profile_url],
        "expiration": [EXPIRED.profile_url],
    }
    assert report["refused"] == []  # nothing was fetched from outside the export


@needs_node
def test_the_dcc_verifier_finds_the_credentials_valid_against_their_schema(
    verified: tuple[Path, dict],
) -> None:
    for name, result in verified[1]["dcc"].items():
        (check,) = [i for i in result["additionalInformation"] if i["id"] == "schema_check"]
        assert [r["result"]["valid"] for r in check["results"]] == [True], (name, check)


@needs_node
def test_jsonld_safe_mode_expands_every_credential_and_the_status_list(
    verified: tuple[Path, dict],
) -> None:
    outcomes = verified[1]["safeMode"]
    assert len(outcomes) == len(WORLD) + 1
    assert set(outcomes.values()) == {"ok"}, outcomes


@needs_node
def test_jose_dereferences_each_kid_to_a_jwk_and_verifies_the_vc_jwt(
    verified: tuple[Path, dict],
) -> None:
    outcomes = verified[1]["jose"]
    assert len(outcomes) == len(WORLD)
    # every signature verifies with the JWK its kid names; the expired award's JWT carries
    # `exp` (its validUntil), which jose enforces
    expired = [o for o in outcomes.values() if o != "ok"]
    assert expired == ['JWTExpired: "exp" claim timestamp check failed'], outcomes


@needs_node
def test_a_tampered_credential_fails_the_dcc_signature_check(
    tmp_path: Path, ed25519_pem: str
) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem)
    path = sorted((tmp_path / "credentials").glob("*.json"))[0]
    doc = json.loads(path.read_text())
    doc["credentialSubject"]["achievement"]["name"] = "Something never earned"
    path.write_text(json.dumps(doc))
    result = run_verifiers(tmp_path)["dcc"][path.name]
    assert [e["name"] for e in result["errors"]] == ["invalid_signature"], result


def test_every_jsonld_credential_passes_1edtech_schema(tmp_path: Path, ed25519_pem: str) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], WORLD, formats=("ob3",), signing_key=ed25519_pem)
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft201909Validator(
        schema, format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    docs = sorted((tmp_path / "credentials").glob("*.json"))
    assert len(docs) == len(WORLD)
    for path in docs:
        errors = [e.message for e in validator.iter_errors(json.loads(path.read_text()))]
        assert errors == [], (path.name, errors)


def test_a_p256_key_makes_the_vc_jwt_form_only_and_says_so(tmp_path: Path, p256_pem: str) -> None:
    result = export(
        tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=p256_pem
    )
    assert len([f for f in result.files if f.endswith(".jwt") and "credentials/" in f]) == 4
    assert not [f for f in result.files if f.startswith("credentials/") and f.endswith(".json")]
    assert "did.json" not in result.files and "status/revocation.json" not in result.files
    assert any("P-256" in w and "VC-JWT" in w and "Ed25519" in w for w in result.warnings)
