"""The sandbox's endpoints, one small handler each, registered on `api.ROUTES`."""

from __future__ import annotations

from typing import Any

from accred_ops.sandbox.api import (
    ApiError,
    Call,
    Result,
    board_json,
    epic_json,
    event_json,
    issue_json,
    label_json,
    list_json,
    note_json,
    route,
    user_json,
)
from accred_ops.sandbox.store import (
    GUEST,
    REPORTER,
    Board,
    BoardList,
    Epic,
    Group,
    Issuable,
    Issue,
    Label,
)

# --- users, groups, projects, members ----------------------------------------------------------


@route("GET", "/user")
def current_user(call: Call) -> Result:
    return 200, user_json(call, call.user)


@route("GET", "/users")
def users(call: Call) -> Result:
    name = call.param("username")
    found = [
        u
        for u in call.world.users.values()
        if name is None or u.username.lower() == str(name).lower()
    ]
    return 200, [user_json(call, u) for u in found]


@route("GET", r"/users/(\d+)")
def one_user(call: Call) -> Result:
    user = call.world.users.get(int(call.args[0]))
    if user is None:
        raise ApiError(404, {"message": "404 User Not Found"})
    return 200, user_json(call, user)


@route("GET", r"/groups/([^/]+)")
def group(call: Call) -> Result:
    g = call.group()
    return 200, {
        "id": g.id,
        "name": g.name,
        "path": g.name,
        "full_path": g.path,
        "full_name": g.path,
        "parent_id": g.parent_id,
        "visibility": "private",
        "web_url": f"{call.base_url}/groups/{g.path}",
    }


@route("GET", r"/projects/([^/]+)")
def project(call: Call) -> Result:
    p = call.project()
    return 200, {
        "id": p.id,
        "name": p.name,
        "path": p.name,
        "path_with_namespace": p.path,
        "namespace": {"id": p.group_id, "full_path": call.world.groups[p.group_id].path},
        "visibility": "private",
        "web_url": f"{call.base_url}/{p.path}",
    }


def _member_json(call: Call, user_id: int, level: int) -> dict[str, Any]:
    return {
        **(user_json(call, call.world.users[user_id]) or {}),
        "access_level": level,
        "membership_state": "active",
        "expires_at": None,
    }


@route("GET", r"/groups/([^/]+)/members")
def members(call: Call) -> Result:
    return 200, [_member_json(call, uid, level) for uid, level in call.group().members.items()]


@route("GET", r"/groups/([^/]+)/members/all")
def members_all(call: Call) -> Result:
    best: dict[int, int] = {}
    for g in call.world.ancestors(call.group()):
        for uid, level in g.members.items():
            best[uid] = max(level, best.get(uid, 0))
    return 200, [_member_json(call, uid, level) for uid, level in best.items()]


# --- labels ------------------------------------------------------------------------------------


def _create_label(call: Call, existing: list[Label], **owner: Any) -> Result:
    name, color = call.param("name"), call.param("color")
    if not name:
        raise ApiError(400, {"error": "name is missing"})
    if not color:
        raise ApiError(400, {"error": "color is missing"})
    if any(label.name == name for label in existing):
        raise ApiError(409, {"message": "Label already exists"})
    return 201, label_json(
        call.world.create_label(name, color, call.param("description") or "", **owner)
    )


@route("GET", r"/groups/([^/]+)/labels")
def group_labels(call: Call) -> Result:
    ids = {g.id for g in call.world.ancestors(call.group())}
    return 200, [label_json(lb) for lb in call.world.labels.values() if lb.group_id in ids]


@route("POST", r"/groups/([^/]+)/labels")
def create_group_label(call: Call) -> Result:
    g = call.group()
    call.world.require(call.user, g, REPORTER)
    return _create_label(
        call, [lb for lb in call.world.labels.values() if lb.group_id == g.id], group=g
    )


@route("GET", r"/projects/([^/]+)/labels")
def project_labels(call: Call) -> Result:
    p = call.project()
    ids = {g.id for g in call.world.ancestors(call.world.groups[p.group_id])}
    return 200, [
        label_json(lb)
        for lb in call.world.labels.values()
        if lb.project_id == p.id or lb.group_id in ids
    ]


@route("POST", r"/projects/([^/]+)/labels")
def create_project_label(call: Call) -> Result:
    p = call.project()
    call.world.require_in_project(call.user, p, REPORTER)
    return _create_label(
        call, [lb for lb in call.world.labels.values() if lb.project_id == p.id], project=p
    )


# --- issues ------------------------------------------------------------------------------------


def _filtered(call: Call, items: list[Any]) -> list[Any]:
    """GitLab's list filters shared by issues and epics, then its ordering."""
    wanted = call.names("labels")
    unwanted = call.names("not[labels]")
    state = call.param("state", "all")
    search = str(call.param("search") or "").lower().split()
    fields = str(call.param("in") or "title,description").split(",")
    iids = {int(i) for i in (call.params.get("iids[]") or [])}
    assignee = call.param("assignee_username")
    result = []
    for item in items:
        labels = set(item.labels)
        if (wanted == ["None"] and labels) or (wanted == ["Any"] and not labels):
            continue
        if wanted and wanted not in (["None"], ["Any"]) and not set(wanted) <= labels:
            continue
        if unwanted and labels & set(unwanted):
            continue
        if state != "all" and item.state != state:
            continue
        if iids and item.iid not in iids:
            continue
        text = " ".join(getattr(item, f, "") or "" for f in fields).lower()
        if search and not all(word in text for word in search):
            continue
        if assignee and not any(
            call.world.users[u].username == assignee for u in getattr(item, "assignee_ids", [])
        ):
            continue
        for param, attr, after in (
            ("updated_after", "updated_at", True),
            ("updated_before", "updated_at", False),
            ("created_after", "created_at", True),
        ):
            bound = call.param(param)
            if bound and (
                (getattr(item, attr) < _iso(bound))
                if after
                else (getattr(item, attr) > _iso(bound))
            ):
                break
        else:
            result.append(item)
    order = call.param("order_by", "created_at")
    key = "updated_at" if order == "updated_at" else "id"
    return sorted(
        result, key=lambda i: getattr(i, key), reverse=call.param("sort", "desc") == "desc"
    )


def _iso(value: str) -> str:
    return value.replace("+00:00", "Z") if "T" in value else f"{value}T00:00:00.000Z"


@route("GET", r"/projects/([^/]+)/issues")
def project_issues(call: Call) -> Result:
    p = call.project()
    return 200, [
        issue_json(call, i)
        for i in _filtered(call, [i for i in call.world.issues.values() if i.project_id == p.id])
    ]


@route("GET", r"/groups/([^/]+)/issues")
def group_issues(call: Call) -> Result:
    g = call.group()
    inside = {
        p.id
        for p in call.world.projects.values()
        if g in call.world.ancestors(call.world.groups[p.group_id])
    }
    return 200, [
        issue_json(call, i)
        for i in _filtered(call, [i for i in call.world.issues.values() if i.project_id in inside])
    ]


@route("POST", r"/projects/([^/]+)/issues")
def create_issue(call: Call) -> Result:
    p = call.project()
    world = call.world
    world.require_in_project(call.user, p, GUEST)
    if not call.param("title"):
        raise ApiError(400, {"error": "title is missing"})
    now = world.now()
    iid = 1 + max((i.iid for i in world.issues.values() if i.project_id == p.id), default=0)
    issue = Issue(
        world.next_id(), iid, call.param("title"), "", call.user.id, now, now, project_id=p.id
    )
    world.issues[issue.id] = issue
    _edit_issue(call, issue, creating=True)
    return 201, issue_json(call, issue)


def _assignees(call: Call) -> list[int] | None:
    value = call.param("assignee_ids", call.param("assignee_id"))
    if value is None:
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    ids = [int(v) for v in items if str(v).strip() and int(v) != 0]
    return [i for i in ids if i in call.world.users]


def _edit_labels(call: Call, item: Issuable) -> None:
    labels = call.names("labels")
    add, remove = call.names("add_labels"), call.names("remove_labels")
    if labels is None and add is None and remove is None:
        return
    wanted = list(item.labels) if labels is None else labels
    wanted = [n for n in [*wanted, *(add or [])] if n not in (remove or [])]
    call.world.set_labels(item, wanted, call.user)


def _edit_issue(call: Call, issue: Issue, creating: bool = False) -> None:
    world = call.world
    if call.param("title") is not None:
        issue.title = call.param("title")
    _edit_labels(call, issue)
    if (ids := _assignees(call)) is not None:
        issue.assignee_ids = ids
    if "due_date" in call.params:
        issue.due_date = call.param("due_date") or None
    if call.param("epic_id") is not None:
        group = world.groups[world.projects[issue.project_id].group_id]
        _assign_epic(call, issue, world.epic(_premium(call, group), id=int(call.param("epic_id"))))
    if call.param("description") is not None:
        if creating:
            issue.description = world.run_commands(issue, call.param("description"), call.user)
        else:
            world.set_description(issue, call.param("description"), call.user)
    if call.param("state_event"):
        world.set_state(issue, call.param("state_event"), call.user)
    issue.updated_at = world.now()


def _assign_epic(call: Call, issue: Issue, epic: Epic) -> None:
    issue.epic_id = epic.id
    issue.epic_issue_id = call.world.next_id()


@route("GET", r"/projects/([^/]+)/issues/(\d+)")
def get_issue(call: Call) -> Result:
    return 200, issue_json(call, call.world.issue(call.project(), int(call.args[1])))


@route("PUT", r"/projects/([^/]+)/issues/(\d+)")
def update_issue(call: Call) -> Result:
    p = call.project()
    call.world.require_in_project(call.user, p, GUEST)
    issue = call.world.issue(p, int(call.args[1]))
    _edit_issue(call, issue)
    return 200, issue_json(call, issue)


@route("GET", r"/projects/([^/]+)/issues/(\d+)/notes")
def issue_notes(call: Call) -> Result:
    return 200, _notes(call, call.world.issue(call.project(), int(call.args[1])))


@route("POST", r"/projects/([^/]+)/issues/(\d+)/notes")
def create_issue_note(call: Call) -> Result:
    return _create_note(call, call.world.issue(call.project(), int(call.args[1])))


@route("GET", r"/projects/([^/]+)/issues/(\d+)/resource_label_events")
def issue_events(call: Call) -> Result:
    return 200, event_json(call, call.world.issue(call.project(), int(call.args[1])))


@route("GET", r"/projects/([^/]+)/issues/(\d+)/links")
def issue_links(call: Call) -> Result:
    issue = call.world.issue(call.project(), int(call.args[1]))
    return 200, [issue_json(call, call.world.issues[i]) for i in issue.links]


@route("POST", r"/projects/([^/]+)/issues/(\d+)/links")
def create_issue_link(call: Call) -> Result:
    issue = call.world.issue(call.project(), int(call.args[1]))
    target = call.world.issue(
        call.world.project(str(call.param("target_project_id")), call.user),
        int(call.param("target_issue_iid")),
    )
    if target.id in issue.links:
        raise ApiError(409, {"message": "Issue(s) already assigned"})
    issue.links.append(target.id)
    target.links.append(issue.id)
    return 201, {
        "source_issue": issue_json(call, issue),
        "target_issue": issue_json(call, target),
        "link_type": "relates_to",
    }


def _notes(call: Call, item: Issuable) -> list[dict[str, Any]]:
    notes = sorted(item.notes, key=lambda n: n.id, reverse=call.param("sort", "desc") == "desc")
    return [note_json(call, n) for n in notes]


def _create_note(call: Call, item: Issuable) -> Result:
    if not call.param("body"):
        raise ApiError(400, {"error": "body is missing"})
    note = call.world.add_note(item, str(call.param("body")), call.user)
    if note is None:  # only quick actions: GitLab answers 202 with what the commands did
        return 202, {"commands_changes": {}, "summary": ["Commands applied"]}
    return 201, note_json(call, note)


# --- epics -------------------------------------------------------------------------------------


def _premium(call: Call, group: Group) -> Group:
    if group.tier != "premium":
        raise ApiError(403, {"message": "403 Forbidden"})
    return group


@route("GET", r"/groups/([^/]+)/epics")
def list_epics(call: Call) -> Result:
    g = _premium(call, call.group())
    inside = [
        e
        for e in call.world.epics.values()
        if g in call.world.ancestors(call.world.groups[e.group_id])
    ]
    return 200, [epic_json(call, e) for e in _filtered(call, inside)]


@route("POST", r"/groups/([^/]+)/epics")
def create_epic(call: Call) -> Result:
    g = _premium(call, call.group())
    world = call.world
    world.require(call.user, g, REPORTER)
    if not call.param("title"):
        raise ApiError(400, {"error": "title is missing"})
    now = world.now()
    iid = 1 + max((e.iid for e in world.epics.values() if e.group_id == g.id), default=0)
    epic = Epic(
        world.next_id(), iid, call.param("title"), "", call.user.id, now, now, group_id=g.id
    )
    world.epics[epic.id] = epic
    _edit_labels(call, epic)
    epic.description = world.run_commands(epic, call.param("description") or "", call.user)
    return 201, epic_json(call, epic)


@route("GET", r"/groups/([^/]+)/epics/(\d+)")
def get_epic(call: Call) -> Result:
    return 200, epic_json(
        call, call.world.epic(_premium(call, call.group()), iid=int(call.args[1]))
    )


@route("PUT", r"/groups/([^/]+)/epics/(\d+)")
def update_epic(call: Call) -> Result:
    g = _premium(call, call.group())
    call.world.require(call.user, g, REPORTER)
    epic = call.world.epic(g, iid=int(call.args[1]))
    if call.param("title") is not None:
        epic.title = call.param("title")
    _edit_labels(call, epic)
    if call.param("description") is not None:
        call.world.set_description(epic, call.param("description"), call.user)
    if call.param("state_event"):
        call.world.set_state(epic, call.param("state_event"), call.user)
    epic.updated_at = call.world.now()
    return 200, epic_json(call, epic)


@route("GET", r"/groups/([^/]+)/epics/(\d+)/issues")
def epic_issues(call: Call) -> Result:
    epic = call.world.epic(_premium(call, call.group()), iid=int(call.args[1]))
    found = [i for i in call.world.issues.values() if i.epic_id == epic.id]
    return 200, [{**issue_json(call, i), "epic_issue_id": i.epic_issue_id} for i in found]


@route("POST", r"/groups/([^/]+)/epics/(\d+)/issues/(\d+)")
def assign_epic_issue(call: Call) -> Result:
    g = _premium(call, call.group())
    epic = call.world.epic(g, iid=int(call.args[1]))
    issue = call.world.issues.get(int(call.args[2]))
    if issue is None:
        raise ApiError(404, {"message": "404 Issue Not Found"})
    _assign_epic(call, issue, epic)
    issue.updated_at = call.world.now()
    epic_data = {
        k: v
        for k, v in epic_json(call, epic).items()
        if k in ("id", "iid", "title", "description", "author", "start_date", "end_date")
    }
    return 201, {"id": issue.epic_issue_id, "epic": epic_data, "issue": issue_json(call, issue)}


@route("GET", r"/groups/([^/]+)/epics/(\d+)/notes")
def epic_notes(call: Call) -> Result:
    return 200, _notes(call, call.world.epic(_premium(call, call.group()), id=int(call.args[1])))


@route("POST", r"/groups/([^/]+)/epics/(\d+)/notes")
def create_epic_note(call: Call) -> Result:
    return _create_note(call, call.world.epic(_premium(call, call.group()), id=int(call.args[1])))


@route("GET", r"/groups/([^/]+)/epics/(\d+)/resource_label_events")
def epic_events(call: Call) -> Result:
    return 200, event_json(
        call, call.world.epic(_premium(call, call.group()), id=int(call.args[1]))
    )


# --- boards ------------------------------------------------------------------------------------


def _board(call: Call) -> Board:
    g = call.group()
    board = call.world.boards.get(int(call.args[1]))
    if board is None or board.group_id != g.id:
        raise ApiError(404, {"message": "404 Board Not Found"})
    return board


@route("GET", r"/groups/([^/]+)/boards")
def boards(call: Call) -> Result:
    g = call.group()
    return 200, [board_json(call, b) for b in call.world.boards.values() if b.group_id == g.id]


@route("POST", r"/groups/([^/]+)/boards")
def create_board(call: Call) -> Result:
    g = call.group()
    call.world.require(call.user, g, REPORTER)
    if not call.param("name"):
        raise ApiError(400, {"error": "name is missing"})
    board = Board(call.world.next_id(), g.id, call.param("name"))
    call.world.boards[board.id] = board
    return 201, board_json(call, board)


@route("GET", r"/groups/([^/]+)/boards/(\d+)")
def get_board(call: Call) -> Result:
    return 200, board_json(call, _board(call))


@route("GET", r"/groups/([^/]+)/boards/(\d+)/lists")
def board_lists(call: Call) -> Result:
    return 200, [list_json(call, lst) for lst in _board(call).lists]


@route("POST", r"/groups/([^/]+)/boards/(\d+)/lists")
def create_board_list(call: Call) -> Result:
    board = _board(call)
    call.world.require(call.user, call.world.groups[board.group_id], REPORTER)
    label_id = call.param("label_id")
    if label_id is None or int(label_id) not in call.world.labels:
        raise ApiError(
            400,
            {"error": "label_id is missing"}
            if label_id is None
            else {"message": {"label": ["not found"]}},
        )
    if any(lst.label_id == int(label_id) for lst in board.lists):
        raise ApiError(400, {"message": {"label": ["is already taken"]}})
    lst = BoardList(call.world.next_id(), int(label_id), len(board.lists))
    board.lists.append(lst)
    return 201, list_json(call, lst)


@route("DELETE", r"/groups/([^/]+)/boards/(\d+)/lists/(\d+)")
def delete_board_list(call: Call) -> Result:
    board = _board(call)
    board.lists = [lst for lst in board.lists if lst.id != int(call.args[2])]
    return 204, None
