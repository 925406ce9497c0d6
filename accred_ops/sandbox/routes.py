"""The route table: `/api/v4` path templates → handlers, and which rate limit each write hits.

Templates use `:id` for a group/project reference (a numeric id or a URL-encoded full path,
e.g. `field-enablement%2Faccreditation`) and `:n` for a number. Paths are split on `/` before
percent-decoding, so an encoded full path stays one segment, exactly as GitLab routes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from accred_ops.sandbox import graphql, hooks, routes_groups, routes_issues, routes_mrs

Handler = Callable[..., Any]

ROUTES: list[tuple[str, str, Handler]] = [
    *routes_groups.ROUTES,
    *routes_issues.ROUTES,
    *routes_mrs.ROUTES,
    *hooks.ROUTES,
]
_TABLE = [(method, template.strip("/").split("/"), handler) for method, template, handler in ROUTES]

# Endpoint rate limits GitLab applies on top of the general API limit (facts §3); epic creation
# shares the issue-creation limit.
LIMITS: dict[Handler, str] = {
    routes_issues.create_issue: "issues_create",
    routes_issues.create_epic: "issues_create",
    routes_issues.create_issue_note: "notes_create",
    routes_issues.create_epic_note: "notes_create",
    routes_mrs.create_mr_note: "notes_create",
}


class NoRoute(Exception):
    """No template matches (404), or one matches with another method (405)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _match(template: list[str], segments: list[str]) -> list[str] | None:
    if len(template) != len(segments):
        return None
    args = []
    for part, seg in zip(template, segments, strict=True):
        if part == ":id" and seg:
            args.append(unquote(seg))
        elif part == ":n" and seg.isdigit():
            args.append(seg)
        elif part != seg:
            return None
    return args


def resolve(method: str, raw_path: str) -> tuple[Handler, list[str]]:
    """The handler and its path arguments for a raw (still percent-encoded) request path."""
    if raw_path.rstrip("/") == "/api/graphql":
        if method != "POST":
            raise NoRoute(405)
        return graphql.execute, []
    if not raw_path.startswith("/api/v4/"):
        raise NoRoute(404)
    segments = raw_path[len("/api/v4/") :].rstrip("/").split("/")
    other_method = False
    for route_method, template, handler in _TABLE:
        args = _match(template, segments)
        if args is None:
            continue
        if route_method == method:
            return handler, args
        other_method = True
    raise NoRoute(405 if other_method else 404)
