"""Award comments link the award's page: the same address `badges export` writes it at."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from accred_ops.badges import export
from accred_ops.badges.layout import award_id
from accred_ops.badges.links import attach, page_linker
from accred_ops.render import Texts
from tests.badges.conftest import AWARDS, BASE, ISSUER, PARTNERS, PATH, PROGRAM


def workspace(pages_url: str | None) -> SimpleNamespace:
    return SimpleNamespace(config=SimpleNamespace(badges_url=pages_url), programs={"sal": PROGRAM})


def test_the_comment_links_the_page_the_export_writes(
    tmp_path: Path, ed25519_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCRED_BADGE_KEY", ed25519_pem)
    result = export(
        tmp_path, BASE, ISSUER, [PROGRAM], AWARDS, formats=("ob3",), signing_key=ed25519_pem
    )
    texts = Texts()
    attach(texts, workspace(BASE))  # type: ignore[arg-type]

    course_note = texts.badge_award(PARTNERS, "alice", {"exam::passed": "sam"}, "<!-- m -->")
    path_note = texts.path_award(PROGRAM, PATH, "alice", "<!-- m -->")

    pages = dict(result.pages)
    for note, award in ((course_note, AWARDS[0]), (path_note, AWARDS[2])):
        page = pages[award_id(award)]
        assert page in note and (tmp_path / page[len(BASE) + 1 :] / "index.html").is_file()


def test_no_link_without_the_pages_address_or_the_key(
    ed25519_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ACCRED_BADGE_KEY", raising=False)
    assert page_linker(workspace(BASE)) is None  # type: ignore[arg-type]
    monkeypatch.setenv("ACCRED_BADGE_KEY", ed25519_pem)
    assert page_linker(workspace(None)) is None  # type: ignore[arg-type]
    texts = Texts()
    attach(texts, workspace(None))  # type: ignore[arg-type]
    assert "/awards/" not in texts.badge_award(PARTNERS, "alice", {}, "<!-- m -->")
