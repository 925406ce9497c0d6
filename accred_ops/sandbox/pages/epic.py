"""An epic's page at its GitLab path, `/groups/<group>/-/epics/N` (and its work-item path).

The title and state, the description as Markdown (accred-ops' progress table), the child
issues with the epic's progress (closed of all), the activity, and its labels beside.
"""

from __future__ import annotations

from html import escape

from accred_ops.sandbox.model import Epic
from accred_ops.sandbox.pages import layout, md
from accred_ops.sandbox.pages.board import epic_progress, meta, progress
from accred_ops.sandbox.pages.issue import activity, state_badge
from accred_ops.sandbox.pages.links import issue_url, refs
from accred_ops.sandbox.world import World


def _children(world: World, epic: Epic) -> str:
    children = sorted(
        (i for i in world.state.issues.values() if i.epic_id == epic.id and not i.confidential),
        key=lambda i: (i.project_id, i.iid),
    )
    rows = "".join(
        f'<li>{state_badge(i)}<a href="{issue_url(world, i)}">{escape(i.title)}</a>'
        f"{meta(world, i)}</li>"
        for i in children
    )
    head = f"<h2>Child issues</h2><p>{progress(*epic_progress(world, epic))}</p>"
    return head + (f'<ul class="children">{rows}</ul>' if rows else '<p class="muted">None.</p>')


def render(world: World, epic: Epic) -> tuple[str, dict]:
    group = world.state.groups[epic.group_id]
    child = next((i for i in world.state.issues.values() if i.epic_id == epic.id), None)
    found = refs(world, world.state.projects.get(child.project_id) if child else None, group)
    description = md.render(epic.description, found) or '<p class="muted">No description.</p>'
    body = (
        f'<div class="page"><div class="content"><h1>{escape(epic.title)}</h1>'
        f"<p>{state_badge(epic)}Epic created {layout.day(epic.created_at)} by "
        f"{layout.user_name(world, epic.author_id)}</p>"
        f'<div class="md">{description}</div>{_children(world, epic)}'
        f"{activity(world, epic, found)}</div>"
        f"<aside><h3>Labels</h3><div>{layout.labels(world, epic.label_ids) or 'None'}</div>"
        f"<h3>Group</h3><div>{escape(group.path)}</div></aside></div>"
    )
    crumbs = [("Board", "/"), (group.path, ""), ("Epics", ""), (f"&{epic.iid}", "")]
    return layout.page(world, f"{epic.title} (&{epic.iid})", crumbs, body)
