"""Request parameters in every form GitLab accepts them: query string, form body or JSON body.

python-gitlab sends `labels` as a comma string in query strings but a JSON array in bodies, and
`iids[]=1&iids[]=2` for arrays, so each reader here takes any of those shapes.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from accred_ops.sandbox.world import bad_request

Params = dict[str, Any]


def as_list(value: Any) -> list[str]:
    """Names from a comma string or an array; blanks dropped."""
    if value is None:
        return []
    items = value if isinstance(value, list) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def as_int(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"{name} is invalid", key="error") from None


def as_int_list(value: Any, name: str) -> list[int]:
    return [n for n in (as_int(v, name) for v in as_list(value)) if n is not None]


def as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def as_time(value: Any, name: str) -> datetime | None:
    """ISO 8601 (`2019-03-15T08:00:00Z` or a bare date); naive values are UTC."""
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace(" ", "+"))
    except ValueError:
        raise bad_request(f"{name} is invalid", key="error") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def as_date(value: Any, name: str) -> str | None:
    """A `YYYY-MM-DD` date, or None for null/empty (which clears it)."""
    if value in (None, ""):
        return None
    text = str(value)
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise bad_request(f"{name} is invalid", key="error") from None
    return text


def required(params: Params, name: str) -> Any:
    """A required parameter; Grape answers `{"error": "<name> is missing"}` when absent."""
    value = params.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise bad_request(f"{name} is missing", key="error")
    return value


def at_least_one(params: Params, names: tuple[str, ...]) -> None:
    if not any(name in params for name in names):
        raise bad_request(
            f"{', '.join(names)} are missing, at least one parameter must be provided", key="error"
        )
