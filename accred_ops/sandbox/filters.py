"""List filters and ordering for issues and epics, with GitLab's semantics (facts §1.1, §1.2).

`search` follows GitLab's fuzzy search: the query is split into terms (quoted phrases kept),
terms shorter than 3 characters are dropped, and a row matches when one searched column holds
every remaining term as a case-insensitive substring (exact match when no term is left).
"""

from __future__ import annotations

import re
from typing import Any

from accred_ops.sandbox.model import Epic, Issuable, Issue, User
from accred_ops.sandbox.params import Params, as_int, as_list, as_time
from accred_ops.sandbox.world import World, bad_request

ORDERS = ("created_at", "updated_at", "title", "due_date")


def search_terms(query: str) -> list[str]:
    terms = [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', query)]
    return [t.lower() for t in terms if len(t) >= 3]


def matches_search(query: str, columns: list[str]) -> bool:
    query = " ".join(query.split())
    if not query:
        return True
    terms = search_terms(query)
    if not terms:
        return any(col.lower() == query.lower() for col in columns)
    return any(all(term in col.lower() for term in terms) for col in columns)


def _label_names(world: World, item: Issuable) -> set[str]:
    return {world.state.labels[i].name for i in item.label_ids}


def _labels_ok(world: World, item: Issuable, params: Params) -> bool:
    names = _label_names(world, item)
    wanted = as_list(params.get("labels"))
    if [w.lower() for w in wanted] == ["none"]:
        if names:
            return False
    elif [w.lower() for w in wanted] == ["any"]:
        if not names:
            return False
    elif not set(wanted) <= names:
        return False
    unwanted = as_list(params.get("not[labels]"))
    return not (names & set(unwanted))


def _people_ok(world: World, item: Issuable, params: Params) -> bool:
    if isinstance(item, Issue):
        assignees = {world.user(a).username.lower() for a in item.assignee_ids}
        wanted = {n.lower() for n in as_list(params.get("assignee_username"))}
        if wanted and not wanted <= assignees:
            return False
        by_id = str(params.get("assignee_id") or "")
        if by_id.lower() == "none" and item.assignee_ids:
            return False
        if by_id.lower() == "any" and not item.assignee_ids:
            return False
        if by_id.isdigit() and int(by_id) not in item.assignee_ids:
            return False
    author = str(params.get("author_username") or "").lower()
    if author and world.user(item.author_id).username.lower() != author:
        return False
    author_id = as_int(params.get("author_id"), "author_id")
    return author_id is None or item.author_id == author_id


def _epic_ok(item: Issuable, params: Params) -> bool:
    if not isinstance(item, Issue) or "epic_id" not in params:
        return True
    value = str(params["epic_id"])
    if value.lower() == "none":
        return item.epic_id is None
    if value.lower() == "any":
        return item.epic_id is not None
    return item.epic_id == as_int(value, "epic_id")


def _times_ok(item: Issuable, params: Params) -> bool:
    for name, attr, after in (
        ("created_after", "created_at", True),
        ("created_before", "created_at", False),
        ("updated_after", "updated_at", True),
        ("updated_before", "updated_at", False),
    ):
        bound = as_time(params.get(name), name)
        value = getattr(item, attr)
        if bound and (value < bound if after else value > bound):
            return False
    return True


def _keep(world: World, item: Issuable, params: Params) -> bool:
    state = params.get("state") or "all"
    if state not in ("opened", "closed", "all"):
        raise bad_request("state does not have a valid value", key="error")
    if state != "all" and item.state != state:
        return False
    iids = {int(i) for i in as_list(params.get("iids"))}
    if iids and item.iid not in iids:
        return False
    if "search" in params:
        wanted = as_list(params.get("in") or "title,description")
        columns = [str(getattr(item, c, "") or "") for c in wanted if c in ("title", "description")]
        if not matches_search(str(params["search"] or ""), columns):
            return False
    return (
        _labels_ok(world, item, params)
        and _people_ok(world, item, params)
        and _epic_ok(item, params)
        and _times_ok(item, params)
    )


SCOPES = ("created_by_me", "assigned_to_me", "all")


def in_scope(user: User, issues: list[Issue], params: Params) -> list[Issue]:
    """Issue lists' `scope` (GitLab API issues.md: `created_by_me`, `assigned_to_me` or `all`,
    the default for project and group lists); any other value is a 400."""
    scope = params.get("scope") or "all"
    if scope not in SCOPES:
        raise bad_request("scope does not have a valid value", key="error")
    if scope == "created_by_me":
        return [i for i in issues if i.author_id == user.id]
    if scope == "assigned_to_me":
        return [i for i in issues if user.id in i.assignee_ids]
    return issues


def select(world: World, items: list[Any], params: Params) -> list[Any]:
    """Filter, then order by `order_by` (default created_at) and `sort` (default desc)."""
    order = params.get("order_by") or "created_at"
    if order not in ORDERS:
        raise bad_request("order_by does not have a valid value", key="error")
    direction = params.get("sort") or "desc"
    if direction not in ("asc", "desc"):
        raise bad_request("sort does not have a valid value", key="error")
    kept = [item for item in items if _keep(world, item, params)]

    def key(item: Issue | Epic) -> tuple[Any, ...]:
        value = getattr(item, order, None)
        return (value is None, value or "", item.id)

    return sorted(kept, key=key, reverse=direction == "desc")
