"""The primitive changes to an issue or epic, recorded the way GitLab records them.

Label changes become resource label events (scoped labels exclusive on Premium), description
edits become "marked the checklist item" or "changed the description" system notes, and quick
actions (`/label ~x`, `/close`...) run as their author when the author may run them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accred_ops.sandbox import markdown
from accred_ops.sandbox.model import (
    Epic,
    Group,
    Issuable,
    Issue,
    Label,
    LabelEvent,
    Note,
    Project,
    User,
)
from accred_ops.sandbox.world import World, bad_request


def owner_of(world: World, item: Issuable) -> Group | Project:
    """Where an item's labels live: its project (issues) or its group (epics)."""
    if isinstance(item, Issue):
        return world.state.projects[item.project_id]
    assert isinstance(item, Epic)
    return world.state.groups[item.group_id]


def scope(name: str) -> str:
    """The scope key of a scoped label: everything up to the last `::` ("" if unscoped)."""
    return name.rpartition("::")[0]


def touch(world: World, item: Issuable) -> None:
    item.updated_at = world.now()


def system_note(world: World, user: User, item: Issuable, body: str) -> None:
    now = world.now()
    item.notes.append(Note(world.state.new_id(), body, user.id, True, now, now))


def change_labels(
    world: World,
    user: User,
    item: Issuable,
    *,
    replace: Sequence[Label] | None = None,
    add: Sequence[Label] = (),
    remove: Sequence[Label] = (),
) -> bool:
    """Apply a label change and record one event per label added or removed, by `user`."""
    current = [world.state.labels[i] for i in item.label_ids if i in world.state.labels]
    base = list(replace) if replace is not None else current
    result = base + [lb for lb in add if lb not in base]
    result = [lb for lb in result if lb not in remove]
    if world.tier_of(owner_of(world, item)) == "premium":
        last = {scope(lb.name): lb for lb in result if scope(lb.name)}
        result = [lb for lb in result if not scope(lb.name) or last[scope(lb.name)] is lb]
    added = [lb for lb in result if lb.id not in item.label_ids]
    removed = [lb for lb in current if lb not in result]
    if not added and not removed:
        return False
    now = world.now()
    for action, labels in (("add", added), ("remove", removed)):
        for label in labels:
            item.label_events.append(
                LabelEvent(world.state.new_id(), user.id, now, label.id, action)
            )
    item.label_ids = [lb.id for lb in result]
    return True


def set_state(world: World, user: User, item: Issuable, event: str | None) -> bool:
    if event not in (None, "close", "reopen"):
        raise bad_request("state_event does not have a valid value", key="error")
    if event == "close" and item.state == "opened":
        item.state, item.closed_at, item.closed_by_id = "closed", world.now(), user.id
        return True
    if event == "reopen" and item.state == "closed":
        item.state, item.closed_at, item.closed_by_id = "opened", None, None
        return True
    return False


def set_description(world: World, user: User, item: Issuable, new: str) -> bool:
    """Store a new description and write the system notes GitLab writes for it."""
    old = item.description
    if new == old:
        return False
    item.description = new
    flips = markdown.flipped(old, new)
    for task in flips:
        state = "completed" if task.checked else "incomplete"
        system_note(world, user, item, f"marked the checklist item **{task.text}** as {state}")
    if not flips:
        system_note(world, user, item, "changed the description")
    return True


def quick_actions(
    world: World, user: User, item: Issuable, text: str, *, persisted: bool
) -> markdown.Commands:
    """The quick actions of a text that this user may run here (the rest stays text)."""
    if isinstance(item, Issue):
        # GitLab offers each command only to who may do it (lib/gitlab/quick_actions/
        # issuable_actions.rb): /close and /reopen need update_issue, /label and /unlabel
        # set_issue_metadata; commands not offered stay text.
        project = world.state.projects[item.project_id]
        may_state = not persisted or world.may_update_issue(user, item)
        may_label = world.may_set_metadata(user, project, persisted=persisted)
    else:
        may_state = may_label = world.can(user, "edit_epic", owner_of(world, item))
    if not (may_state or may_label):
        return markdown.Commands(text=text)
    return markdown.quick_actions(
        text,
        is_open=item.state == "opened",
        persisted=persisted,
        has_labels=bool(item.label_ids),
        may_label=may_label,
        may_state=may_state,
    )


def run_commands(
    world: World, user: User, item: Issuable, cmd: markdown.Commands
) -> dict[str, Any]:
    """Apply quick actions; returns GitLab's `commands_changes`."""
    owner = owner_of(world, item)
    add = world.labels_by_name(cmd.add_labels, owner, create=False)  # /label never creates
    if cmd.remove_all_labels:
        remove = [world.state.labels[i] for i in item.label_ids]
    else:
        remove = world.labels_by_name(cmd.remove_labels, owner, create=False)
    before = list(item.label_ids)
    changes: dict[str, Any] = {}
    if change_labels(world, user, item, add=add, remove=remove):
        added = [i for i in item.label_ids if i not in before]
        removed = [i for i in before if i not in item.label_ids]
        changes |= {"add_label_ids": added} if added else {}
        changes |= {"remove_label_ids": removed} if removed else {}
    event = "close" if cmd.close else "reopen" if cmd.reopen else None
    if set_state(world, user, item, event):
        changes["state_event"] = event
    return changes


def summary(world: World, changes: dict[str, Any], kind: str) -> list[str]:
    """Messages like GitLab's quick-action summary (wording approximate)."""

    def names(ids: list[int]) -> str:
        return " ".join(f'~"{world.state.labels[i].name}"' for i in ids)

    lines = []
    if changes.get("add_label_ids"):
        lines.append(f"Added {names(changes['add_label_ids'])} label(s).")
    if changes.get("remove_label_ids"):
        lines.append(f"Removed {names(changes['remove_label_ids'])} label(s).")
    if changes.get("state_event"):
        lines.append(
            f"{'Closed' if changes['state_event'] == 'close' else 'Reopened'} this {kind}."
        )
    return lines
