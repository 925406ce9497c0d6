"""`notifications:` in accred.yml: chat webhooks, each named by the environment variable that
holds its URL. The URL itself never belongs in the file (anyone who reads the repository could
post to the channel), and a value that looks like one is refused without being echoed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from accred_ops.core.model import NOTIFY_DEFAULT_EVENTS, NOTIFY_EVENTS, Webhook
from accred_ops.errors import Problem
from accred_ops.files.schema import Key, ListOf, Map, Schema, Str
from accred_ops.files.yamlfile import KeyPath, YamlDoc

VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,254}\Z")
FORMATS = ("slack", "teams", "json")


@dataclass
class Variable(Schema):
    """An environment variable's name; never repeats the value (it may be a secret)."""

    holds: str = "the webhook's URL"
    example: str = "SLACK_WEBHOOK_URL"

    def check(self, doc: YamlDoc, value: Any, path: KeyPath) -> list[Problem]:
        if isinstance(value, str) and VARIABLE.match(value):
            return []
        return [
            doc.problem(
                path,
                f"{path[-1]} must name the environment variable (a masked CI variable) that "
                f"holds {self.holds}, like {self.example}; the secret itself never goes in "
                "accred.yml",
            )
        ]


def _one_of(names: tuple[str, ...], what: str) -> Str:
    return Str(re.compile(rf"({'|'.join(names)})\Z"), f"{what}: one of {', '.join(names)}")


NOTIFICATIONS_SCHEMA = Map(
    {
        "webhooks": Key(
            ListOf(
                Map(
                    {
                        "url_variable": Key(Variable(), required=True),
                        "format": Key(_one_of(FORMATS, "format")),
                        "events": Key(ListOf(_one_of(NOTIFY_EVENTS, "event"), min_items=1)),
                    }
                ),
                max_items=20,
            ),
            required=True,
        )
    }
)


def webhooks(data: dict[str, Any] | None) -> tuple[Webhook, ...]:
    """The validated `notifications:` mapping as Webhooks (format json, events award and path
    unless given)."""
    return tuple(
        Webhook(
            entry["url_variable"],
            entry.get("format", "json"),
            tuple(dict.fromkeys(entry.get("events", NOTIFY_DEFAULT_EVENTS))),
        )
        for entry in (data or {}).get("webhooks", ())
    )
