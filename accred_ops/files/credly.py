"""`badges.credly` in accred.yml: the organization, the variable holding the token, the API and
each course's (or path's) Credly badge template. The token never goes in the file; the API is
Credly's production one unless named (its sandbox: https://sandbox-api.credly.com/v1), and a
plain http:// address is allowed only on this machine (tests, a local relay)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from accred_ops.core.addresses import sendable
from accred_ops.core.model import CREDLY_API, Credly
from accred_ops.errors import Problem
from accred_ops.files.notifications import Variable
from accred_ops.files.schema import SLUG, Key, Map, Schema, Str
from accred_ops.files.yamlfile import KeyPath, YamlDoc

_ID = Str(re.compile(r"[A-Za-z0-9-]{1,64}\Z"), "Credly id (letters, digits, '-')")


@dataclass
class _ApiUrl(Schema):
    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        parts = urlsplit(value) if isinstance(value, str) else None
        if parts and sendable(parts.scheme, parts.hostname):
            return []
        return [
            doc.problem(
                path,
                f"api_url must be an https:// address like {CREDLY_API} "
                "(http:// only on localhost or 127.0.0.1)",
            )
        ]


@dataclass
class _Templates(Schema):
    """course (or path) id -> badge template id."""

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if not isinstance(value, dict) or not value:
            return [doc.problem(path, "templates must map course ids to Credly badge template ids")]
        problems = []
        for key, template in value.items():
            if not isinstance(key, str) or not SLUG.match(key):
                problems.append(doc.problem(path, f"templates: {key!r} is not a course id"))
            problems += _ID.check(doc, template, (*path, key))
        return problems


CREDLY_SCHEMA = Map(
    {
        "organization_id": Key(_ID, required=True),
        "token_variable": Key(Variable("the Credly API token", "CREDLY_TOKEN")),
        "api_url": Key(_ApiUrl()),
        "templates": Key(_Templates(), required=True),
    }
)


def credly(data: dict[str, Any] | None) -> Credly | None:
    if not data:
        return None
    return Credly(
        str(data["organization_id"]),
        tuple(sorted((str(k), str(v)) for k, v in data["templates"].items())),
        data.get("token_variable", "CREDLY_TOKEN"),
        str(data.get("api_url", CREDLY_API)).rstrip("/"),
    )
