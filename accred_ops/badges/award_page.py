"""One page per award: what a holder shares, with a LinkedIn button, a QR code and previews.

The page lives at `awards/<token>/` where the token is a keyed hash of the award id (award
ids are computed from the learner's name and the course, so they can be guessed; the token
cannot without the issuer's signing key). It says who earned what, from whom and when, the
criteria and objectives, the evidence, and the status as of the export (valid, revoked with
its public reason, or expired); it links the credential in every form the export wrote.
Search engines are asked not to index it: its holder decides whom to give it to.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import segno

from accred_ops.badges import layout
from accred_ops.badges.model import Issuer
from accred_ops.badges.page import CSS, Entry, esc

LINKEDIN = "https://www.linkedin.com/profile/add"
LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s\"]+)\)")  # a Markdown link, once escaped
PAGE_CSS = (
    CSS
    + """
.hero{display:flex;gap:24px;align-items:flex-start;flex-wrap:wrap}.hero img{width:180px}
.hero>div{flex:1;min-width:260px}
.status{display:inline-block;padding:3px 10px;border-radius:12px;font-weight:600}
.valid{background:#dcf5e3;color:#1a6b34}.bad{background:#fde2e1;color:#a4262c}
.btn{display:inline-block;margin:4px 8px 4px 0;padding:7px 14px;border-radius:6px;
background:#0a66c2;color:#fff;text-decoration:none;font-weight:600}
.btn.alt{background:#fff;color:#5a3fa8;border:1px solid #cfc8e8}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}dt{color:#626168}dd{margin:0}
.narrative{white-space:pre-line}
"""
)


def token(award_id: str, secret: bytes) -> str:
    """The page's unguessable name: HMAC-SHA256 of the award id, 128 bits in base 32."""
    digest = hmac.new(secret, award_id.encode(), hashlib.sha256).digest()[:16]
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def page_file(page_token: str) -> str:
    return f"awards/{page_token}/index.html"


def page_address(page_token: str) -> str:
    """What is shared: the page's folder (served as its index.html)."""
    return f"awards/{page_token}/"


@dataclass(frozen=True)
class AwardPage:
    """What a page shows: the award, its credential document, and where its files are."""

    issuer: Issuer
    entry: Entry
    credential: dict[str, Any]  # the OpenBadgeCredential (results, validUntil if any)
    url: str  # the page's own absolute URL
    downloads: tuple[tuple[str, str], ...]  # (label, URL) of every form of the credential
    image_png: str  # absolute URL of the badge PNG (Open Graph preview)
    status: str  # "valid", "revoked", "expired"


def status_of(entry: Entry, credential: dict[str, Any], now: dt.datetime | None) -> str:
    if entry.award.revoked:
        return "revoked"
    until = credential.get("validUntil")
    if until and now and dt.datetime.fromisoformat(until.replace("Z", "+00:00")) <= now:
        return "expired"
    return "valid"


def linkedin_url(page: AwardPage) -> str:
    """LinkedIn's documented add-to-profile link, prefilled as a certification."""
    issued = layout.utc(page.entry.award.issued_on)
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": page.entry.badge.name,
        "organizationName": page.issuer.name,
        "issueYear": issued.year,
        "issueMonth": issued.month,
        "certUrl": page.url,
        "certId": page.entry.award_id,
    }
    until = page.credential.get("validUntil")
    if until:
        params |= {"expirationYear": int(until[:4]), "expirationMonth": int(until[5:7])}
    return f"{LINKEDIN}?{urlencode(params)}"


def render(page: AwardPage) -> str:
    award, badge = page.entry.award, page.entry.badge
    title = f"{badge.name}, earned by @{award.learner}"
    summary = f"{badge.description} Issued by {page.issuer.name}."
    return (
        "\n".join(
            [
                "<!doctype html>",
                '<html lang="en"><head><meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width,initial-scale=1">',
                '<meta name="robots" content="noindex">',
                f"<title>{esc(title)}</title>",
                *_open_graph(page, title, summary),
                f"<style>{PAGE_CSS}</style></head><body><main>",
                _hero(page, title),
                _details(page),
                _criteria(page),
                _evidence(page),
                _share(page),
                "</main></body></html>",
            ]
        )
        + "\n"
    )


def _open_graph(page: AwardPage, title: str, summary: str) -> list[str]:
    tags = {
        "og:type": "website",
        "og:title": title,
        "og:description": summary,
        "og:url": page.url,
        "og:image": page.image_png,
        "og:image:alt": page.entry.badge.name,
        "og:site_name": page.issuer.name,
    }
    lines = [f'<meta property="{k}" content="{esc(v)}">' for k, v in tags.items()]
    lines.append('<meta name="twitter:card" content="summary">')
    lines.append(f'<meta name="description" content="{esc(summary)}">')
    return lines


def _status_badge(page: AwardPage) -> str:
    award = page.entry.award
    if page.status == "revoked":
        reason = f": {esc(award.revocation_reason)}" if award.revocation_reason else ""
        return f'<span class="status bad">Revoked{reason}</span>'
    if page.status == "expired":
        return (
            f'<span class="status bad">Expired on {esc(page.credential["validUntil"][:10])}</span>'
        )
    return '<span class="status valid">Valid</span>'


def _hero(page: AwardPage, title: str) -> str:
    award, badge = page.entry.award, page.entry.badge
    return (
        f'<div class="hero"><img src="{esc(page.image_png)}" alt="{esc(badge.name)}"><div>'
        f"<h1>{esc(badge.name)}</h1>"
        f'<p>Earned by <a href="{esc(award.profile_url)}">@{esc(award.learner)}</a>'
        f' from <a href="{esc(page.issuer.url)}">{esc(page.issuer.name)}</a>.</p>'
        f'<p>{_status_badge(page)} <span class="meta">as of this page\'s publication</span></p>'
        f'<p class="meta">{esc(badge.description)}</p></div></div>'
    )


def _details(page: AwardPage) -> str:
    award = page.entry.award
    rows = [
        ("Holder", f"@{esc(award.learner)}"),
        ("Issued by", esc(page.issuer.name)),
        ("Issued on", layout.iso(award.issued_on)[:10]),
    ]
    if page.credential.get("validUntil"):
        rows.append(("Valid until", esc(page.credential["validUntil"][:10])))
    rows.append(("Credential id", f"<code>{esc(page.entry.award_id)}</code>"))
    items = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    return f"<h2>Details</h2><dl>{items}</dl>"


def _criteria(page: AwardPage) -> str:
    badge = page.entry.badge
    narrative = re.sub(r"\\(.)", r"\1", badge.criteria)  # the Markdown escapes, as text
    if badge.course and badge.course.objectives:  # listed below, under their own heading
        narrative = re.sub(r"(?m)^\d+\. .*\n?", "", narrative)
    narrative = re.sub(r"\n{3,}", "\n\n", narrative.strip())
    text = LINK.sub(r'<a href="\2">\1</a>', esc(narrative))
    out = [f'<h2>Criteria</h2><p class="narrative">{text}</p>']
    if badge.course and badge.course.objectives:
        items = "".join(f"<li>{esc(o)}</li>" for o in badge.course.objectives)
        out.append(f"<h3>Learning objectives</h3><ul>{items}</ul>")
    return "".join(out)


def _evidence(page: AwardPage) -> str:
    out = ["<h2>Evidence</h2>"]
    for item in page.credential.get("evidence", []):
        out.append(f"<p>{esc(item.get('narrative', ''))}</p>")
    results = page.credential["credentialSubject"].get("result") or []
    if results:
        rows = "".join(f"<li>{esc(_result_text(r))}</li>" for r in results)
        out.append(f"<h3>Results</h3><ul>{rows}</ul>")
    return "".join(out)


def _result_text(result: dict[str, Any]) -> str:
    """One OB 3.0 Result in words: what was measured and the value or level reached."""
    what = result.get("resultDescription") or result.get("name") or "Result"
    value = result.get("value") or result.get("achievedLevel") or result.get("status") or ""
    return f"{what}: {value}" if value else str(what)


def _share(page: AwardPage) -> str:
    downloads = "".join(
        f'<a class="btn alt" href="{esc(url)}" download>{esc(label)}</a>'
        for label, url in page.downloads
    )
    # a fixed mask: any mask is a valid code, and searching all eight costs 4x the time
    qr = segno.make(page.url, error="m", micro=False, mask=4)
    qr = qr.svg_inline(scale=4, title="QR code of this page")
    return (
        "<h2>Share and verify</h2>"
        f'<p><a class="btn" href="{esc(linkedin_url(page))}">Add to LinkedIn profile</a></p>'
        f"<p>{downloads}</p>"
        '<p class="meta">Add the JSON-LD credential to a wallet (for instance the Learner '
        "Credential Wallet), or have it checked by any Open Badges 3.0 verifier.</p>"
        f'<div aria-label="QR code of this page">{qr}</div>'
    )
