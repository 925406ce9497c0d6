"""Handlers for users, groups, projects, members, labels and group boards."""

from __future__ import annotations

from accred_ops.sandbox import views
from accred_ops.sandbox.context import Ctx, Listing, Reply, error
from accred_ops.sandbox.model import Board, BoardList, Group, Label, Member, Project
from accred_ops.sandbox.params import as_int, required
from accred_ops.sandbox.world import not_found

# --- users --------------------------------------------------------------------------------------


def get_current_user(ctx: Ctx) -> Reply:
    return 200, views.current_user(ctx.world, ctx.user)


def get_metadata(ctx: Ctx) -> Reply:
    """GitLab 15.2+: the instance's version (GET /metadata)."""
    version = ctx.world.version
    return 200, {"version": version, "revision": "sandbox", "enterprise": "-ee" in version}


def get_version(ctx: Ctx) -> Reply:
    """The older GET /version."""
    return 200, {"version": ctx.world.version, "revision": "sandbox"}


def list_users(ctx: Ctx) -> Reply:
    users = list(ctx.world.state.users.values())
    if "username" in ctx.params:
        found = ctx.world.find_user(str(ctx.params["username"]))
        users = [found] if found else []
    return Listing(users, lambda u: views.user(ctx.world, u))


def get_user(ctx: Ctx, user_id: str) -> Reply:
    user = ctx.world.state.users.get(int(user_id))
    if user is None:
        raise not_found("User")
    return 200, {**views.user(ctx.world, user), "bot": user.bot}  # GET /users/:id says it


# --- groups, projects, members -------------------------------------------------------------------


def get_group(ctx: Ctx, ref: str) -> Reply:
    return 200, views.group(ctx.world, ctx.group(ref))


def get_project(ctx: Ctx, ref: str) -> Reply:
    return 200, views.project(ctx.world, ctx.project(ref))


def list_descendant_groups(ctx: Ctx, ref: str) -> Reply:
    """Every subgroup below the group, at any depth, that the caller can see (GitLab API:
    groups.md, "List a group's descendant groups")."""
    group = ctx.group(ref)
    below = [
        g
        for g in ctx.world.descendants(group)
        if g is not group and ctx.world.can(ctx.user, "read", g)
    ]
    return Listing(below, lambda g: views.group(ctx.world, g))


def list_members(ctx: Ctx, ref: str) -> Reply:
    group = ctx.group(ref)
    return Listing(list(group.members.values()), lambda m: views.member(ctx.world, m))


def _highest(sources: list[dict[int, Member]]) -> list[Member]:
    """Each user once, with their highest access level among the given memberships."""
    best: dict[int, Member] = {}
    for members in sources:
        for uid, member in members.items():
            if uid not in best or member.access_level > best[uid].access_level:
                best[uid] = member
    return sorted(best.values(), key=lambda m: m.user_id)


def list_all_members(ctx: Ctx, ref: str) -> Reply:
    """Direct and inherited (from ancestors) members, each with their highest access level."""
    found = _highest([g.members for g in ctx.world.ancestors(ctx.group(ref))])
    return Listing(found, lambda m: views.member(ctx.world, m))


def list_all_project_members(ctx: Ctx, ref: str) -> Reply:
    """Project members plus those inherited from the project's groups (highest level each)."""
    project = ctx.project(ref)
    groups = ctx.world.ancestors(ctx.world.group_of(project))
    found = _highest([project.members, *(g.members for g in groups)])
    return Listing(found, lambda m: views.member(ctx.world, m))


# --- labels ------------------------------------------------------------------------------------


def _by_title(labels: list[Label]) -> list[Label]:
    """GitLab lists labels ordered by title (LabelsFinder's default `sort: title_asc`)."""
    return sorted(labels, key=lambda lb: (lb.name.lower(), lb.name, lb.id))


def list_group_labels(ctx: Ctx, ref: str) -> Reply:
    group = ctx.group(ref)
    labels = _by_title(ctx.world.labels_of_group(group))
    return Listing(labels, lambda lb: views.label(ctx.world, lb))


def list_project_labels(ctx: Ctx, ref: str) -> Reply:
    project = ctx.project(ref)
    return Listing(
        _by_title(ctx.world.labels_of_project(project)),
        lambda lb: views.label(ctx.world, lb, in_project=True),
    )


def _create_label(ctx: Ctx, owner: Group | Project) -> Reply:
    ctx.require("admin_label", owner)
    name = str(required(ctx.params, "name"))
    color = str(required(ctx.params, "color"))
    label = ctx.world.create_label(owner, name, color, str(ctx.params.get("description") or ""))
    label.priority = as_int(ctx.params.get("priority"), "priority")
    return 201, views.label(ctx.world, label, in_project=isinstance(owner, Project))


def create_group_label(ctx: Ctx, ref: str) -> Reply:
    return _create_label(ctx, ctx.group(ref))


def create_project_label(ctx: Ctx, ref: str) -> Reply:
    return _create_label(ctx, ctx.project(ref))


# --- boards ------------------------------------------------------------------------------------


def _board(ctx: Ctx, ref: str, board_id: str) -> Board:
    group = ctx.group(ref)
    board = ctx.world.state.boards.get(int(board_id))
    if board is None or board.group_id != group.id:
        raise not_found("Board")
    return board


def list_boards(ctx: Ctx, ref: str) -> Reply:
    group = ctx.group(ref)
    boards = [b for b in ctx.world.state.boards.values() if b.group_id == group.id]
    return Listing(boards, lambda b: views.board(ctx.world, b))


def create_board(ctx: Ctx, ref: str) -> Reply:
    """Free allows one group board; more need Premium (GitLab docs, "Multiple issue boards";
    gitlab-org/gitlab#276937)."""
    group = ctx.group(ref)
    ctx.require("admin_board", group)
    name = str(required(ctx.params, "name"))
    existing = [b for b in ctx.world.state.boards.values() if b.group_id == group.id]
    if existing and ctx.world.tier_of(group) != "premium":
        raise error(400, "Multiple issue boards on one group require GitLab Premium")
    board = Board(ctx.world.state.new_id(), name, group.id)
    ctx.world.state.boards[board.id] = board
    return 201, views.board(ctx.world, board)


def update_board(ctx: Ctx, ref: str, board_id: str) -> Reply:
    """`name`, and the board's label scope (`labels`, comma-separated names: Premium; a Free
    group's board keeps showing every issue, so the scope is ignored there, as the parameter
    is a Premium one: GitLab API group_boards.md)."""
    board = _board(ctx, ref, board_id)
    group = ctx.world.state.groups[board.group_id]
    ctx.require("admin_board", group)
    if "name" in ctx.params:
        board.name = str(ctx.params["name"])
    if "labels" in ctx.params and ctx.world.tier_of(group) == "premium":
        names = [n for n in str(ctx.params["labels"] or "").split(",") if n.strip()]
        found = ctx.world.labels_by_name([n.strip() for n in names], group, create=False)
        board.label_ids = [lb.id for lb in found]
    return 200, views.board(ctx.world, board)


def get_board(ctx: Ctx, ref: str, board_id: str) -> Reply:
    return 200, views.board(ctx.world, _board(ctx, ref, board_id))


def list_board_lists(ctx: Ctx, ref: str, board_id: str) -> Reply:
    board = _board(ctx, ref, board_id)
    return Listing(list(board.lists), lambda lst: views.board_list(ctx.world, lst))


def create_board_list(ctx: Ctx, ref: str, board_id: str) -> Reply:
    """Label lists only; the built-in open/closed lists are never part of `lists`."""
    board = _board(ctx, ref, board_id)
    group = ctx.world.state.groups[board.group_id]
    ctx.require("admin_board", group)
    label_id = as_int(ctx.params.get("label_id"), "label_id")
    if label_id is None:
        raise error(
            400,
            "label_id, milestone_id, assignee_id, iteration_id are missing, "
            "exactly one parameter must be provided",
            key="error",
        )
    label = ctx.world.state.labels.get(label_id)
    if label is None or label not in ctx.world.labels_of_group(group):
        raise error(400, {"error": "Label not found"})
    if any(lst.label_id == label_id for lst in board.lists):
        raise error(400, {"label": ["has already been taken"]})
    position = max((lst.position for lst in board.lists), default=-1) + 1
    lst = BoardList(ctx.world.state.new_id(), label_id, position)
    board.lists.append(lst)
    return 201, views.board_list(ctx.world, lst)


def delete_board_list(ctx: Ctx, ref: str, board_id: str, list_id: str) -> Reply:
    board = _board(ctx, ref, board_id)
    ctx.require("admin_board", ctx.world.state.groups[board.group_id])
    if not any(lst.id == int(list_id) for lst in board.lists):
        raise not_found("List")
    board.lists = [lst for lst in board.lists if lst.id != int(list_id)]
    for position, lst in enumerate(board.lists):
        lst.position = position
    return 204, None


ROUTES = [
    ("GET", "/user", get_current_user),
    ("GET", "/metadata", get_metadata),
    ("GET", "/version", get_version),
    ("GET", "/users", list_users),
    ("GET", "/users/:n", get_user),
    ("GET", "/groups/:id", get_group),
    ("GET", "/projects/:id", get_project),
    ("GET", "/groups/:id/descendant_groups", list_descendant_groups),
    ("GET", "/groups/:id/members", list_members),
    ("GET", "/groups/:id/members/all", list_all_members),
    ("GET", "/projects/:id/members/all", list_all_project_members),
    ("GET", "/groups/:id/labels", list_group_labels),
    ("POST", "/groups/:id/labels", create_group_label),
    ("GET", "/projects/:id/labels", list_project_labels),
    ("POST", "/projects/:id/labels", create_project_label),
    ("GET", "/groups/:id/boards", list_boards),
    ("POST", "/groups/:id/boards", create_board),
    ("GET", "/groups/:id/boards/:n", get_board),
    ("PUT", "/groups/:id/boards/:n", update_board),
    ("GET", "/groups/:id/boards/:n/lists", list_board_lists),
    ("POST", "/groups/:id/boards/:n/lists", create_board_list),
    ("DELETE", "/groups/:id/boards/:n/lists/:n", delete_board_list),
]
