"""The address of an award's page, for the award comments `sync` writes.

A page's address is a keyed hash of the award id (award_page.token), keyed by a secret derived
from the badge signing key, so `sync` can name it only where it has the key
(ACCRED_BADGE_KEY) and knows where the export is served (`badges.pages_url` in accred.yml).
Without either, award comments simply carry no link.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from accred_ops.badges import award_page, layout
from accred_ops.core.model import Workspace

PageLink = Callable[[str, str, str, str], str]  # learner, program, path, course ("" = path)


def page_linker(ws: Workspace) -> PageLink | None:
    """A function giving an award's page URL, or None when pages are not configured."""
    key = os.environ.get("ACCRED_BADGE_KEY", "").strip()
    base = ws.config.badges_url
    if not key or not base:
        return None
    from accred_ops.badges.signing import Signer

    urls = layout.Urls.of(base)
    secret = Signer(key, urls(layout.KEYS)).derive("award-page")

    def link(learner: str, program: str, path: str, course: str) -> str:
        award = layout.award_uuid_of((learner.lower(), program, path, course))
        return urls(award_page.page_address(award_page.token(award, secret)))

    return link


def attach(texts: Any, ws: Workspace) -> None:
    """Give the award comments their page links (render.Texts: `award_link`, `course_paths`)."""
    texts.award_link = page_linker(ws)
    texts.course_paths = course_paths(ws)


def course_paths(ws: Workspace) -> dict[str, tuple[str, str]]:
    """course id -> (program id, path id), for courses in exactly one path."""
    seen: dict[str, list[tuple[str, str]]] = {}
    for program in ws.programs.values():
        for path in program.paths:
            for course in path.courses:
                seen.setdefault(course.id, []).append((program.id, path.id))
    return {course: places[0] for course, places in seen.items() if len(places) == 1}
