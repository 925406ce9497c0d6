"""The exported Open Badges 2.0 assertions pass 1EdTech's own validator (`openbadges` on PyPI),
fetched over real HTTP from the tree served on 127.0.0.1, as a verifier would fetch them.

The validator pins libraries that do not import on Python 3.11 and an old Click; docs/badges.md
gives the install line that works. Without it, this test is skipped (the rest of the suite
checks the same documents field by field).
"""

from __future__ import annotations

import functools
import threading
import warnings
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from accred_ops.badges import export
from accred_ops.badges.layout import assertion_file, award_id
from tests.badges.conftest import AWARDS, ISSUER, PROGRAM

WHY = ""
try:
    import responses

    with warnings.catch_warnings():  # its old dependencies import deprecated modules
        warnings.simplefilter("ignore", DeprecationWarning)
        from openbadges import verify
        from openbadges.verifier.openbadges_context import (
            OPENBADGES_CONTEXT_V2_DICT,
            OPENBADGES_CONTEXT_V2_URI,
        )
except Exception as error:  # ImportError, or SyntaxError from the pycryptodome it pins
    verify = None
    WHY = (
        f"the Open Badges 2.0 validator cannot be imported ({type(error).__name__}: {error});"
        " docs/badges.md gives the pip line that installs it"
    )

pytestmark = pytest.mark.skipif(verify is None, reason=WHY)


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


@pytest.fixture
def offline() -> Iterator[None]:
    """Only 127.0.0.1 is reached: the Open Badges JSON-LD context comes from the package."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_passthru("http://127.0.0.1")
        mock.add(responses.GET, OPENBADGES_CONTEXT_V2_URI, json=OPENBADGES_CONTEXT_V2_DICT)
        yield


def test_every_assertion_is_valid_and_the_revoked_one_says_so(
    site: tuple[Path, str], offline: None
) -> None:
    folder, root = site
    base = f"{root}/badges"
    export(folder / "badges", base, ISSUER, [PROGRAM], AWARDS)

    for award in AWARDS:
        url = f"{base}/{assertion_file(award_id(award))}"
        # What the recipient presents: the roster email if the award has one, else the profile.
        identity = {"email": award.email.lower()} if award.email else {"url": award.profile_url}
        report = verify(url, recipient_profile=dict(identity), use_cache=False)

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


def test_an_assertion_for_someone_else_is_not_valid(site: tuple[Path, str], offline: None) -> None:
    folder, root = site
    export(folder / "badges", f"{root}/badges", ISSUER, [PROGRAM], AWARDS[1:2])
    url = f"{root}/badges/{assertion_file(award_id(AWARDS[1]))}"

    report = verify(url, recipient_profile={"url": "https://gitlab.example.com/mallory"})

    assert not report["report"]["valid"]
