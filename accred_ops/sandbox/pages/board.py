"""The sandbox's home page `/`: each group board as GitLab draws it, then the groups' epics.

A board shows the issues of its group's projects (subgroups included) that carry every label of
its scope (Premium); "Open" holds the open ones in no list, one column per list label follows,
"Closed" ends. Cards are compact, as on GitLab: the title (a link to the issue's page), the
labels, then the reference, due date, checklist count, weight and assignees. A card leaves out
the labels every card of its column carries (the column's label and the board's scope).
"""

from __future__ import annotations

from datetime import date
from html import escape

from accred_ops.sandbox import markdown
from accred_ops.sandbox.model import Board, Epic, Group, Issue
from accred_ops.sandbox.pages import layout
from accred_ops.sandbox.pages.links import epic_url, issue_url
from accred_ops.sandbox.world import World


def render(world: World) -> tuple[str, dict]:
    boards = sorted(world.state.boards.values(), key=lambda b: b.id)
    sections = [_board(world, board) for board in boards]
    if not sections:
        sections = [
            '<p class="muted">No board yet (<code>accred-ops setup</code> creates it): '
            "every issue, open and closed.</p>" + _columns(world, _issues(world, None), [], set())
        ]
    tops = {g.id for g in world.state.groups.values() if g.parent_id is None}
    groups = sorted({b.group_id for b in boards} or tops)
    epics = "".join(_epics(world, world.state.groups[g]) for g in groups)
    return layout.page(world, "Boards", [("Boards", "")], "".join(sections) + epics)


def _issues(world: World, board: Board | None) -> list[Issue]:
    """The issues a board shows: its group's projects', within its scope; never a
    confidential one (the view has no user, like an anonymous visitor)."""
    issues = [i for i in world.state.issues.values() if not i.confidential]
    if board is not None:
        groups = {g.id for g in world.descendants(world.state.groups[board.group_id])}
        projects = {p.id for p in world.state.projects.values() if p.group_id in groups}
        scope = set(board.label_ids)
        issues = [i for i in issues if i.project_id in projects and scope <= set(i.label_ids)]
    return sorted(issues, key=lambda i: (i.project_id, i.iid))


def _board(world: World, board: Board) -> str:
    group = world.state.groups[board.group_id]
    lists = [item.label_id for item in sorted(board.lists, key=lambda item: item.position)]
    scope = layout.labels(world, board.label_ids)
    head = (
        f"<h1>{escape(board.name)}</h1>"
        f'<p class="muted">Group board of {escape(group.path)}'
        + (f" · scope: {scope}" if scope else "")
        + "</p>"
    )
    return head + _columns(world, _issues(world, board), lists, set(board.label_ids))


def _columns(world: World, issues: list[Issue], lists: list[int], scope: set[int]) -> str:
    opened = [i for i in issues if i.state == "opened"]
    columns = [("Open", None, [i for i in opened if not set(i.label_ids) & set(lists)])]
    for label_id in lists:
        columns.append(("", label_id, [i for i in opened if label_id in i.label_ids]))
    columns.append(("Closed", None, [i for i in issues if i.state == "closed"]))
    html = []
    for title, label_id, cards in columns:
        lb = world.state.labels.get(label_id or -1)
        name = layout.label(lb) if lb else escape(title or "?")
        skip = frozenset(scope | ({label_id} if label_id else set()))
        html.append(
            f'<section class="list"><header>{name}<span class="count">{len(cards)}</span>'
            "</header>" + "".join(_card(world, issue, skip) for issue in cards) + "</section>"
        )
    return '<div class="board">' + "".join(html) + "</div>"


def _card(world: World, issue: Issue, skip: frozenset[int]) -> str:
    return (
        f'<article class="card"><a class="title" href="{issue_url(world, issue)}">'
        f"{escape(issue.title)}</a>"
        + layout.labels(world, issue.label_ids, skip)
        + meta(world, issue)
        + "</article>"
    )


def meta(world: World, issue: Issue) -> str:
    """`#4 · due · 3/6 · weight · avatars`, as on a GitLab card."""
    parts = [f'<span class="ref">#{issue.iid}</span>']
    if issue.due_date:
        late = issue.state == "opened" and date.fromisoformat(issue.due_date) < world.now().date()
        css = ' class="late"' if late else ""
        parts.append(
            f'<span{css} title="Due date">{layout.icon("calendar")}{layout.day(issue.due_date)}</span>'
        )
    count, done = markdown.completion(issue.description)
    if count:
        parts.append(
            f'<span title="{done} of {count} checklist items completed">{layout.icon("checklist")}{done}/{count}</span>'
        )
    if issue.weight is not None:
        parts.append(f'<span title="Weight">weight {issue.weight}</span>')
    users = [world.state.users[u] for u in issue.assignee_ids if u in world.state.users]
    avatars = "".join(layout.avatar(u) for u in users)
    parts.append(f'<span class="who">{avatars}</span>')
    return '<div class="meta">' + "".join(parts) + "</div>"


def epic_progress(world: World, epic: Epic) -> tuple[int, int]:
    """(closed, total) of the epic's visible child issues."""
    children = [
        i for i in world.state.issues.values() if i.epic_id == epic.id and not i.confidential
    ]
    return sum(i.state == "closed" for i in children), len(children)


def progress(closed: int, total: int) -> str:
    bar = f'<progress value="{closed}" max="{total or 1}"></progress>'
    return f'{bar} <span class="muted">{closed}/{total} issues closed</span>'


def _epics(world: World, group: Group) -> str:
    groups = {g.id for g in world.descendants(group)}
    epics = [e for e in world.state.epics.values() if e.group_id in groups and not e.confidential]
    if not epics:
        return ""
    rows = "".join(
        f'<tr><td><span class="state {e.state}">{"Open" if e.state == "opened" else "Closed"}'
        f'</span><a href="{epic_url(world, e)}">{escape(e.title)}</a> '
        f'<span class="muted">&amp;{e.iid}</span></td>'
        f"<td>{layout.labels(world, e.label_ids)}</td>"
        f"<td>{progress(*epic_progress(world, e))}</td></tr>"
        for e in sorted(epics, key=lambda e: e.iid)
    )
    return (
        f"<h2>Epics of {escape(group.path)}</h2>"
        '<table class="epics"><tr><th>Epic</th><th>Labels</th><th>Progress</th></tr>'
        + rows
        + "</table>"
    )
