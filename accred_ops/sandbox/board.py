"""A read-only HTML view of the sandbox's boards at `/`: what a person would see on GitLab.

One column per board list (its label), with "Open" before them and "Closed" after, as GitLab
draws an issue board; each card shows the issue's labels, assignees, checklist and comments.
Every text comes from API callers (learners write descriptions and comments), so every text
is escaped, and the page runs no script.
"""

from __future__ import annotations

import re
from html import escape

from accred_ops.sandbox.markdown import tasks
from accred_ops.sandbox.model import Board, Issue, State

_HIDDEN = re.compile(r"<!--.*?-->", re.S)  # GitLab does not show HTML comments (the markers)

STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1rem; background: #fafafa; color: #222; }
h1 { font-size: 1.3rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
.board { display: flex; gap: .75rem; align-items: flex-start; overflow-x: auto; }
.list { background: #eee; border-radius: 6px; padding: .5rem; min-width: 17rem; max-width: 20rem; }
.list h3 { font-size: .95rem; margin: .2rem 0 .5rem; }
.card { background: #fff; border: 1px solid #ddd; border-radius: 4px; padding: .5rem; margin-bottom: .5rem; }
.card h4 { font-size: .9rem; margin: 0 0 .3rem; }
.label { display: inline-block; background: #dbe7ff; border-radius: 9px; padding: 0 .45rem;
         margin: 0 .2rem .2rem 0; font-size: .75rem; }
.card ul { padding-left: 1.1rem; margin: .3rem 0; font-size: .8rem; }
.note { font-size: .8rem; border-top: 1px solid #eee; padding-top: .25rem; margin-top: .25rem;
        white-space: pre-wrap; }
.muted { color: #777; font-size: .8rem; }
"""


def render(state: State) -> str:
    """The whole page: every group board, or every issue when no board exists yet."""
    labels = {label.id: label.name for label in state.labels.values()}
    sections = [_board(state, board, labels) for board in state.boards.values()]
    if not sections:
        sections = [
            '<p class="muted">No board yet (<code>accred-ops setup</code> creates it): '
            "every issue, open and closed.</p>" + _columns(state, [], labels)
        ]
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>GitLab sandbox: boards</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>GitLab sandbox (read-only view; refresh to see changes)</h1>"
        + "".join(sections)
        + "</body></html>"
    )


def _board(state: State, board: Board, labels: dict[int, str]) -> str:
    ordered = sorted(board.lists, key=lambda item: item.position)
    return f"<h2>Board: {escape(board.name)}</h2>" + _columns(
        state, [item.label_id for item in ordered], labels
    )


def _columns(state: State, list_labels: list[int], labels: dict[int, str]) -> str:
    # The view has no user: like GitLab to an anonymous visitor, it shows no confidential issue.
    public = (i for i in state.issues.values() if not i.confidential)
    issues = sorted(public, key=lambda i: (i.project_id, i.iid))
    opened = [i for i in issues if i.state == "opened"]
    columns = [("Open", [i for i in opened if not set(i.label_ids) & set(list_labels)])]
    for label_id in list_labels:
        columns.append((labels.get(label_id, "?"), [i for i in opened if label_id in i.label_ids]))
    columns.append(("Closed", [i for i in issues if i.state == "closed"]))
    return (
        '<div class="board">'
        + "".join(
            f'<section class="list"><h3>{escape(title)} '
            f'<span class="muted">({len(cards)})</span></h3>'
            + "".join(_card(state, issue, labels) for issue in cards)
            + "</section>"
            for title, cards in columns
        )
        + "</div>"
    )


def _card(state: State, issue: Issue, labels: dict[int, str]) -> str:
    users = state.users
    assignees = ", ".join(f"@{users[u].username}" for u in issue.assignee_ids if u in users)
    checklist = "".join(
        f"<li>{'☑' if task.checked else '☐'} {escape(task.text)}</li>"
        for task in tasks(issue.description)
    )
    notes = "".join(
        f'<div class="note"><b>@{escape(users[n.author_id].username if n.author_id in users else "?")}</b>: '
        f"{escape(_HIDDEN.sub('', n.body).strip())}</div>"
        for n in issue.notes
        if not n.system
    )
    return (
        f'<article class="card"><h4>#{issue.iid} {escape(issue.title)}</h4>'
        + "".join(
            f'<span class="label">{escape(labels.get(i, "?"))}</span>' for i in issue.label_ids
        )
        + (f'<div class="muted">assigned to {escape(assignees)}</div>' if assignees else "")
        + (f"<ul>{checklist}</ul>" if checklist else "")
        + notes
        + "</article>"
    )
