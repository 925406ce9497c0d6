"""Text from people is rendered so it cannot run a quick action or break the Markdown."""

from __future__ import annotations

import pytest

from accred_ops.core.checklist import normalize
from accred_ops.render import md


@pytest.mark.parametrize(
    ("text", "rendered"),
    [
        ("Territory & Pipeline", "Territory & Pipeline"),
        ("/close", "\\/close"),
        ('title\n/label ~"exam::passed"', 'title /label \\~"exam::passed"'),
        ("<script>x</script>", "\\<script\\>x\\</script\\>"),
        ("**bold** [link](u) | cell", "\\*\\*bold\\*\\* \\[link\\](u) \\| cell"),
        ("&copy; 2026", "\\&copy; 2026"),
    ],
    ids=[
        "ampersand-kept",
        "leading-slash",
        "newline-cannot-start-a-command",
        "html",
        "markdown",
        "entity",
    ],
)
def test_md_escapes_what_would_change_the_markdown(text: str, rendered: str) -> None:
    assert md(text) == rendered


@pytest.mark.parametrize(
    "objective", ["Read A & B", "Use `git` *well*", "Plan 6, 12, and 18 mos", "C:\\temp [x] | y"]
)
def test_an_escaped_objective_still_matches_its_own_text(objective: str) -> None:
    assert normalize(md(objective)) == normalize(objective)
