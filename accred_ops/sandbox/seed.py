"""Seeds: users, groups (with tier and members) and projects that a world starts with."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from accred_ops.sandbox.world import World

LEARNERS = ("alice", "bob", "carol")

# The world `Sandbox()` (and `accred-ops sandbox` with no seed) builds, as the README advises:
# the tool (Owner) and erin of the enablement team (Maintainer) are members of the group; the
# three learners are Guests of the project only, never of the group (a subgroup inherits its
# parents' members, and learners must not be able to edit each other's issues or labels); sam,
# the assessor, is a direct member of the assessors subgroup and a Reporter of the project (to
# set verdict labels); dana belongs nowhere.
DEFAULT_SEED: dict[str, Any] = {
    "users": [
        {"username": "accred-bot", "name": "Accred Bot", "bot": True},
        *({"username": name} for name in LEARNERS),
        {"username": "sam"},
        {"username": "erin"},
        {"username": "dana"},
    ],
    "groups": [
        {
            "path": "field-enablement",
            "tier": "premium",
            "members": [
                {"username": "accred-bot", "access_level": 50},
                {"username": "erin", "access_level": 40},
            ],
        },
        {
            "path": "field-enablement/assessors",
            "members": [{"username": "sam", "access_level": 30}],
        },
    ],
    "projects": [
        {
            "path": "field-enablement/accreditation",
            "members": [
                *({"username": name, "access_level": 10} for name in LEARNERS),
                {"username": "sam", "access_level": 20},
            ],
        }
    ],
}


def load_file(path: str | Path) -> dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a seed is a mapping with users, groups and projects")
    return data


def _members(world: World, target: Any, specs: list[dict[str, Any]], where: str) -> None:
    for spec in specs or []:
        username = spec.get("username")
        if not username or world.find_user(username) is None:
            raise ValueError(f"seed: {where} names unknown user {username!r}")
        world.set_member(target, username, int(spec.get("access_level", 30)))


def build(world: World, seed: dict[str, Any]) -> None:
    """Create the seed's users, then groups (parents first), then projects."""
    unknown = set(seed) - {"users", "groups", "projects", "version"}
    if unknown:
        raise ValueError(f"seed: unknown keys {sorted(unknown)}")
    world.version = str(seed.get("version") or world.version)
    for spec in seed.get("users") or []:
        world.add_user(
            spec["username"],
            spec.get("token"),
            spec.get("name"),
            spec.get("email") or "",
            bool(spec.get("bot")),
        )
    for spec in seed.get("groups") or []:
        group = world.add_group(spec["path"], spec.get("tier"), spec.get("name"))
        _members(world, group, spec.get("members"), f"group {spec['path']}")
    for spec in seed.get("projects") or []:
        project = world.add_project(spec["path"], spec.get("name"))
        _members(world, project, spec.get("members"), f"project {spec['path']}")
