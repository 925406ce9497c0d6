"""did:web: the issuer DID from the base URL, and where its document is published."""

from __future__ import annotations

import pytest

from accred_ops.badges import did
from accred_ops.badges.dataintegrity import multikey
from accred_ops.badges.layout import Urls


@pytest.mark.parametrize(
    ("base", "expected", "where"),
    [
        (
            "https://fe.gitlab.io/accreditation/badges",
            "did:web:fe.gitlab.io:accreditation:badges",
            "did.json",
        ),
        ("https://badges.example.com", "did:web:badges.example.com", ".well-known/did.json"),
        ("https://badges.example.com/", "did:web:badges.example.com", ".well-known/did.json"),
        ("http://127.0.0.1:8080/b", "did:web:127.0.0.1%3A8080:b", "did.json"),
    ],
)
def test_the_did_follows_the_did_web_method(base: str, expected: str, where: str) -> None:
    urls = Urls.of(base)
    assert did.did_of(urls) == expected
    assert did.document_file(urls) == where


def test_the_document_names_one_multikey_for_assertions() -> None:
    urls = Urls.of("https://fe.gitlab.io/badges")
    doc = did.document(urls, multikey(bytes(32)))
    (method,) = doc["verificationMethod"]
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert doc["assertionMethod"] == [method["id"]] == [did.method_id(urls)]
    assert method["controller"] == doc["id"] == "did:web:fe.gitlab.io:badges"
