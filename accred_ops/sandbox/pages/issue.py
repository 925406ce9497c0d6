"""An issue's (or merge request's) page at its GitLab path, `/<project>/-/issues/N`.

The title and state, the description as Markdown, then the activity: comments (each with its
`note_<id>` anchor, which the links accred-ops writes point at) and system notes; beside it the
assignees, epic, labels, due date, weight, checklist count and linked issues. Internal notes
and confidential issues stay hidden, as from an anonymous visitor.
"""

from __future__ import annotations

from html import escape

from accred_ops.sandbox import markdown
from accred_ops.sandbox.model import Issuable, Issue, MergeRequest
from accred_ops.sandbox.pages import layout, md
from accred_ops.sandbox.pages.board import meta
from accred_ops.sandbox.pages.links import epic_url, issue_url, refs
from accred_ops.sandbox.world import World


def state_badge(item: Issuable) -> str:
    word = "Open" if item.state == "opened" else "Closed"
    return f'<span class="state {escape(item.state)}">{word}</span>'


def activity(world: World, item: Issuable, resolve: md.Refs) -> str:
    """Comments as cards, system notes as lines, oldest first."""
    out = []
    for note in item.notes:
        if note.internal:
            continue
        author = world.state.users.get(note.author_id)
        if note.system:
            name = f"@{escape(author.username)}" if author else "someone"
            out.append(
                f'<div class="sys" id="note_{note.id}">{name} {md.render(note.body, resolve)}</div>'
            )
            continue
        face = layout.avatar(author) if author else ""
        out.append(
            f'<div class="note" id="note_{note.id}">{face}<div class="md">'
            f"<header>{layout.user_name(world, note.author_id)} · "
            f'<span class="muted">{layout.day(note.created_at)}</span></header>'
            f"{md.render(note.body, resolve)}</div></div>"
        )
    return "<h2>Activity</h2>" + ("".join(out) or '<p class="muted">No activity yet.</p>')


def _sidebar(world: World, issue: Issue) -> str:
    users = [world.state.users[u] for u in issue.assignee_ids if u in world.state.users]
    who = "<br>".join(f"{layout.avatar(u)} {escape(u.name)} @{escape(u.username)}" for u in users)
    epic = world.state.epics.get(issue.epic_id or -1)
    count, done = markdown.completion(issue.description)
    parts = [
        ("Assignees", who or "None"),
        ("Epic", f'<a href="{epic_url(world, epic)}">{escape(epic.title)}</a>' if epic else "None"),
        ("Labels", layout.labels(world, issue.label_ids) or "None"),
        ("Due date", layout.day(issue.due_date) or "None"),
    ]
    if issue.weight is not None:
        parts.append(("Weight", str(issue.weight)))
    if count:
        parts.append(("Checklist", f"{done} of {count} checklist items completed"))
    linked = _linked(world, issue)
    if linked:
        parts.append(("Linked items", linked))
    if isinstance(issue, MergeRequest):
        parts.append(("Branches", f"{escape(issue.source_branch)} → {escape(issue.target_branch)}"))
    return "<aside>" + "".join(f"<h3>{k}</h3><div>{v}</div>" for k, v in parts) + "</aside>"


def _linked(world: World, issue: Issue) -> str:
    rows = []
    for link in world.state.links.values():
        if issue.id not in (link.source_id, link.target_id):
            continue
        other = world.state.issues.get(
            link.target_id if link.source_id == issue.id else link.source_id
        )
        if other is not None and not other.confidential:
            rows.append(
                f'<div>{state_badge(other)}<a href="{issue_url(world, other)}">'
                f"{escape(other.title)}</a>{meta(world, other)}</div>"
            )
    return "".join(rows)


def render(world: World, issue: Issue) -> tuple[str, dict]:
    project = world.state.projects[issue.project_id]
    found = refs(world, project, world.group_of(project))
    kind = "Merge request" if isinstance(issue, MergeRequest) else "Issue"
    author = layout.user_name(world, issue.author_id)
    body = (
        f'<div class="page"><div class="content"><h1>{escape(issue.title)}</h1>'
        f"<p>{state_badge(issue)}{kind} created {layout.day(issue.created_at)} by {author}</p>"
        f'<div class="md">{md.render(issue.description, found) or "<p class=muted>No description.</p>"}</div>'
        f"{activity(world, issue, found)}</div>{_sidebar(world, issue)}</div>"
    )
    crumbs = [("Board", "/"), (project.path, ""), (f"{kind}s", ""), (f"#{issue.iid}", "")]
    return layout.page(world, f"{issue.title} (#{issue.iid})", crumbs, body)
