"""The frame every sandbox page shares: the top bar, the style sheet, labels, avatars, dates,
and the headers that keep the pages script-free.

Every text on these pages comes from API callers (learners write titles, descriptions and
comments; a program writes label names), so every text goes through `escape`, the pages hold no
script, and a strict Content-Security-Policy (no script source at all; only the page's own
style block, pinned by its hash) stands behind the escaping.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date, datetime
from html import escape

from accred_ops.sandbox.model import Label, User
from accred_ops.sandbox.views import _text_color as text_color
from accred_ops.sandbox.world import World

_HEX = re.compile(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}")
AVATAR_COLORS = ("#6b4fbb", "#1f75cb", "#108548", "#c17d10", "#dd2b0e", "#0b5e3c", "#9e5cf2")

STYLE = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#fbfafd;color:#28272d}
a{color:#1f75cb;text-decoration:none}a:hover{text-decoration:underline}
.top{background:#2b2a4a;color:#fff;padding:.55rem 1.25rem;display:flex;gap:1rem;align-items:center}
.top b{font-size:1rem}.top a{color:#fff}.top .ro{margin-left:auto;opacity:.75;font-size:.8rem}
.crumbs{padding:.6rem 1.25rem;color:#737278;font-size:.85rem;border-bottom:1px solid #ececef;background:#fff}
.crumbs a{color:#535158}
main{padding:1rem 1.25rem}
h1{font-size:1.5rem;margin:.2rem 0 .5rem}h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
.muted{color:#737278;font-size:.85rem}
.lbl{display:inline-flex;border-radius:1rem;font-size:.75rem;line-height:1.15rem;margin:0 .2rem .25rem 0;
 border:2px solid transparent;overflow:hidden;white-space:nowrap;vertical-align:middle}
.lbl span{padding:0 .45rem}.lbl.scoped .v{background:#fff;color:#28272d}
.board{display:flex;gap:.6rem;align-items:flex-start;overflow-x:auto;padding-bottom:.5rem}
.list{flex:1 1 0;min-width:14.5rem;background:#f0f0f2;border-radius:.5rem;padding:.5rem}
.list header{display:flex;align-items:center;gap:.4rem;margin:.1rem .1rem .55rem;font-weight:600}
.count{margin-left:auto;color:#737278;font-weight:400;font-size:.85rem}
.card{background:#fff;border:1px solid #dcdcde;border-radius:.375rem;padding:.55rem .6rem;margin-bottom:.5rem;
 box-shadow:0 1px 2px rgba(5,5,6,.05)}
.card .title{display:block;color:#28272d;font-weight:500;margin-bottom:.3rem}
.meta{display:flex;gap:.7rem;align-items:center;color:#737278;font-size:.8rem;margin-top:.15rem}
.meta .who{margin-left:auto}.late{color:#dd2b0e}
.av{display:inline-flex;align-items:center;justify-content:center;width:1.5rem;height:1.5rem;border-radius:50%;
 color:#fff;font-size:.7rem;font-weight:600;margin-left:-.3rem;border:2px solid #fff}
.state{display:inline-block;border-radius:1rem;padding:.1rem .6rem;font-size:.8rem;color:#fff;margin-right:.4rem}
.state.opened{background:#108548}.state.closed{background:#1f75cb}
.page{display:flex;gap:1.5rem;align-items:flex-start}.content{flex:1;min-width:0;max-width:60rem}
aside{width:18rem;flex:none;border-left:1px solid #ececef;padding-left:1rem;font-size:.85rem}
aside h3{font-size:.8rem;color:#535158;margin:.9rem 0 .25rem}
.md{background:#fff;border:1px solid #ececef;border-radius:.375rem;padding:.3rem 1rem;overflow-wrap:anywhere}
.md table{border-collapse:collapse}.md td,.md th{border:1px solid #dcdcde;padding:.25rem .5rem}
.md ul.contains-task-list{list-style:none;padding-left:1rem}.md code{background:#f0f0f2;padding:0 .2rem}
.note{display:flex;gap:.6rem;margin:.7rem 0}.note .md{flex:1}
.note header{font-size:.85rem;margin:.4rem 0 .1rem}
.sys{color:#737278;font-size:.85rem;margin:.35rem 0 .35rem 2.1rem}.sys p{display:inline;margin:0}
.children{list-style:none;padding:0;margin:0;background:#fff;border:1px solid #ececef;border-radius:.375rem}
.children li{display:flex;gap:.6rem;align-items:center;padding:.45rem .7rem;border-bottom:1px solid #ececef}
.children li .meta{margin:0 0 0 auto}
progress{width:12rem;height:.7rem;vertical-align:middle;accent-color:#108548}
.ic{width:.9rem;height:.9rem;fill:currentColor;vertical-align:-2px;margin-right:.2rem}
table.epics{border-collapse:collapse;background:#fff;width:100%;max-width:70rem}
table.epics td,table.epics th{border-bottom:1px solid #ececef;padding:.4rem .6rem;text-align:left}
""".replace("\n", "")


# GitLab-like icons, inline (no image request): a calendar and a ticked box
_ICONS = {
    "calendar": "M4 1h1v2h6V1h1v2h2v11H2V3h2zM3 6v7h10V6z",
    "checklist": "M2 2h12v12H2zm1 1v10h10V3zm1.8 5.2.7-.7 1.7 1.7 3.6-3.6.7.7-4.3 4.3z",
}


def icon(name: str) -> str:
    return (
        '<svg class="ic" viewBox="0 0 16 16" aria-hidden="true">'
        f'<path fill-rule="evenodd" d="{_ICONS[name]}"/></svg>'
    )


def label_css(world: World) -> str:
    """One class per label: its colour, the text colour GitLab picks, a scoped label's border."""
    rules = []
    for lb in world.state.labels.values():
        color = lb.color if _HEX.fullmatch(lb.color) else "#dcdcde"
        rules.append(
            f".lb-{lb.id}{{background:{color};border-color:{color};color:{text_color(color)}}}"
        )
    rules += [f".av-{i}{{background:{c}}}" for i, c in enumerate(AVATAR_COLORS)]
    return "".join(rules)


def label(lb: Label) -> str:
    """GitLab's pill; a scoped label (`key::value`) in two tones: the key on the label's
    colour, the value on white inside the colour's border."""
    key, sep, value = lb.name.rpartition("::")
    title = f' title="{escape(lb.description)}"' if lb.description else ""
    if sep and key:
        return (
            f'<span class="lbl scoped lb-{lb.id}"{title}><span>{escape(key)}</span>'
            f'<span class="v">{escape(value)}</span></span>'
        )
    return f'<span class="lbl lb-{lb.id}"{title}><span>{escape(lb.name)}</span></span>'


def labels(world: World, ids: list[int], skip: frozenset[int] = frozenset()) -> str:
    found = [world.state.labels[i] for i in ids if i in world.state.labels and i not in skip]
    return "".join(label(lb) for lb in sorted(found, key=lambda lb: lb.name))


def avatar(user: User) -> str:
    initial = escape((user.name or user.username)[:1].upper())
    who = escape(f"{user.name} (@{user.username})")
    return f'<span class="av av-{user.id % len(AVATAR_COLORS)}" title="{who}">{initial}</span>'


def user_name(world: World, uid: int | None) -> str:
    user = world.state.users.get(uid or -1)
    return f"<b>{escape(user.name)}</b> @{escape(user.username)}" if user else "someone"


def day(value: str | date | datetime | None) -> str:
    if value is None:
        return ""
    moment = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{moment:%b} {moment.day}, {moment.year}"


def page(world: World, title: str, crumbs: list[tuple[str, str]], body: str) -> tuple[str, dict]:
    """The whole document and its headers; `crumbs` are (text, href or "")."""
    style = STYLE + label_css(world)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    trail = " / ".join(
        f'<a href="{escape(h)}">{escape(t)}</a>' if h else escape(t) for t, h in crumbs
    )
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · GitLab sandbox</title>"
        f"<style>{style}</style></head><body>"
        '<nav class="top"><b><a href="/">GitLab sandbox</a></b>'
        '<span class="ro">read-only view: refresh to see changes</span></nav>'
        f'<div class="crumbs">{trail}</div><main>{body}</main></body></html>'
    )
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Security-Policy": (
            f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    return html, headers
