"""The sandbox's read-only board at `/`, as `accred-ops demo --keep` leaves it: over plain HTTP,
and in a real headless browser where one is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from accred_ops.cli import main
from accred_ops.demo import PROJECT, run_demo
from accred_ops.sandbox import Sandbox
from accred_ops.sandbox.app import describe
from accred_ops.sandbox.people import Person

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"'
BROWSER = next(
    (
        found
        for name in ("chromium", "chromium-browser", "google-chrome")
        if (found := shutil.which(name))
    ),
    None,
)
DOCS = Path(__file__).resolve().parents[2] / "docs"


def _get(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=10) as answer:  # no token: the view is public
        return answer.headers["Content-Type"], answer.read().decode()


def _kept_demo(check: Callable[[str], None]) -> list[str]:
    """Play the demo with --keep; `check(url)` runs while the sandbox is still up."""
    said: list[str] = []

    def wait() -> None:
        url = re.search(r"open (http://127\.0\.0\.1:\d+)/ to see the board", said[-1])
        assert url, said[-1]
        alice = Person(url[1], "demo-alice-token", PROJECT)
        alice.comment(alice.find_issue("Account Planning", "alice"), HOSTILE)
        check(url[1])

    run_demo(said.append, keep=True, wait=wait)
    return said


def test_the_board_is_served_at_the_root_with_every_text_escaped() -> None:
    def check(url: str) -> None:
        kind, page = _get(url + "/")
        assert kind.startswith("text/html")
        assert "<h2>Board: Field Enablement</h2>" in page
        for column in ("Open", "accreditation::enrolled", "accreditation::in-progress", "Closed"):
            assert f"<h3>{column} " in page
        assert re.search(r"<h4>#\d+ Co-Selling with Partners — @alice</h4>", page)
        assert "☑ The different types of partners GitLab works with" in page
        assert '<span class="label">exam::passed</span>' in page
        assert "<b>@accred-bot</b>" in page  # the award comment
        assert "<script" not in page and "<img" not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page

    said = _kept_demo(check)
    assert said[-1].startswith("\nopen http://127.0.0.1:")


def test_demo_keep_is_an_option() -> None:
    assert "--keep" in CliRunner().invoke(main, ["demo", "--help"]).output


def test_the_sandbox_says_its_groups_projects_and_the_tools_token() -> None:
    with Sandbox() as sandbox:
        lines = describe(sandbox)
    text = "\n".join(lines)
    assert f"board view (read-only): {sandbox.url}/" in text
    assert "  field-enablement [premium]: accred-bot (Owner), erin (Maintainer)" in text
    assert "  field-enablement/assessors [premium]: sam (Developer)" in text
    assert (  # learners are project Guests only, as the README advises
        "  field-enablement/accreditation: alice (Guest), bob (Guest), carol (Guest), sam (Reporter)"
        in text
    )
    assert "  accred-bot: accred-bot-token   <- accred-ops's own (GITLAB_TOKEN)" in text
    assert f"export GITLAB_URL={sandbox.url} GITLAB_TOKEN=accred-bot-token" in text


@pytest.mark.skipif(BROWSER is None, reason="no headless browser (chromium) installed")
def test_the_board_renders_in_a_real_browser(tmp_path: Path) -> None:
    shot = tmp_path / "board.png"

    def check(url: str) -> None:
        flags = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
        dom = subprocess.run(
            [*flags, "--dump-dom", url + "/"], capture_output=True, text=True, timeout=90
        ).stdout
        assert "Board: Field Enablement" in dom
        assert "Co-Selling with Partners — @alice" in dom
        assert "<script>alert" not in dom  # the hostile comment is text, not markup
        subprocess.run(
            [*flags, f"--screenshot={shot}", "--window-size=1600,1000", url + "/"],
            capture_output=True,
            timeout=90,
        )

    _kept_demo(check)
    assert shot.stat().st_size > 10_000
    if not (DOCS / "sandbox-board.png").exists():  # the README's picture, made once
        shutil.copy(shot, DOCS / "sandbox-board.png")
