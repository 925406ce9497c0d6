"""Docs read in order: a sentence that announces something is followed by it."""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_to_verify_by_hand_is_followed_by_the_code_that_does_it() -> None:
    text = (DOCS / "badges.md").read_text(encoding="utf-8")
    after = text.split("To verify one by hand:", 1)[1].lstrip("\n")
    assert after.startswith("```python\n")
