"""Attacks on the exported badges that accred-ops #29 added: finding someone's award page,
reading holders off the public index, and passing off an altered JSON-LD credential."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from accred_ops.badges import export
from accred_ops.badges.award_page import token
from accred_ops.badges.dataintegrity import hash_data, proof_options
from accred_ops.badges.layout import NAMESPACE, award_id
from tests.badges.conftest import AWARDS, BASE, ISSUER, PROGRAM, pem


@pytest.fixture
def ed25519_pem() -> str:
    return pem(ed25519.Ed25519PrivateKey.generate())


def test_an_award_page_cannot_be_found_from_the_learner_and_course(
    tmp_path: Path, ed25519_pem: str
) -> None:
    """Award ids are uuid5 of learner, program, path, course: anyone can compute one. The page
    address is keyed by the signing key, so computing it without the key gives nothing."""
    result = export(
        tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem
    )
    target = AWARDS[0]
    guessed = str(uuid.uuid5(NAMESPACE, "\x1f".join(target.key)))
    assert guessed == award_id(target)  # the id is public knowledge...
    page = dict(result.pages)[guessed]
    for key in (b"", guessed.encode(), b"accred-ops", target.learner.encode()):
        assert token(guessed, key) not in page  # ...the address is not
    listing = {p.name for p in (tmp_path / "awards").iterdir()}
    assert len(listing) == len(AWARDS)  # (a static host lists no folder; this is the tree)


def test_the_public_index_names_no_holder_by_default(tmp_path: Path, ed25519_pem: str) -> None:
    export(
        tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob2", "ob3"), signing_key=ed25519_pem
    )
    index = (tmp_path / "index.html").read_text()
    for award in AWARDS:
        assert award.learner not in index and award.profile_url not in index
        assert award_id(award) not in index  # no link to an assertion or credential either
    assert "/awards/" not in index  # nor to a page


def test_an_altered_jsonld_credential_no_longer_matches_its_proof(
    tmp_path: Path, ed25519_pem: str
) -> None:
    """Changing any statement changes the canonical hash the proof signs (the DCC verifier's
    refusal of a tampered credential is tests/badges/test_verifiers.py)."""
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem)
    doc = json.loads(next((tmp_path / "credentials").glob("*.json")).read_text())
    (proof,) = doc["proof"]
    options = proof_options(doc, proof["verificationMethod"], proof["created"])
    forged = {
        **doc,
        "credentialSubject": {**doc["credentialSubject"], "id": "https://evil.example"},
    }
    assert hash_data(doc, options) != hash_data(forged, options)
