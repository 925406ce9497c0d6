"""Creating and editing issues, epics and comments: parameters in, records changed.

The recording rules (label events, system notes, quick actions) live in `changes`; this module
decides which of them a request triggers, and moves `updated_at` on every real change.
"""

from __future__ import annotations

from datetime import date

from accred_ops.sandbox import markdown
from accred_ops.sandbox.changes import (
    change_labels,
    owner_of,
    quick_actions,
    run_commands,
    set_description,
    set_state,
    system_note,
    touch,
)
from accred_ops.sandbox.model import Epic, Group, Issuable, Issue, Note, Project, User
from accred_ops.sandbox.params import Params, as_date, as_int, as_int_list, as_list, required
from accred_ops.sandbox.world import ApiError, World, bad_request, not_found


def _assignees(world: World, params: Params, project: Project) -> list[int] | None:
    """Several assignees are a paid feature: on Free, GitLab keeps the first one only
    (app/services/issuable_base_service.rb: filter_assignees, `allows_multiple_assignees?`)."""
    ids = _assignee_ids(world, params)
    if ids is not None and world.tier_of(project) != "premium":
        return ids[:1]
    return ids


def _assignee_ids(world: World, params: Params) -> list[int] | None:
    if "assignee_ids" in params:
        ids = as_int_list(params["assignee_ids"], "assignee_ids")
    elif "assignee_id" in params:
        ids = as_int_list(params["assignee_id"], "assignee_id")
    else:
        return None
    return [i for i in dict.fromkeys(ids) if i in world.state.users]  # 0 / unknown: unassign


def _assignee_note(world: World, user: User, issue: Issue, old: list[int]) -> None:
    added = [f"@{world.user(i).username}" for i in issue.assignee_ids if i not in old]
    gone = [f"@{world.user(i).username}" for i in old if i not in issue.assignee_ids]
    parts = ([f"assigned to {' '.join(added)}"] if added else []) + (
        [f"unassigned {' '.join(gone)}"] if gone else []
    )
    if parts:
        system_note(world, user, issue, " and ".join(parts))


def _epic_param(world: World, project: Project, params: Params) -> tuple[bool, Epic | None]:
    """(given, epic) from `epic_id`; ignored on Free, where the field is not licensed."""
    if "epic_id" not in params or world.tier_of(project) != "premium":
        return False, None
    epic_id = as_int(params["epic_id"], "epic_id")
    if not epic_id:
        return True, None
    epic = world.state.epics.get(epic_id)
    groups = world.ancestors(world.group_of(project))
    if epic is None or world.state.groups[epic.group_id] not in groups:
        raise not_found("Epic")
    return True, epic


def set_epic(world: World, issue: Issue, epic: Epic | None, user: User | None = None) -> bool:
    """Assign an issue to an epic (moving it from any other) or unassign it, with the system
    notes GitLab writes on both sides (SystemNotes::EpicsService / IssuablesService: "added to
    epic &2", "changed epic to &3", "removed from epic &2"; "added issue #5", "removed issue
    #5"; wording approximate) by `user` when one acts."""
    if (epic.id if epic else None) == issue.epic_id:
        return False
    old = world.state.epics.get(issue.epic_id or -1)
    issue.epic_id = epic.id if epic else None
    issue.epic_issue_id = world.state.new_id() if epic else None
    if user is not None:
        ref = f"#{issue.iid}"
        if old is not None:
            system_note(world, user, old, f"removed issue {ref}")
        if epic is not None:
            system_note(world, user, epic, f"added issue {ref}")
        text = (
            f"changed epic to &{epic.iid}"
            if old and epic
            else f"added to epic &{epic.iid}"
            if epic
            else f"removed from epic &{old.iid}"
            if old
            else ""
        )
        if text:
            system_note(world, user, issue, text)
    return True


def create_issue(world: World, user: User, project: Project, params: Params) -> Issue:
    title = str(required(params, "title"))
    due = as_date(params.get("due_date"), "due_date")
    assignees = _assignees(world, params, project) or []
    _, epic = _epic_param(world, project, params)
    _, weight = _weight(world, project, params)
    now = world.now()
    issue = Issue(
        world.state.new_id(),
        world.state.new_iid("issue", project.id),
        title,
        "",
        user.id,
        now,
        now,
        project_id=project.id,
        assignee_ids=assignees,
        due_date=due,
        confidential=bool(params.get("confidential") in (True, "true")),
        weight=weight,
    )
    cmd = quick_actions(world, user, issue, str(params.get("description") or ""), persisted=False)
    issue.description = cmd.text
    labels = world.labels_by_name(as_list(params.get("labels")), project, create=True)
    world.state.issues[issue.id] = issue
    change_labels(world, user, issue, add=labels)
    run_commands(world, user, issue, cmd)
    if epic:
        set_epic(world, issue, epic, user)
    if due:  # GitLab's common system notes run on create too; assignees get no note here
        system_note(world, user, issue, f"changed due date to {_long_date(due)}")
    return issue


EDITABLE = ("assignee_id", "assignee_ids", "confidential", "description", "discussion_locked")
EDITABLE += ("due_date", "labels", "add_labels", "remove_labels", "state_event", "title", "epic_id")
EDITABLE += ("weight",)  # EE's update_params_at_least_one_of adds it on every tier


def _weight(world: World, project: Project, params: Params) -> tuple[bool, int | None]:
    """(given, weight) from `weight`, an Integer param (400 otherwise); GitLab drops it where
    the issue does not support weights (EE IssuableBaseService#filter_params: `issue_weights`
    is Premium) and refuses a negative one (Issue `validates :weight, numericality: >= 0`)."""
    if "weight" not in params:
        return False, None
    weight = as_int(params["weight"], "weight")
    if world.tier_of(project) != "premium":
        return False, None
    if weight is not None and weight < 0:
        raise bad_request({"weight": ["must be greater than or equal to 0"]})
    return True, weight


def _set_weight(world: World, user: User, issue: Issue, weight: int | None) -> bool:
    """Store it with the note GitLab shows for its resource weight event."""
    if weight == issue.weight:
        return False
    issue.weight = weight
    text = f"changed weight to **{weight}**" if weight is not None else "removed the weight"
    system_note(world, user, issue, text)
    return True


def _edit_common(world: World, user: User, item: Issuable, params: Params) -> bool:
    """Title, description (with quick actions), labels and state: shared by issues and epics."""
    changed = False
    if "title" in params:
        title = str(params["title"] or "").strip()
        if not title:
            raise bad_request({"title": ["can't be blank"]})
        if title != item.title:
            # SystemNoteService.change_title (wording approximate)
            system_note(world, user, item, f"changed title from **{item.title}** to **{title}**")
            changed = True
        item.title = title
    cmd = markdown.Commands(text=item.description)
    if "description" in params:
        cmd = quick_actions(world, user, item, str(params["description"] or ""), persisted=True)
        changed |= set_description(world, user, item, cmd.text)
    owner = owner_of(world, item)
    replace = None
    if "labels" in params:
        replace = world.labels_by_name(as_list(params["labels"]), owner, create=True)
    add = world.labels_by_name(as_list(params.get("add_labels")), owner, create=True)
    remove = world.labels_by_name(as_list(params.get("remove_labels")), owner, create=False)
    changed |= change_labels(world, user, item, replace=replace, add=add, remove=remove)
    changed |= bool(run_commands(world, user, item, cmd))
    changed |= set_state(world, user, item, params.get("state_event") or None)
    return changed


def update_issue(world: World, user: User, issue: Issue, params: Params) -> Issue:
    if not any(name in params for name in EDITABLE):
        raise bad_request(
            f"{', '.join(EDITABLE)} are missing, at least one parameter must be provided",
            key="error",
        )
    project = world.state.projects[issue.project_id]
    epic_given, epic = _epic_param(world, project, params)
    weight_given, weight = _weight(world, project, params)
    due = as_date(params.get("due_date"), "due_date") if "due_date" in params else issue.due_date
    assignees = _assignees(world, params, project)
    changed = _edit_common(world, user, issue, params)
    if assignees is not None and assignees != issue.assignee_ids:
        old, issue.assignee_ids = issue.assignee_ids, assignees
        _assignee_note(world, user, issue, old)
        changed = True
    if due != issue.due_date:
        issue.due_date = due
        text = f"changed due date to {_long_date(due)}" if due else "removed due date"
        system_note(world, user, issue, text)
        changed = True
    if "confidential" in params:
        flag = str(params["confidential"]).lower() in ("true", "1")
        changed |= flag != issue.confidential
        issue.confidential = flag
    if epic_given:
        changed |= set_epic(world, issue, epic, user)
    if weight_given:
        changed |= _set_weight(world, user, issue, weight)
    if changed:
        touch(world, issue)
    return issue


def _long_date(value: str) -> str:
    day = date.fromisoformat(value)
    return f"{day:%B} {day.day}, {day.year}"


def create_epic(world: World, user: User, group: Group, params: Params) -> Epic:
    title = str(required(params, "title"))
    now = world.now()
    epic = Epic(
        world.state.new_id(),
        world.state.new_iid("epic", group.id),
        title,
        "",
        user.id,
        now,
        now,
        group_id=group.id,
        work_item_id=world.state.new_id(),
    )
    cmd = quick_actions(world, user, epic, str(params.get("description") or ""), persisted=False)
    epic.description = cmd.text
    labels = world.labels_by_name(as_list(params.get("labels")), group, create=True)
    world.state.epics[epic.id] = epic
    change_labels(world, user, epic, add=labels)
    run_commands(world, user, epic, cmd)
    return epic


def update_epic(world: World, user: User, epic: Epic, params: Params) -> Epic:
    if _edit_common(world, user, epic, params):
        touch(world, epic)
    return epic


def add_note(world: World, user: User, item: Issuable, params: Params) -> tuple[Note | None, dict]:
    """A comment; quick actions in it run as its author. Returns (note or None, changes)."""
    body = str(required(params, "body"))
    cmd = quick_actions(world, user, item, body, persisted=True)
    changes = run_commands(world, user, item, cmd)
    if cmd.count and not cmd.text.strip():
        if changes:
            touch(world, item)
        return None, changes  # commands only: nothing stored, GitLab answers 202
    now = world.now()
    internal = str(params.get("internal", params.get("confidential", ""))).lower() == "true"
    note = Note(world.state.new_id(), cmd.text, user.id, False, now, now, internal)
    item.notes.append(note)
    touch(world, item)
    return note, changes


def edit_note(world: World, user: User, item: Issuable, note: Note, params: Params) -> Note:
    body = str(required(params, "body"))
    if note.system or note.author_id != user.id:
        raise ApiError(403, {"message": "403 Forbidden"})
    if body != note.body:
        note.body, note.updated_at = body, world.now()
        touch(world, item)
    return note
