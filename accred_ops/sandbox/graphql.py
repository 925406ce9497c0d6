"""`POST /api/graphql`: the few Work Items queries and mutations accred-ops sends (facts §4.2).

Documents are parsed with graphql-core and answered field by field; a field the sandbox does
not know is an error, as an unknown field is for GitLab (the documents themselves are checked
against the trimmed schema in tests/graphql/). Errors come back as HTTP 200 with `errors`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import FieldNode, GraphQLError, OperationDefinitionNode, parse, value_from_ast_untyped

from accred_ops.sandbox import changes, issuables, views_issues
from accred_ops.sandbox.context import Ctx, Reply
from accred_ops.sandbox.model import Epic, Group
from accred_ops.sandbox.world import ApiError

EPIC_TYPE = "gid://gitlab/WorkItems::Type/8"  # as GitLab.com numbers it; only ever read back


class QueryError(Exception):
    pass


def _gid(kind: str, value: int) -> str:
    return f"gid://gitlab/{kind}/{value}"


def _id_of(gid: Any, kind: str) -> int:
    prefix = f"gid://gitlab/{kind}/"
    if not isinstance(gid, str) or not gid.startswith(prefix) or not gid[len(prefix) :].isdigit():
        raise QueryError(f"{gid!r} is not a valid {kind} id")
    return int(gid[len(prefix) :])


def _args(field: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    return {a.name.value: value_from_ast_untyped(a.value, variables) for a in field.arguments}


def _subfields(field: FieldNode | OperationDefinitionNode) -> list[FieldNode]:
    """The fields selected in a field or an operation."""
    return [
        s
        for s in (field.selection_set.selections if field.selection_set else ())
        if isinstance(s, FieldNode)
    ]


def _group(ctx: Ctx, path: Any) -> Group:
    group = ctx.world.group_by_path(str(path))
    if group is None or ctx.world.tier_of(group) != "premium":
        raise QueryError(
            "The resource that you are attempting to access does not exist or you don't have permission to perform this action"
        )
    return group


def _work_item(ctx: Ctx, epic: Epic) -> dict[str, Any]:
    view = views_issues.epic(ctx.world, epic)
    return {
        "id": _gid("WorkItem", epic.work_item_id),
        "iid": str(epic.iid),
        "title": epic.title,
        "webUrl": view["web_url"],
    }


def _namespace(ctx: Ctx, field: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    group = _group(ctx, _args(field, variables)["fullPath"])
    answer: dict[str, Any] = {}
    for sub in _subfields(field):
        args = _args(sub, variables)
        if sub.name.value == "workItemTypes":
            types = (
                [{"id": EPIC_TYPE, "name": "Epic"}] if args.get("name") in (None, "EPIC") else []
            )
            answer["workItemTypes"] = {"nodes": types}
        elif sub.name.value == "workItem":
            epic = next(
                (
                    e
                    for e in ctx.world.state.epics.values()
                    if e.group_id == group.id and str(e.iid) == str(args["iid"])
                ),
                None,
            )
            answer["workItem"] = _work_item(ctx, epic) if epic else None
        else:
            kind = "Group" if field.name.value == "group" else "Namespace"
            raise QueryError(f"Field '{sub.name.value}' doesn't exist on type '{kind}'")
    return answer


def _create(ctx: Ctx, field: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    data = _args(field, variables)["input"]
    group = _group(ctx, data.get("namespacePath"))
    ctx.require("edit_epic", group)
    if data.get("workItemTypeId") != EPIC_TYPE:
        return {"workItem": None, "errors": ["Only epics can be created in this sandbox group"]}
    label_ids = {
        _id_of(gid, "Label") for gid in (data.get("labelsWidget") or {}).get("labelIds", [])
    }
    names = [lb.name for lb in ctx.world.state.labels.values() if lb.id in label_ids]
    params = {
        "title": data.get("title"),
        "description": (data.get("descriptionWidget") or {}).get("description", ""),
        "labels": ",".join(names),
    }
    epic = issuables.create_epic(ctx.world, ctx.user, group, params)
    return {"workItem": _work_item(ctx, epic), "errors": []}


def _update(ctx: Ctx, field: FieldNode, variables: dict[str, Any]) -> dict[str, Any]:
    data = _args(field, variables)["input"]
    child = ctx.world.state.issues.get(_id_of(data.get("id"), "WorkItem"))
    if child is None:
        raise QueryError("The resource that you are attempting to access does not exist")
    parent_gid = (data.get("hierarchyWidget") or {}).get("parentId")
    parent = next(
        (
            e
            for e in ctx.world.state.epics.values()
            if e.work_item_id == _id_of(parent_gid, "WorkItem")
        ),
        None,
    )
    if parent is None:
        return {"workItem": None, "errors": ["No matching work item found (parent)"]}
    ctx.require("edit_epic", ctx.world.state.groups[parent.group_id])
    if issuables.set_epic(ctx.world, child, parent, ctx.user):
        changes.touch(ctx.world, child)
    return {"workItem": {"id": data["id"]}, "errors": []}


RESOLVERS: dict[tuple[str, str], Callable[[Ctx, FieldNode, dict[str, Any]], Any]] = {
    ("query", "namespace"): _namespace,
    ("query", "group"): _namespace,  # what accred-ops asks: Group has both fields since 16.x
    ("mutation", "workItemCreate"): _create,
    ("mutation", "workItemUpdate"): _update,
}


def is_mutation(body: dict[str, Any]) -> bool:
    try:
        document = parse(str(body.get("query") or ""))
    except GraphQLError:
        return False
    return any(
        isinstance(d, OperationDefinitionNode) and d.operation.value == "mutation"
        for d in document.definitions
    )


def execute(ctx: Ctx) -> Reply:
    try:
        document = parse(str(ctx.params.get("query") or ""))
        variables = ctx.params.get("variables") or {}
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        data: dict[str, Any] = {}
        for field in _subfields(operation):
            resolver = RESOLVERS.get((operation.operation.value, field.name.value))
            if resolver is None:
                raise QueryError(
                    f"Field '{field.name.value}' doesn't exist on type '{operation.operation.value.title()}'"
                )
            data[field.alias.value if field.alias else field.name.value] = resolver(
                ctx, field, variables
            )
    except ApiError as err:  # GraphQL answers 200 even when access is refused
        return 200, {"errors": [{"message": str((err.body or {}).get("message", err.status))}]}
    except (GraphQLError, QueryError, StopIteration) as err:
        return 200, {"errors": [{"message": str(err) or "invalid document"}]}
    return 200, {"data": data}
