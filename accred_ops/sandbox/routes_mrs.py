"""Merge requests: only their comments (for `accred-ops mr-note`), as GitLab serves them.

A merge request is made by `Sandbox.add_merge_request`, not through the API: accred-ops never
opens one, it only comments on the one a pipeline runs for.
"""

from __future__ import annotations

from accred_ops.sandbox import routes_issues
from accred_ops.sandbox import views_issues as views
from accred_ops.sandbox.context import Ctx, Reply
from accred_ops.sandbox.model import MergeRequest
from accred_ops.sandbox.world import not_found


def _merge_request(ctx: Ctx, ref: str, iid: str, *, write: bool = False) -> MergeRequest:
    project = ctx.project(ref)
    if write:
        ctx.require("note", project)
    for mr in ctx.world.state.merge_requests.values():
        if mr.project_id == project.id and mr.iid == int(iid):
            return mr
    raise not_found("Merge Request")


def get_merge_request(ctx: Ctx, ref: str, iid: str) -> Reply:
    return 200, views.merge_request(ctx.world, _merge_request(ctx, ref, iid))


def list_mr_notes(ctx: Ctx, ref: str, iid: str) -> Reply:
    return routes_issues.list_notes(ctx, _merge_request(ctx, ref, iid))


def create_mr_note(ctx: Ctx, ref: str, iid: str) -> Reply:
    return routes_issues.create_note(ctx, _merge_request(ctx, ref, iid, write=True))


def edit_mr_note(ctx: Ctx, ref: str, iid: str, note_id: str) -> Reply:
    return routes_issues.edit_note(ctx, _merge_request(ctx, ref, iid, write=True), note_id)


ROUTES = [
    ("GET", "/projects/:id/merge_requests/:n", get_merge_request),
    ("GET", "/projects/:id/merge_requests/:n/notes", list_mr_notes),
    ("POST", "/projects/:id/merge_requests/:n/notes", create_mr_note),
    ("PUT", "/projects/:id/merge_requests/:n/notes/:n", edit_mr_note),
]
