"""accred.yml: its schema, and the core's `Config` made from it once it checks.

`files/load.py` reads the file and checks it against `CONFIG_SCHEMA` before anything else; the
curriculum and the cohorts are found in the folders it names.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from accred_ops.core.model import Assessors, Config, GitLabSettings, Labels, Reminders
from accred_ops.files.credly import CREDLY_SCHEMA, credly
from accred_ops.files.fields import TEXT_STR, URL_STR, USER_STR
from accred_ops.files.notifications import NOTIFICATIONS_SCHEMA, webhooks
from accred_ops.files.schema import Bool, Int, Key, ListOf, Map, Str

_label = Str(re.compile(r'[^"]+\Z'), "label name without '\"'", 255)

CONFIG_SCHEMA = Map(
    {
        "gitlab": Key(
            Map(
                {
                    "url": Key(URL_STR),
                    "group": Key(Str(what="group full path"), required=True),
                    "project": Key(Str(what="project full path"), required=True),
                    "board": Key(TEXT_STR),
                    "concurrency": Key(Int(1, 64)),
                    "full_sync_every_hours": Key(Int(0, 24 * 366)),
                    "tracking": Key(
                        Str(re.compile(r"(epic|issue|auto)\Z"), "one of epic, issue, auto")
                    ),
                    "api": Key(Str(re.compile(r"(rest|workitems)\Z"), "one of rest, workitems")),
                    "rate_limits": Key(
                        Map({kind: Key(Int(0, 1_000_000)) for kind in ("api", "issues", "notes")})
                    ),
                    "previous_tool_users": Key(ListOf(USER_STR)),
                }
            ),
            required=True,
        ),
        "assessors": Key(
            Map(
                {
                    "usernames": Key(ListOf(USER_STR)),
                    "groups": Key(ListOf(Str(what="group path"))),
                    "inherited": Key(Bool()),
                    "routing": Key(
                        Str(
                            re.compile(r"(mention|round-robin|manager)\Z"),
                            "one of mention, round-robin, manager",
                        )
                    ),
                    "moderators": Key(ListOf(USER_STR)),
                }
            )
        ),
        "labels": Key(Map({f.name: Key(_label) for f in dataclasses.fields(Labels)})),
        "enrollment": Key(Map({"allowed_groups": Key(ListOf(Str(what="group path")))})),
        "badges": Key(
            Map(
                {
                    "issuer": Key(
                        Map(
                            {
                                "name": Key(TEXT_STR, required=True),
                                "url": Key(URL_STR, required=True),
                                "email": Key(Str(what="email address")),
                            }
                        ),
                        required=True,
                    ),
                    "public_holders": Key(Bool()),  # list holders on the public index
                    "pages_url": Key(URL_STR),  # where `badges export` is served: award links
                    "credly": Key(CREDLY_SCHEMA),
                }
            )
        ),
        "reminders": Key(Map({f.name: Key(Int(1, 365)) for f in dataclasses.fields(Reminders)})),
        "notifications": Key(NOTIFICATIONS_SCHEMA),
        "curriculum": Key(Str(what="folder")),
        "cohorts": Key(Str(what="folder")),
        "templates": Key(Str(what="folder")),
    }
)


def config_from(data: dict[str, Any]) -> Config:
    gl = data["gitlab"]
    assessors = data.get("assessors") or {}
    return Config(
        gitlab=GitLabSettings(
            url=gl.get("url"),
            group=gl["group"],
            project=gl["project"],
            board=gl.get("board", "Field Enablement"),
            concurrency=gl.get("concurrency", 4),
            full_sync_every_hours=gl.get("full_sync_every_hours", 24),
            tracking=gl.get("tracking", "auto"),
            api=gl.get("api", "rest"),
            rate_limits=tuple(
                {**dict(GitLabSettings.rate_limits), **gl.get("rate_limits", {})}.items()
            ),
            previous_tool_users=tuple(gl.get("previous_tool_users", ())),
        ),
        assessors=Assessors(
            tuple(assessors.get("usernames", ())),
            tuple(assessors.get("groups", ())),
            inherited=bool(assessors.get("inherited", False)),
            routing=assessors.get("routing", "mention"),
            moderators=tuple(assessors.get("moderators", ())),
        ),
        labels=Labels(**data.get("labels", {})),
        issuer=(data.get("badges") or {}).get("issuer"),
        public_holders=bool((data.get("badges") or {}).get("public_holders", False)),
        badges_url=(data.get("badges") or {}).get("pages_url"),
        reminders=Reminders(**data["reminders"]) if "reminders" in data else None,
        enrollment_groups=tuple((data.get("enrollment") or {}).get("allowed_groups", ())),
        curriculum_dir=data.get("curriculum", "curriculum"),
        cohorts_dir=data.get("cohorts", "cohorts"),
        templates_dir=data.get("templates", "templates"),
        notifications=webhooks(data.get("notifications")),
        credly=credly((data.get("badges") or {}).get("credly")),
    )
