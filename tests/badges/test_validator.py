"""The exported Open Badges 2.0 assertions pass 1EdTech's own validator (`openbadges` on PyPI),
fetched over real HTTP from the tree served on 127.0.0.1, as a verifier would fetch them.

The validator pins an old Click and old libraries that would clash with the product's, so it
runs from its own environment, `.venv-validator/` (made by `python3 dev.py test`), in a
subprocess. Without it, this test is skipped (the rest of the suite checks the same documents
field by field).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from accred_ops.badges import export
from accred_ops.badges.layout import assertion_file, award_id
from tests.badges.conftest import AWARDS, ISSUER, PROGRAM

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / ".venv-validator" / "bin" / "python"
RUNNER = Path(__file__).with_name("validator_run.py")


def verify(url: str, recipient_profile: dict[str, str]) -> dict:
    """The validator's report, from its own environment (`python3 dev.py test` makes it)."""
    done = subprocess.run(
        [str(VALIDATOR), str(RUNNER), url, json.dumps(recipient_profile)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


pytestmark = pytest.mark.skipif(
    not VALIDATOR.exists(),
    reason="the Open Badges 2.0 validator is not installed: `python3 dev.py test` puts it in .venv-validator/",
)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served at http://127.0.0.1:PORT/ while the test runs."""
    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_every_assertion_is_valid_and_the_revoked_one_says_so(site: tuple[Path, str]) -> None:
    folder, root = site
    base = f"{root}/badges"
    export(folder / "badges", base, ISSUER, [PROGRAM], AWARDS)

    for award in AWARDS:
        url = f"{base}/{assertion_file(award_id(award))}"
        # What the recipient presents: the roster email if the award has one, else the profile.
        identity = {"email": award.email.lower()} if award.email else {"url": award.profile_url}
        report = verify(url, recipient_profile=dict(identity))

        assert report["report"]["valid"], report["report"]["messages"]
        assert report["report"]["errorCount"] == 0
        assert report["report"]["recipientProfile"] == identity  # the salted hash matched
        graph = {node.get("type"): node for node in report["graph"]}
        assert graph["Issuer"]["id"] == f"{base}/issuer.json"
        assert graph["BadgeClass"]["issuer"] == f"{base}/issuer.json"
        assert graph["Assertion"].get("revoked", False) is award.revoked
        assert graph["Assertion"].get("revocationReason") == award.revocation_reason
        aligned = graph["BadgeClass"].get("alignment")
        if award.course is not None and award.course.competencies:  # checked by the validator
            assert aligned, graph["BadgeClass"]


def test_an_assertion_for_someone_else_is_not_valid(site: tuple[Path, str]) -> None:
    folder, root = site
    export(folder / "badges", f"{root}/badges", ISSUER, [PROGRAM], AWARDS[1:2])
    url = f"{root}/badges/{assertion_file(award_id(AWARDS[1]))}"

    report = verify(url, recipient_profile={"url": "https://gitlab.example.com/mallory"})

    assert not report["report"]["valid"]


def test_a_renewed_badge_is_two_valid_assertions_and_an_ended_one_is_expired(
    site: tuple[Path, str],
) -> None:
    """Each award of a badge that expires is its own assertion with `expires`: a renewal is a
    second one. The validator checks `expires` against its own clock, so the ends are far from
    any date it could run on (2025-12-12, six months after the award, and 2099)."""
    folder, root = site
    first = AWARDS[1]
    ended = dataclasses.replace(first, valid_until=dt.datetime(2025, 12, 12, tzinfo=dt.UTC))
    renewal = dataclasses.replace(
        first, cycle=1, valid_until=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    export(folder / "badges", f"{root}/badges", ISSUER, [PROGRAM], [ended, renewal])
    reports = {
        award.cycle: verify(
            f"{root}/badges/{assertion_file(award_id(award))}", {"url": award.profile_url}
        )["report"]
        for award in (ended, renewal)
    }
    assert reports[1]["valid"], reports[1]["messages"]
    assert not reports[0]["valid"]
    assert "expired" in json.dumps(reports[0]["messages"]).lower(), reports[0]["messages"]
