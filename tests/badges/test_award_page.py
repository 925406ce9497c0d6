"""Award pages: an unguessable address, what a holder shares (LinkedIn, QR code, previews),
the status as of the export; and the OB 2.0 images baked with their assertion."""

from __future__ import annotations

import datetime as dt
import json
import re
import struct
import subprocess
import zlib
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from accred_ops.badges import export
from accred_ops.badges.award_page import status_of
from accred_ops.badges.layout import award_id
from tests.badges.conftest import AWARDS, BASE, ISSUER, PARTNERS, PROGRAM, award

ROOT = Path(__file__).resolve().parents[2]
BAKERY = ROOT / ".venv-validator" / "bin" / "python"


def pages(out: Path, pem: str, awards=AWARDS) -> dict[str, str]:  # type: ignore[no-untyped-def]
    result = export(out, BASE, ISSUER, [PROGRAM], awards, formats=("ob2", "ob3"), signing_key=pem)
    return dict(result.pages)


def page_text(out: Path, url: str) -> str:
    return (out / url[len(BASE) + 1 :] / "index.html").read_text()


def test_every_award_has_a_page_at_an_address_keyed_by_the_signing_key(
    tmp_path: Path, ed25519_pem: str, p256_pem: str
) -> None:
    first = pages(tmp_path / "a", ed25519_pem)
    again = pages(tmp_path / "b", ed25519_pem)
    other = pages(tmp_path / "c", p256_pem)

    assert sorted(first) == sorted(award_id(a) for a in AWARDS)
    assert first == again  # stable from one export to the next
    assert not set(first.values()) & set(other.values())  # another key, other addresses
    for aid, url in first.items():
        assert re.fullmatch(rf"{BASE}/awards/[a-z2-7]{{26}}/", url)
        assert aid not in url and "alice" not in url and "co-selling" not in url
        assert page_text(tmp_path / "a", url).startswith("<!doctype html>")


def test_a_page_says_who_earned_what_and_links_every_form(tmp_path: Path, ed25519_pem: str) -> None:
    alice = award_id(AWARDS[0])
    url = pages(tmp_path, ed25519_pem)[alice]
    page = page_text(tmp_path, url)

    assert "SAL: Co-Selling with Partners" in page and "@alice" in page
    assert "Field Enablement" in page and "2025-06-10" in page and ">Valid<" in page
    assert "How to co-sell &lt;in the field&gt;" in page  # the objectives, escaped
    assert "recorded there by @sam" in page  # the evidence summary
    assert '<meta name="robots" content="noindex">' in page
    links = re.findall(r'href="([^"]+)" download', page)
    assert [Path(urlsplit(link).path).suffix for link in links] == [
        ".json",
        ".jwt",
        ".json",
        ".png",
    ]
    for link in links:
        assert (tmp_path / link[len(BASE) + 1 :]).is_file()
    assert '<svg width="' in page and 'class="segno"' in page  # the QR code, inline


def test_open_graph_tags_preview_the_page_with_a_png(tmp_path: Path, ed25519_pem: str) -> None:
    url = pages(tmp_path, ed25519_pem)[award_id(AWARDS[0])]
    tags = dict(
        re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)">', page_text(tmp_path, url))
    )

    assert tags["og:url"] == url and tags["og:title"].startswith("SAL: Co-Selling with Partners")
    image = tmp_path / tags["og:image"][len(BASE) + 1 :]
    assert image.suffix == ".png" and image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", image.read_bytes()[16:24])
    assert (width, height) == (480, 560)


def test_the_linkedin_link_is_prefilled_as_a_certification(
    tmp_path: Path, ed25519_pem: str
) -> None:
    url = pages(tmp_path, ed25519_pem)[award_id(AWARDS[0])]
    (link,) = re.findall(r'href="(https://www\.linkedin\.com/[^"]+)"', page_text(tmp_path, url))
    parts = urlsplit(link.replace("&amp;", "&"))

    assert parts.path == "/profile/add"
    assert {k: v[0] for k, v in parse_qs(parts.query).items()} == {
        "startTask": "CERTIFICATION_NAME",
        "name": "SAL: Co-Selling with Partners",
        "organizationName": "Field Enablement",
        "issueYear": "2025",
        "issueMonth": "6",
        "certUrl": url,
        "certId": award_id(AWARDS[0]),
    }


def test_a_revoked_award_says_so_with_its_public_reason(tmp_path: Path, ed25519_pem: str) -> None:
    url = pages(tmp_path, ed25519_pem)[award_id(AWARDS[3])]
    assert "Revoked: Exam taken by someone else" in page_text(tmp_path, url)


def test_an_award_past_its_valid_until_is_shown_expired() -> None:
    entry = SimpleNamespace(award=SimpleNamespace(revoked=False))
    doc = {"validUntil": "2026-01-01T00:00:00Z"}
    before = dt.datetime(2025, 12, 31, tzinfo=dt.UTC)
    after = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    assert status_of(entry, doc, before) == "valid"  # type: ignore[arg-type]
    assert status_of(entry, doc, after) == "expired"  # type: ignore[arg-type]
    assert status_of(entry, {}, after) == "valid"  # type: ignore[arg-type]


def test_learner_and_curriculum_text_is_escaped_on_the_page(
    tmp_path: Path, ed25519_pem: str
) -> None:
    odd = award("eve<script>", PARTNERS, 11, revoked=True, revocation_reason="<b>bad</b> & co")
    (url,) = pages(tmp_path, ed25519_pem, (odd,)).values()
    page = page_text(tmp_path, url)
    assert "<script" not in page and "<b>" not in page
    assert "@eve&lt;script&gt;" in page and "&lt;b&gt;bad&lt;/b&gt; &amp; co" in page


def itxt(png: bytes) -> dict[str, str]:
    """The PNG's iTXt chunks, keyword -> text, read by the PNG specification."""
    found, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        crc = struct.unpack(">I", png[at + 8 + length : at + 12 + length])[0]
        assert zlib.crc32(kind + data) & 0xFFFFFFFF == crc
        if kind == b"iTXt":
            keyword, rest = data.split(b"\x00", 1)
            found[keyword.decode()] = rest[2:].split(b"\x00", 2)[2].decode()
        at += 12 + length
    return found


def test_ob2_images_are_baked_with_their_assertion(tmp_path: Path) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)
    aid = award_id(AWARDS[0])
    assertion = json.loads((tmp_path / f"assertions/{aid}.json").read_text())

    assert (
        json.loads(itxt((tmp_path / f"assertions/{aid}.png").read_bytes())["openbadges"])
        == assertion
    )
    svg = (tmp_path / f"assertions/{aid}.svg").read_text()
    assert 'xmlns:openbadges="http://openbadges.org"' in svg
    assert f'<openbadges:assertion verify="{assertion["id"]}">' in svg


@pytest.mark.skipif(not BAKERY.exists(), reason="`python3 dev.py test` installs openbadges-bakery")
def test_1edtech_bakery_unbakes_both_images(tmp_path: Path) -> None:
    export(tmp_path, BASE, ISSUER, [PROGRAM], AWARDS)
    aid = award_id(AWARDS[0])
    script = (
        "import sys, json, openbadges_bakery as b\n"
        "found = [b.unbake(open(p, 'rb')) for p in sys.argv[1:]]\n"
        "print(json.dumps([t.decode() if isinstance(t, bytes) else t for t in found]))"
    )
    files = [str(tmp_path / f"assertions/{aid}.{ext}") for ext in ("png", "svg")]
    done = subprocess.run([str(BAKERY), "-c", script, *files], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    expected = json.loads((tmp_path / f"assertions/{aid}.json").read_text())
    png_text, svg_text = json.loads(done.stdout)
    assert json.loads(png_text) == expected  # the PNG carries the assertion itself
    assert svg_text == expected["id"]  # the SVG's `verify`: where the hosted assertion is


def test_an_expiring_award_carries_valid_until_and_its_page_says_expired(
    tmp_path: Path, ed25519_pem: str
) -> None:
    from tests.badges.test_verifiers import EXPIRED

    result = export(
        tmp_path,
        BASE,
        ISSUER,
        [PROGRAM],
        (EXPIRED,),
        formats=("ob3",),
        signing_key=ed25519_pem,
        now=dt.datetime(2025, 7, 1, tzinfo=dt.UTC),
    )
    ((aid, url),) = result.pages
    doc = json.loads((tmp_path / f"credentials/{aid}.json").read_text())
    page = page_text(tmp_path, url)
    assert doc["validUntil"] == "2025-06-30T00:00:00Z"
    assert "Expired on 2025-06-30" in page and "Valid until" in page
    assert "expirationYear=2025&amp;expirationMonth=6" in page  # on LinkedIn too
