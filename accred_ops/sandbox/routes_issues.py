"""Handlers for issues, issue links, notes, label events, epics and epic issues."""

from __future__ import annotations

from typing import Any

from accred_ops.sandbox import changes, filters, issuables
from accred_ops.sandbox import views_issues as views
from accred_ops.sandbox.context import Ctx, Listing, Reply, error
from accred_ops.sandbox.model import Epic, Issuable, Issue, IssueLink
from accred_ops.sandbox.params import as_int, required
from accred_ops.sandbox.world import ApiError, not_found

# --- issues ------------------------------------------------------------------------------------


def _issue_view(ctx: Ctx, *, relative_full: bool = False) -> Any:
    details = ctx.flag("with_labels_details")
    return lambda i: views.issue(ctx.world, i, details=details, relative_full=relative_full)


def list_project_issues(ctx: Ctx, ref: str) -> Reply:
    project = ctx.project(ref)
    issues = [i for i in ctx.world.state.issues.values() if i.project_id == project.id]
    issues = filters.in_scope(ctx.user, issues, ctx.params)
    return Listing(filters.select(ctx.world, issues, ctx.params), _issue_view(ctx))


def list_group_issues(ctx: Ctx, ref: str) -> Reply:
    """Issues of every project in the group and its subgroups."""
    groups = {g.id for g in ctx.world.descendants(ctx.group(ref))}
    projects = {p.id for p in ctx.world.state.projects.values() if p.group_id in groups}
    issues = [i for i in ctx.world.state.issues.values() if i.project_id in projects]
    issues = filters.in_scope(ctx.user, issues, ctx.params)
    found = filters.select(ctx.world, issues, ctx.params)
    return Listing(found, _issue_view(ctx, relative_full=True))


def create_issue(ctx: Ctx, ref: str) -> Reply:
    project = ctx.project(ref)
    ctx.require("create_issue", project)
    issue = issuables.create_issue(ctx.world, ctx.user, project, ctx.params)
    return 201, _issue_view(ctx)(issue)


def get_issue(ctx: Ctx, ref: str, iid: str) -> Reply:
    return 200, _issue_view(ctx)(ctx.issue(ctx.project(ref), iid))


# What `set_issue_metadata` guards: GitLab drops these from an update by someone without it
# (IssuableBaseService#filter_params), answering 200 with the issue unchanged in them.
METADATA = ("labels", "add_labels", "remove_labels", "assignee_id", "assignee_ids", "epic_id")
METADATA += ("due_date", "confidential", "discussion_locked", "weight")


def update_issue(ctx: Ctx, ref: str, iid: str) -> Reply:
    project = ctx.project(ref)
    issue = ctx.issue(project, iid)
    if not ctx.world.may_update_issue(ctx.user, issue):
        raise error(403, "403 Forbidden")
    params = ctx.params
    if not ctx.world.may_set_metadata(ctx.user, project) and any(k in params for k in METADATA):
        params = {k: v for k, v in params.items() if k not in METADATA}
        if not any(name in params for name in issuables.EDITABLE):
            return 200, _issue_view(ctx)(issue)
    issue = issuables.update_issue(ctx.world, ctx.user, issue, params)
    return 200, _issue_view(ctx)(issue)


# --- issue links (Free) ------------------------------------------------------------------------


def list_links(ctx: Ctx, ref: str, iid: str) -> Reply:
    issue = ctx.issue(ctx.project(ref), iid)
    rows = []
    for link in ctx.world.state.links.values():
        if issue.id in (link.source_id, link.target_id):
            other = link.target_id if link.source_id == issue.id else link.source_id
            rows.append((link, ctx.world.state.issues[other]))

    def render(row: tuple[IssueLink, Issue]) -> dict[str, Any]:
        link, other = row
        # Read from the other side, a `blocks` link is `is_blocked_by` (and back): GitLab
        # API linked_issues.md lists each link from the issue asked about.
        kind = link.link_type
        if link.target_id == issue.id:
            kind = {"blocks": "is_blocked_by", "is_blocked_by": "blocks"}.get(kind, kind)
        extra = {"issue_link_id": link.id, "link_type": kind}
        extra |= {"link_created_at": views.ts(link.created_at)}
        extra |= {"link_updated_at": views.ts(link.created_at)}
        return views.issue(ctx.world, other, relative_full=True) | extra

    return Listing(rows, render)


def create_link(ctx: Ctx, ref: str, iid: str) -> Reply:
    project = ctx.project(ref)
    ctx.require("link_issues", project)
    source = ctx.issue(project, iid)
    target_project = ctx.project(str(required(ctx.params, "target_project_id")))
    target = ctx.issue(target_project, str(required(ctx.params, "target_issue_iid")))
    link_type = str(ctx.params.get("link_type") or "relates_to")
    if link_type not in ("relates_to", "blocks", "is_blocked_by"):
        raise error(400, "link_type does not have a valid value", key="error")
    if link_type != "relates_to" and ctx.world.tier_of(project) != "premium":
        raise error(403, "403 Forbidden")
    pair = {source.id, target.id}
    if source.id == target.id or any(
        {lk.source_id, lk.target_id} == pair for lk in ctx.world.state.links.values()
    ):
        raise error(409, "Issue(s) already assigned")
    link = IssueLink(ctx.world.state.new_id(), source.id, target.id, link_type, ctx.world.now())
    ctx.world.state.links[link.id] = link
    # SystemNoteService.relate_issue on both sides (wording approximate)
    said = {"relates_to": ("related to", "related to"), "blocks": ("blocking", "blocked by")}
    said["is_blocked_by"] = ("blocked by", "blocking")
    mine, theirs = said[link_type]
    changes.system_note(ctx.world, ctx.user, source, f"marked this issue as {mine} #{target.iid}")
    changes.system_note(ctx.world, ctx.user, target, f"marked this issue as {theirs} #{source.iid}")
    body = {"source_issue": views.issue(ctx.world, source), "link_type": link_type}
    return 201, body | {"target_issue": views.issue(ctx.world, target)}


# --- notes and label events (issues and epics alike) -------------------------------------------


def list_notes(ctx: Ctx, item: Issuable) -> Reply:
    order = ctx.params.get("order_by") or "created_at"
    notes = list(item.notes)
    activity = ctx.params.get("activity_filter") or "all_notes"
    if activity == "only_comments":
        notes = [n for n in notes if not n.system]
    elif activity == "only_activity":
        notes = [n for n in notes if n.system]
    notes.sort(key=lambda n: (getattr(n, order, n.created_at), n.id))
    if (ctx.params.get("sort") or "desc") == "desc":
        notes.reverse()
    return Listing(notes, lambda n: views.note(ctx.world, n, item))


def create_note(ctx: Ctx, item: Issuable) -> Reply:
    note, done = issuables.add_note(ctx.world, ctx.user, item, ctx.params)
    if note is None:  # the note held quick actions only: GitLab stores nothing and answers 202
        kind = "issue" if isinstance(item, Issue) else "epic"
        return 202, {
            "commands_changes": done,
            "summary": changes.summary(ctx.world, done, kind),
        }
    return 201, views.note(ctx.world, note, item) | {"commands_changes": done}


def edit_note(ctx: Ctx, item: Issuable, note_id: str) -> Reply:
    note = issuables.edit_note(ctx.world, ctx.user, item, ctx.note_of(item, note_id), ctx.params)
    return 200, views.note(ctx.world, note, item)


def _delete_note(ctx: Ctx, item: Issuable, note_id: str) -> Reply:
    """Authors delete their own comments (maintainers anyone's); system notes cannot be deleted."""
    note = ctx.note_of(item, note_id)
    if note.system or note.author_id != ctx.user.id:
        raise ApiError(403, {"message": "403 Forbidden"})
    item.notes.remove(note)
    return 204, None


def _events(ctx: Ctx, item: Issuable) -> Reply:
    events = sorted(item.label_events, key=lambda e: e.id)
    return Listing(events, lambda e: views.label_event(ctx.world, e, item))


def _issue_for_notes(ctx: Ctx, ref: str, iid: str, *, write: bool = False) -> Issue:
    project = ctx.project(ref)
    if write:
        ctx.require("note", project)
    return ctx.issue(project, iid)


def list_issue_notes(ctx: Ctx, ref: str, iid: str) -> Reply:
    return list_notes(ctx, _issue_for_notes(ctx, ref, iid))


def create_issue_note(ctx: Ctx, ref: str, iid: str) -> Reply:
    return create_note(ctx, _issue_for_notes(ctx, ref, iid, write=True))


def get_issue_note(ctx: Ctx, ref: str, iid: str, note_id: str) -> Reply:
    issue = _issue_for_notes(ctx, ref, iid)
    return 200, views.note(ctx.world, ctx.note_of(issue, note_id), issue)


def edit_issue_note(ctx: Ctx, ref: str, iid: str, note_id: str) -> Reply:
    return edit_note(ctx, _issue_for_notes(ctx, ref, iid, write=True), note_id)


def delete_issue_note(ctx: Ctx, ref: str, iid: str, note_id: str) -> Reply:
    return _delete_note(ctx, _issue_for_notes(ctx, ref, iid, write=True), note_id)


def issue_label_events(ctx: Ctx, ref: str, iid: str) -> Reply:
    return _events(ctx, _issue_for_notes(ctx, ref, iid))


def _epic_by_id(ctx: Ctx, ref: str, epic_id: str, *, write: bool = False) -> Epic:
    """Epic notes and events take the epic's global id, not its iid (facts §1.4). Anyone who
    can read the epic may comment on it (ee/app/policies/epic_policy.rb: `read_epic &
    ~anonymous` enables `create_note`), a project-only member of a subproject included; a
    note's author alone edits or deletes it (checked where notes change)."""
    del write  # reading the group is all commenting needs
    group = ctx.premium_group(ref)
    return ctx.epic(group, epic_id=epic_id)


def list_epic_notes(ctx: Ctx, ref: str, epic_id: str) -> Reply:
    return list_notes(ctx, _epic_by_id(ctx, ref, epic_id))


def create_epic_note(ctx: Ctx, ref: str, epic_id: str) -> Reply:
    return create_note(ctx, _epic_by_id(ctx, ref, epic_id, write=True))


def edit_epic_note(ctx: Ctx, ref: str, epic_id: str, note_id: str) -> Reply:
    return edit_note(ctx, _epic_by_id(ctx, ref, epic_id, write=True), note_id)


def delete_epic_note(ctx: Ctx, ref: str, epic_id: str, note_id: str) -> Reply:
    return _delete_note(ctx, _epic_by_id(ctx, ref, epic_id, write=True), note_id)


def epic_label_events(ctx: Ctx, ref: str, epic_id: str) -> Reply:
    return _events(ctx, _epic_by_id(ctx, ref, epic_id))


# --- epics (Premium) and epic issues -----------------------------------------------------------


def _epic_view(ctx: Ctx) -> Any:
    details = ctx.flag("with_labels_details")
    return lambda e: views.epic(ctx.world, e, details=details)


def list_epics(ctx: Ctx, ref: str) -> Reply:
    """Epics of the group and its subgroups; `state` defaults to all."""
    groups = {g.id for g in ctx.world.descendants(ctx.premium_group(ref))}
    epics = [e for e in ctx.world.state.epics.values() if e.group_id in groups]
    return Listing(filters.select(ctx.world, epics, ctx.params), _epic_view(ctx))


def create_epic(ctx: Ctx, ref: str) -> Reply:
    group = ctx.premium_group(ref)
    ctx.require("edit_epic", group)
    return 201, _epic_view(ctx)(issuables.create_epic(ctx.world, ctx.user, group, ctx.params))


def get_epic(ctx: Ctx, ref: str, iid: str) -> Reply:
    return 200, _epic_view(ctx)(ctx.epic(ctx.premium_group(ref), iid=iid))


def update_epic(ctx: Ctx, ref: str, iid: str) -> Reply:
    group = ctx.premium_group(ref)
    ctx.require("edit_epic", group)
    epic = ctx.epic(group, iid=iid)
    return 200, _epic_view(ctx)(issuables.update_epic(ctx.world, ctx.user, epic, ctx.params))


def list_epic_issues(ctx: Ctx, ref: str, iid: str) -> Reply:
    epic = ctx.epic(ctx.premium_group(ref), iid=iid)
    found = [i for i in ctx.world.state.issues.values() if i.epic_id == epic.id]
    found.sort(key=lambda i: i.epic_issue_id or 0)

    def render(issue: Issue) -> dict[str, Any]:
        data = views.issue(ctx.world, issue, relative_full=True)
        return data | {"epic_issue_id": issue.epic_issue_id, "relative_position": 0}

    return Listing(found, render)


def _association(ctx: Ctx, epic: Epic, issue: Issue, association_id: int | None) -> dict:
    """GitLab's EpicIssueLink: `{id, epic: {...}, issue: {...}}`."""
    body = {"id": association_id, "relative_position": 0}
    return body | {
        "epic": views.epic_brief(ctx.world, epic),
        "issue": views.issue(ctx.world, issue),
    }


def assign_epic_issue(ctx: Ctx, ref: str, iid: str, issue_id: str) -> Reply:
    """Add an issue (global id) to the epic, moving it from any other epic."""
    group = ctx.premium_group(ref)
    ctx.require("edit_epic", group)
    epic = ctx.epic(group, iid=iid)
    issue = ctx.world.state.issues.get(int(issue_id))
    below = {g.id for g in ctx.world.descendants(ctx.world.state.groups[epic.group_id])}
    project = ctx.world.state.projects[issue.project_id] if issue else None
    if issue is None or project is None or project.group_id not in below:
        raise error(
            404, "No matching issue found. Make sure that you are adding a valid issue URL."
        )
    if not ctx.world.can(ctx.user, "read", project):
        raise error(
            404, "No matching issue found. Make sure that you are adding a valid issue URL."
        )
    if issue.epic_id == epic.id:
        raise error(409, "Issue(s) already assigned")
    issuables.set_epic(ctx.world, issue, epic, ctx.user)
    changes.touch(ctx.world, issue)
    return 201, _association(ctx, epic, issue, issue.epic_issue_id)


def remove_epic_issue(ctx: Ctx, ref: str, iid: str, association_id: str) -> Reply:
    group = ctx.premium_group(ref)
    ctx.require("edit_epic", group)
    epic = ctx.epic(group, iid=iid)
    issue = next(
        (
            i
            for i in ctx.world.state.issues.values()
            if i.epic_id == epic.id and i.epic_issue_id == as_int(association_id, "epic_issue_id")
        ),
        None,
    )
    if issue is None:
        raise not_found("EpicIssue")
    issuables.set_epic(ctx.world, issue, None, ctx.user)
    changes.touch(ctx.world, issue)
    return 200, _association(ctx, epic, issue, int(association_id))


ROUTES = [
    ("GET", "/projects/:id/issues", list_project_issues),
    ("POST", "/projects/:id/issues", create_issue),
    ("GET", "/groups/:id/issues", list_group_issues),
    ("GET", "/projects/:id/issues/:n", get_issue),
    ("PUT", "/projects/:id/issues/:n", update_issue),
    ("GET", "/projects/:id/issues/:n/links", list_links),
    ("POST", "/projects/:id/issues/:n/links", create_link),
    ("GET", "/projects/:id/issues/:n/notes", list_issue_notes),
    ("POST", "/projects/:id/issues/:n/notes", create_issue_note),
    ("GET", "/projects/:id/issues/:n/notes/:n", get_issue_note),
    ("PUT", "/projects/:id/issues/:n/notes/:n", edit_issue_note),
    ("DELETE", "/projects/:id/issues/:n/notes/:n", delete_issue_note),
    ("GET", "/projects/:id/issues/:n/resource_label_events", issue_label_events),
    ("GET", "/groups/:id/epics", list_epics),
    ("POST", "/groups/:id/epics", create_epic),
    ("GET", "/groups/:id/epics/:n", get_epic),
    ("PUT", "/groups/:id/epics/:n", update_epic),
    ("GET", "/groups/:id/epics/:n/issues", list_epic_issues),
    ("POST", "/groups/:id/epics/:n/issues/:n", assign_epic_issue),
    ("DELETE", "/groups/:id/epics/:n/issues/:n", remove_epic_issue),
    ("GET", "/groups/:id/epics/:n/notes", list_epic_notes),
    ("POST", "/groups/:id/epics/:n/notes", create_epic_note),
    ("PUT", "/groups/:id/epics/:n/notes/:n", edit_epic_note),
    ("DELETE", "/groups/:id/epics/:n/notes/:n", delete_epic_note),
    ("GET", "/groups/:id/epics/:n/resource_label_events", epic_label_events),
]
