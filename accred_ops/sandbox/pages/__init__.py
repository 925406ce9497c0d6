"""The sandbox's read-only web pages, at GitLab's own paths, so every link accred-ops writes
(issues, epics, the dashboard issue, a comment's `#note_<id>`, the course-feedback link) opens
something in the sandbox as it would on GitLab.

    /                                          the boards, then the epics (`board`)
    /<project>/-/issues/N, …/-/work_items/N    an issue (`issue`)
    /<project>/-/merge_requests/N              a merge request (`issue`)
    /<project>/-/issues/new?…                  the new-issue link (read-only: says what it holds)
    /groups/<group>/-/epics/N, …/work_items/N  an epic (`epic`)

`serve` answers (status, html, headers); anything else is a 404 page. No page needs a token:
like an anonymous visitor, they never show a confidential issue or epic or an internal note.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import unquote

from accred_ops.sandbox.pages import board, epic, issue, layout
from accred_ops.sandbox.pages.links import group_epic, visible_issue
from accred_ops.sandbox.params import Params
from accred_ops.sandbox.world import World

_EPIC = re.compile(r"/groups/(?P<path>.+?)/-/(?:epics|work_items)/(?P<n>\d+)/?")
_ISSUE = re.compile(r"/(?P<path>.+?)/-/(?P<kind>issues|work_items|merge_requests)/(?P<n>\d+)/?")
_NEW = re.compile(r"/(?P<path>.+?)/-/issues/new/?")

Answer = tuple[int, str, dict]


def serve(world: World, raw_path: str, query: Params) -> Answer:
    path = unquote(raw_path) or "/"
    if path == "/":
        return (200, *board.render(world))
    found = _EPIC.fullmatch(path)
    if found:
        group = world.group_by_path(found["path"])
        item = group_epic(world, group, int(found["n"])) if group else None
        return (200, *epic.render(world, item)) if item else _missing(world, path)
    found = _ISSUE.fullmatch(path)
    if found:
        return _issue(world, path, found)
    found = _NEW.fullmatch(path)
    if found and world.project_by_path(found["path"]):
        return (200, *_new_issue(world, found["path"], query))
    return _missing(world, path)


def _issue(world: World, path: str, found: re.Match[str]) -> Answer:
    project = world.project_by_path(found["path"])
    if project is None:
        return _missing(world, path)
    iid = int(found["n"])
    if found["kind"] == "merge_requests":
        pool = world.state.merge_requests.values()
        item = next((m for m in pool if m.project_id == project.id and m.iid == iid), None)
    else:
        item = visible_issue(world, project, iid)
    return (200, *issue.render(world, item)) if item else _missing(world, path)


def _new_issue(world: World, project: str, query: Params) -> tuple[str, dict]:
    """GitLab's new-issue form, prefilled by the link; the sandbox only says what it holds."""
    template = str(query.get("issuable_template") or "")
    title = str(query.get("issue[title]") or "")
    body = (
        "<h1>New issue</h1><p>On GitLab this link opens the new-issue form of "
        f"<b>{escape(project)}</b>"
        + (f" with the <b>{escape(template)}</b> template" if template else "")
        + (f", titled <b>{escape(title)}</b>" if title else "")
        + '.</p><p class="muted">The sandbox is read-only here: create issues through its API '
        "(as the demo's learners do).</p>"
    )
    return layout.page(world, "New issue", [("Board", "/"), (project, ""), ("New issue", "")], body)


def _missing(world: World, path: str) -> Answer:
    body = f'<h1>Page not found</h1><p class="muted">Nothing at {escape(path)} in this sandbox.</p>'
    return (404, *layout.page(world, "Not found", [("Board", "/")], body))
