"""`index.html`: the published badges and who holds them, readable by a person.

One self-contained page (inline CSS, images by relative link inside the tree, no script and
nothing fetched from elsewhere), so it works on GitLab Pages and from a downloaded artifact.
Recipients appear by GitLab username, which is how the program knows them.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass

from accred_ops.badges import layout
from accred_ops.badges.curriculum import Badge
from accred_ops.badges.model import Award, Issuer

CSS = """
body{margin:0;background:#f7f6fa;color:#1f1e24;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:32px 20px 48px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 4px}
h3{font-size:15px;color:#626168;margin:18px 0 8px}
.meta{color:#626168;font-size:14px}a{color:#5a3fa8}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px}
.card{background:#fff;border:1px solid #e4e4e7;border-radius:10px;padding:14px;display:flex;gap:12px}
.card img{width:72px;height:84px;flex:none}.card h4{margin:0 0 4px;font-size:15px}
ul{margin:6px 0 0;padding-left:18px}li{font-size:14px}
.revoked{color:#a4262c}.revoked s{color:#626168}
table{border-collapse:collapse;background:#fff;width:100%;font-size:14px}
td,th{border:1px solid #e4e4e7;padding:6px 10px;text-align:left;vertical-align:top}
"""


@dataclass(frozen=True)
class Entry:
    """One published award: its badge, the award, and its stable id."""

    badge: Badge
    award: Award
    award_id: str


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def render(
    issuer: Issuer,
    badges: Sequence[Badge],
    entries: Sequence[Entry],
    formats: Sequence[str],
    public_holders: bool = False,
) -> str:
    """The index. Holders are named only with `public_holders` (badges.public_holders);
    by default each badge shows how many hold it, and each holder shares their own page."""
    by_badge: dict[tuple[str, str, str], list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: (e.award.learner.lower(), e.award_id)):
        by_badge.setdefault(entry.badge.key, []).append(entry)
    revoked = sum(1 for e in entries if e.award.revoked)
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>Badges issued by {esc(issuer.name)}</title><style>{CSS}</style></head>",
        "<body><main>",
        f"<h1>Badges issued by {esc(issuer.name)}</h1>",
        f'<p class="meta"><a href="{esc(issuer.url)}">{esc(issuer.url)}</a> · '
        f"{len(entries)} awards to {len({e.award.learner.lower() for e in entries})} people"
        f"{f', {revoked} revoked' if revoked else ''}.</p>",
        _verify(formats),
    ]
    program = path = None
    for badge in badges:
        if badge.program.id != program:
            program, path = badge.program.id, None
            out.append(f"<h2>{esc(badge.program.title)}</h2>")
        if badge.path.id != path:
            if path is not None:
                out.append("</div>")
            path = badge.path.id
            out.append(f'<h3>{esc(badge.path.title)}</h3><div class="grid">')
        out.append(_card(badge, by_badge.get(badge.key, []), formats, public_holders))
    if path is not None:
        out.append("</div>")
    out += [_recipients(entries) if public_holders else "", "</main></body></html>"]
    return "\n".join(out) + "\n"


def _verify(formats: Sequence[str]) -> str:
    links = [f'<a href="{layout.ISSUER}">issuer profile</a>']
    if "ob2" in formats:
        links.append(f'<a href="{layout.REVOCATIONS}">revocation list</a>')
    if "ob3" in formats:
        links.append(f'<a href="{layout.JWKS}">public keys (JWKS)</a>')
        links.append(f'<a href="{layout.STATUS_LIST}">status list</a>')
    kinds = []
    if "ob2" in formats:
        kinds.append("Open Badges 2.0 hosted assertions (<code>.json</code>)")
    if "ob3" in formats:
        kinds.append("Open Badges 3.0 signed credentials (<code>.jwt</code>)")
    return (
        f'<p class="meta">Every award is published as {" and ".join(kinds) or "a record"}, '
        f"verifiable against the {', '.join(links)}. A revoked badge stays published, marked "
        "revoked, with its reason.</p>"
    )


def _card(
    badge: Badge, entries: Sequence[Entry], formats: Sequence[str], public_holders: bool
) -> str:
    if public_holders:
        items = [_holder(entry, formats) for entry in entries]
        holders = f"<ul>{''.join(items)}</ul>" if items else '<p class="meta">No holder yet.</p>'
    else:
        holders = f'<p class="meta">{_count(entries)}</p>'
    return (
        f'<div class="card" id="{esc(badge.stem)}"><img src="{esc(badge.stem)}.svg" alt=""><div>'
        f'<h4><a href="{esc(badge.stem)}.json">{esc(badge.name)}</a></h4>'
        f'<p class="meta">{esc(badge.description)}</p>{holders}</div></div>'
    )


def _count(entries: Sequence[Entry]) -> str:
    revoked = sum(1 for e in entries if e.award.revoked)
    held = len(entries) - revoked
    text = f"Held by {held} {'person' if held == 1 else 'people'}" if held else "No holder yet"
    return text + (f"; {revoked} revoked." if revoked else ".")


def _holder(entry: Entry, formats: Sequence[str]) -> str:
    award = entry.award
    links = []
    if "ob2" in formats:
        links.append(f'<a href="{layout.assertion_file(entry.award_id)}">assertion</a>')
    if "ob3" in formats:
        links.append(f'<a href="{layout.credential_file(entry.award_id)}">credential</a>')
    who = f'<a href="{esc(award.profile_url)}">@{esc(award.learner)}</a>'
    when = layout.iso(award.issued_on)[:10] + _validity(award)
    if award.revoked:
        reason = f": {esc(award.revocation_reason)}" if award.revocation_reason else ""
        return (
            f'<li class="revoked"><s>{who}, {when}</s> revoked{reason} · {" · ".join(links)}</li>'
        )
    return f"<li>{who}, {when} · {' · '.join(links)}</li>"


def _validity(award: Award) -> str:
    """A badge that expires: its renewal number and its last valid day (a fact of the
    credential, so the page stays a pure function of the export's inputs)."""
    if award.valid_until is None:
        return ""
    last = (layout.utc(award.valid_until) - dt.timedelta(days=1)).date().isoformat()
    return (f" (renewal {award.cycle})" if award.cycle else "") + f", valid until {last}"


def _recipients(entries: Sequence[Entry]) -> str:
    people: dict[str, list[Entry]] = {}
    for entry in entries:
        people.setdefault(entry.award.learner.lower(), []).append(entry)
    if not people:
        return ""
    rows = []
    for key in sorted(people):
        mine = sorted(people[key], key=lambda e: (layout.iso(e.award.issued_on), e.award_id))
        badges = ", ".join(
            f'<a href="#{esc(e.badge.stem)}">'
            + (f"<s>{esc(e.badge.name)}</s> (revoked)" if e.award.revoked else esc(e.badge.name))
            + "</a>"
            for e in mine
        )
        rows.append(f"<tr><td>@{esc(mine[0].award.learner)}</td><td>{badges}</td></tr>")
    return (
        "<h2>Recipients</h2><table><thead><tr><th>GitLab user</th><th>Badges</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
